# Die Texte des Smart Mirrors auf Deutsch (übersetzt aus en/kiosk.ftl).

## Preise
price = { $amount } { $symbol }

## Startbildschirm
attract-subtitle = Smart Mirror
attract-start = Zum Starten berühren
attract-privacy =
    Ihr Bild bleibt auf diesem Spiegel.
    Nichts wird aufgenommen oder geteilt, außer Sie wählen es.

## Noch da?
still-there-title = Noch da?
still-there-seconds = { $seconds }
still-there-body =
    Berühren Sie den Bildschirm oder drücken Sie eine Taste,
    so oft Sie möchten. Sonst endet diese Sitzung
    und alles daraus wird gelöscht.
still-there-continue = Ich bin noch da

## Kamera nicht verfügbar, außer Betrieb
camera-unavailable-title = Kamera nicht verfügbar
camera-unavailable-body =
    Der Spiegel ist gleich von selbst wieder da.
    Falls nicht, fragen Sie bitte eine Mitarbeiterin oder einen Mitarbeiter.
maintenance-title = Außer Betrieb
maintenance-body =
    Dieser Spiegel wird gerade gewartet.
    Bitte nutzen Sie eine andere Kabine oder fragen Sie das Personal.

## Drehung und Rückansicht
twirl-recording-title = ● Ihre Drehung wird aufgenommen: langsam drehen
twirl-recording-progress = { $position } s von { $length } s
twirl-stop = Stopp
twirl-replay-title = Ihre Drehung
twirl-progress = { $position } s / { $length } s
twirl-pause = Pause
twirl-play = Abspielen
twirl-record-again = Neu aufnehmen
twirl-delete = Drehung löschen
twirl-done = Fertig
back-title = Rückansicht · { $delay } s verzögert
back-hint = Drehen Sie sich um: Sie erscheinen hier { $delay } s später
back-turn-slowly = Langsam drehen
back-to-live = Zurück zum Live-Bild

## Looks
looks-title = Ihre Looks · { $count } von { $max }
looks-compare-these = { $count } Looks vergleichen
looks-empty-hint = Halten Sie jedes Outfit als Look fest: Die Looks bleiben auf diesem Spiegel, bis Ihre Sitzung endet.
looks-take = Look festhalten
looks-full = { $max } Looks: Löschen Sie einen für einen neuen
looks-full-toast = Sie haben { $max } Looks: Löschen Sie einen für einen neuen
looks-play-twirl = Drehung abspielen
looks-record-twirl = Drehung aufnehmen
looks-see-back = Rückansicht
looks-untitled = Look
looks-compare = Vergleichen
looks-compare-ticked = ✔ Vergleichen
looks-delete = Löschen
looks-shown = ✔ Gezeigt
looks-show-friends = Freunden zeigen
looks-friends-picked =
    { $count ->
        [one] ♥ { $count } Freund hat das gewählt
       *[other] ♥ { $count } Freunde haben das gewählt
    }
looks-no-picture = Die Kamera lieferte kein Bild: bitte noch einmal
looks-compare-limit = { $most } Looks passen nebeneinander: Entfernen Sie zuerst einen Haken

## Gemeinsame Tasten
close = Schließen
back = Zurück
cancel = Abbrechen

## Teilen
share-off = Teilen ist an diesem Spiegel ausgeschaltet
share-unavailable = Teilen ist gerade nicht möglich. Neuer Versuch…
share-stopped = Teilen beendet: { $reason }

## Größenanfragen
request-sold-out = { $product } in { $size } ist hier ausverkauft
request-failed = Die Anfrage ging nicht raus: Bitte fragen Sie an der Kasse
request-offline = Dieser Spiegel ist nicht mit dem Team verbunden: Bitte fragen Sie an der Kasse
request-sent = Wir haben das Team nach { $product } in { $size } gefragt
request-on-its-way = { $associate } bringt es Ihnen
request-banner-accepted = ✔ { $associate } bringt { $product } in { $size } ({ $colour })
request-banner-waiting = Angefragt: { $product } in { $size } ({ $colour }) · wartet auf das Team
request-banner-reminded = Wir haben das Team erinnert: { $product } in { $size } kommt gleich

## Scannen
scan-unknown = Diesen Artikel finden wir nicht ({ $code }). Das Team hilft Ihnen gern.
scan-added = { $product } ({ $size }) ist bei Ihren Artikeln

## Passform
fit-title = Wie passt es?
fit-fits = Passt
fit-too-small = Zu klein
fit-too-big = Zu groß
fit-not-for-me = Nicht meins
fit-next-online = { $size } in { $colour } gibt es online
fit-next-sold-out = { $size } in { $colour } ist hier und online ausverkauft
fit-no-larger = In { $colour } gibt es keine größere Größe
fit-no-smaller = In { $colour } gibt es keine kleinere Größe
fit-next-here = { $size } in { $colour }: { $units } in dieser Filiale, fragen Sie das Team

## Produkte
price-only = { $price }
items-title = Ihre Artikel
items-hint = Scannen Sie ein Etikett am Scanner, halten Sie es vor die Kamera, oder stöbern Sie.
items-empty = Noch nichts erkannt.
catalog-unavailable = Der Produktkatalog ist noch nicht verfügbar.
product-gone = Dieses Produkt ist nicht mehr im Katalog.
item-untitled = Artikel
browse-title = Stöbern
confirm-title = Andere Größe?
size-colour = { $size } · { $colour }
units-more-here = noch { $units } hier
last-one-here = das letzte hier
units-here = { $units } hier
sold-out = ausverkauft
sold-out-here = hier ausverkauft
ask-for = { $size } in { $colour } anfragen · { $units } hier
item-price-brand = { $price } · { $brand }
colours-title = Farben
sizes-title = Größen in dieser Farbe
item-sold-out-here = { $colour } in { $size } ist hier ausverkauft
item-ask-associate = { $units } in dieser Filiale: Fragen Sie das Team
complete-the-look = Der Look dazu
suggestion-goes-with = { $price } · passt dazu
suggestion-alternative = { $price } · auch schön
browse-all = alle
search-empty = Suche: Tippen Sie Buchstaben
search-query = Suche: { $query }
key-space = Leerzeichen
key-clear = löschen
search-nothing = Nichts gefunden. Versuchen Sie weniger Buchstaben.
confirm-question = Das Team bitten, { $product } in Größe { $size }, { $colour }, zu { $room } zu bringen?
confirm-yes = Ja, bitte bringen

## Mit nach Hause
lifetime-hours =
    { $hours ->
        [one] { $hours } Stunde
       *[other] { $hours } Stunden
    }
lifetime-days =
    { $days ->
        [one] { $days } Tag
       *[other] { $days } Tage
    }
takehome-title = Mit nach Hause
end-session = Sitzung beenden
not-now = Jetzt nicht
done = Fertig
takehome-before-you-go = Bevor Sie gehen: Das Anprobierte aufs Handy mitnehmen? Ohne App, ohne Konto.
takehome-intro = Auf Ihrem eigenen Handy: ohne App, ohne Konto. Der Link gilt { $lifetime }; Sie können ihn jederzeit löschen.
takehome-item = { $product } · { $size } · { $colour }
takehome-item-fit = { $item } · { $fit }
takehome-no-items = Noch keine Artikel erkannt: Scannen Sie zuerst, was Sie anprobiert haben.
takehome-looks-hint = Ihre Looks gehen nur mit, wenn Sie sie anhaken:
takehome-include = Mitnehmen
takehome-include-ticked = ✔ Mitnehmen
takehome-make-link = Meinen Link erstellen
takehome-making = Ihr Link wird erstellt…
takehome-scan = Mit der Handykamera scannen
takehome-until = Der Link gilt { $lifetime }; löschen Sie ihn jederzeit auf dem Handy. Das Beenden der Sitzung hier löscht ihn nicht.
takehome-failed = Wir konnten Ihren Link nicht erstellen: { $reason }. Bitte fragen Sie an der Kasse.
takehome-off = Mit nach Hause ist an diesem Spiegel ausgeschaltet
share-live-watching = ● LIVE · { $viewers } schauen zu
share-live-stopping = ● LIVE · wird beendet…
share-tally = Kaufen { $buy } · Lassen { $skip }
share-starting = Teilen startet…
share-consent-title = Ihren Look live teilen?
share-consent-body =
    Freunde, denen Sie den Link geben, sehen diesen Spiegel live
    auf dem Handy und können Reaktionen senden.

    Nichts wird aufgenommen oder gespeichert, weder hier noch anderswo.
    Ein LIVE-Zeichen erscheint, sobald jemand zusehen kann.
    Beenden Sie jederzeit mit „Teilen beenden“;
    auch das Ende Ihrer Sitzung beendet es.
share-start = Teilen starten
share-scan = Scannen und live zusehen
share-stop = Teilen beenden

## Reaktionen
reaction-love = ♥ Toll
reaction-hot = ★ Heiß
reaction-yes = ✔ Ja
reaction-no = ✘ Nein
reaction-wow = ☺ Wow
reaction-other = ? Hmm

## Werkzeugleiste
toolbar-end = Sitzung beenden
toolbar-share = Teilen
toolbar-scan = Scannen
toolbar-looks = Looks
toolbar-take-home = Mitnehmen
toolbar-lights = Licht
toolbar-language = Sprache
toolbar-accessibility = Barrierefreiheit
badge-demo-camera = DEMO-KAMERA · keine Kamera gefunden
badge-synthetic-camera = SYNTHETISCHE KAMERA
language-title = Sprache

## Lights ($kelvin: the scene's colour temperature)
lights-title = Licht
lights-daylight = Tageslicht · { $kelvin } K
lights-store = Laden · { $kelvin } K
lights-sunset = Sonnenuntergang · { $kelvin } K
lights-evening = Abend · { $kelvin } K, gedimmt
lights-not-answering = Das Licht reagiert gerade nicht; der Spiegel funktioniert weiter.

## Accessibility
access-title = Barrierefreiheit
access-large-text = Größere Schrift
access-read-aloud = Vorlesen
access-switch-scan = Scannen mit Taster
access-on = { $mode }: an
access-off = { $mode }: aus
access-switch-hint = Beim Scannen wandert die Markierung von selbst: Drücke deinen Taster (Leertaste oder Enter), wenn sie auf dem Gewünschten steht.
