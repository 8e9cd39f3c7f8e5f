# Die Seiten, die im Browser geöffnet werden (übersetzt aus en/pages.ftl).

## Freunde sehen den Look
viewer-title = Look live
viewer-live = LIVE
viewer-connecting = Verbinde…
viewer-frame-alt = Livebild vom Spiegel der Umkleide
viewer-reactions = Reaktionen
viewer-react = Reagieren { $emoji }
viewer-buy = Kaufen
viewer-skip = Lieber nicht
viewer-tally = Kaufen { $buy } · Lieber nicht { $skip }
viewer-looks = Looks, die dir gezeigt werden
viewer-looks-title = Welcher? Wähle den Look, der dir am besten gefällt
viewer-look-alt = Ein Look aus der Umkleide
viewer-pick = Dieser
viewer-picked = ✔ Dieser
viewer-picks = { $count ->
    [one] { $count } Stimme
   *[other] { $count } Stimmen
}
viewer-watching = { $count ->
    [one] { $count } schaut zu
   *[other] { $count } schauen zu
}
viewer-feed = Was Freunde sagen
viewer-name = Dein Name
viewer-comment = Sag etwas Nettes
viewer-send = Senden
viewer-ended-title = Dieser Look ist beendet
viewer-ended-body = Das Teilen wurde beendet. Nichts davon wird aufbewahrt.
viewer-state-connecting = verbinde…
viewer-state-live = live
viewer-state-sent = gesendet
viewer-state-slow = langsamer
viewer-state-ended = beendet
viewer-state-reconnecting = verbinde neu…

## Die Sitzung zum Mitnehmen
home-title = Deine Umkleide
home-opening = Wird geöffnet…
home-needs-script = Diese Seite entschlüsselt das Mitgenommene auf deinem Telefon selbst und braucht deshalb JavaScript: Der Server des Geschäfts hat nur eine verschlüsselte Kopie, die er nicht lesen kann.
home-items = Was du anprobiert hast
home-looks = Deine Looks
home-delete = Jetzt löschen
home-privacy = Nichts hier ist mit dir verknüpft: kein Konto, keine E-Mail, keine Telefonnummer. Der Server des Geschäfts bewahrt nur eine verschlüsselte Kopie bis zur oben genannten Zeit auf (oder bis du sie löschst); der Schlüssel steht in diesem Link nach dem „#“ und verlässt nie dein Telefon. Startet der Server des Geschäfts neu, kann der Link früher enden.
home-until = Dieser Link gilt bis { $until } · { $store }
home-in-store = { $count ->
    [one] { $count } in { $store }
   *[other] { $count } in { $store }
}
home-not-in-store = Gerade nicht in { $store }
home-buy = Online kaufen
home-look-alt = Ein Look
home-needs-https = Dieser Link braucht eine sichere (https-)Verbindung. Frag im Geschäft nach.
home-incomplete = Dieser Link ist unvollständig: Ein Teil fehlt. Scanne den Code am Spiegel erneut oder kopiere den ganzen Link.
home-wrong-key = Dieser Link ist unvollständig: Sein Schlüssel öffnet ihn nicht. Scanne den Code am Spiegel erneut oder kopiere den ganzen Link.
home-ended = Dieser Link ist abgelaufen oder wurde gelöscht. Nichts davon wird aufbewahrt.
home-nothing = Unter diesem Link ist nichts.
home-deleted = Gelöscht. Nichts davon wird aufbewahrt.
home-not-deleted = Löschen ging nicht ({ $status }). Der Link endet von selbst zur angegebenen Zeit.
home-unreachable = Dieser Link ließ sich nicht öffnen. Prüfe deine Verbindung und versuche es noch einmal.

## Größenwünsche für das Personal
staff-title = Größenwünsche
staff-empty = Keine offenen Wünsche. Neue erscheinen hier von selbst.
staff-just-now = gerade eben
staff-minutes-ago = { $count ->
    [one] vor { $count } Min.
   *[other] vor { $count } Min.
}
staff-what = { $product } · Größe { $size } · { $colour }
staff-bringing = { $name } bringt es
staff-reminded = { $count ->
    [one] einmal erinnert
   *[other] { $count }-mal erinnert
}
staff-accept = Ich bringe es
staff-done = Übergeben
staff-store = Filiale
staff-show = Anzeigen
staff-not-sent = nicht gesendet: { $reason }
staff-no-store = In deinem Bereich hat noch keine Filiale einen Spiegel.
console-name = Spiegel-Konsole
console-nav-fleet = Flotte
console-nav-alerts = Alarme
console-nav-requests = Größenwünsche
console-nav-commands = Befehle
console-nav-rollouts = Rollouts
console-nav-analytics = Auswertung
console-sign-in = Anmelden
console-sign-out = Abmelden
console-user-name = Benutzername
console-password = Passwort
console-refused = Name und Passwort passen nicht zusammen.
console-role-associate = Verkauf
console-role-store-manager = Filialleitung
console-role-fleet-operator = Flottenbetrieb
console-role-analyst = Analyse
console-role-admin = Administration
