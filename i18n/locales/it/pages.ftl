# Le pagine aperte nel browser (tradotte da en/pages.ftl).

## Un amico che guarda il look
viewer-title = Look in diretta
viewer-live = IN DIRETTA
viewer-connecting = Connessione…
viewer-frame-alt = Immagine in diretta dallo specchio del camerino
viewer-reactions = Reazioni
viewer-react = Reagisci { $emoji }
viewer-buy = Compralo
viewer-skip = Lascia stare
viewer-tally = Compralo { $buy } · Lascia stare { $skip }
viewer-looks = I look che ti stanno mostrando
viewer-looks-title = Quale? Scegli il look che ti piace di più
viewer-look-alt = Un look dal camerino
viewer-pick = Questo
viewer-picked = ✔ Questo
viewer-picks = { $count ->
    [one] { $count } voto
   *[other] { $count } voti
}
viewer-watching = { $count ->
    [one] { $count } guarda
   *[other] { $count } guardano
}
viewer-feed = Cosa dicono gli amici
viewer-name = Il tuo nome
viewer-comment = Di’ qualcosa di carino
viewer-send = Invia
viewer-ended-title = Questo look è terminato
viewer-ended-body = La condivisione è finita. Non viene conservato nulla.
viewer-state-connecting = connessione…
viewer-state-live = in diretta
viewer-state-sent = inviato
viewer-state-slow = più piano
viewer-state-ended = terminato
viewer-state-reconnecting = riconnessione…

## La sessione portata a casa
home-title = Il tuo camerino
home-opening = Apertura…
home-needs-script = Questa pagina decifra sul tuo telefono ciò che hai portato a casa, quindi ha bisogno di JavaScript: il server del negozio conserva solo una copia cifrata che non può leggere.
home-items = I capi che hai provato
home-looks = I tuoi look
home-delete = Elimina ora
home-privacy = Niente qui è collegato a te: nessun account, nessuna e-mail, nessun numero di telefono. Il server del negozio conserva solo una copia cifrata fino all’ora indicata sopra (o finché non la elimini); la chiave è in questo link dopo il «#» e non lascia mai il tuo telefono. Se il server del negozio si riavvia, il link può scadere prima.
home-until = Questo link funziona fino al { $until } · { $store }
home-in-store = { $count ->
    [one] { $count } a { $store }
   *[other] { $count } a { $store }
}
home-not-in-store = Al momento non disponibile a { $store }
home-buy = Compra online
home-look-alt = Un look
home-needs-https = Questo link richiede una connessione sicura (https). Chiedi in negozio.
home-incomplete = Questo link è incompleto: ne manca una parte. Scansiona di nuovo il codice sullo specchio o copia il link intero.
home-wrong-key = Questo link è incompleto: la sua chiave non lo apre. Scansiona di nuovo il codice sullo specchio o copia il link intero.
home-ended = Questo link è scaduto o è stato eliminato. Non viene conservato nulla.
home-nothing = Non c’è nulla a questo link.
home-deleted = Eliminato. Non viene conservato nulla.
home-not-deleted = Non è stato possibile eliminarlo ({ $status }). Scade da solo all’ora indicata.
home-unreachable = Impossibile aprire questo link. Controlla la connessione e riprova.

## Richieste di taglia per il personale
staff-title = Richieste di taglia
staff-empty = Nessuna richiesta aperta. Le nuove compaiono qui da sole.
staff-just-now = proprio ora
staff-minutes-ago = { $count ->
    [one] { $count } min fa
   *[other] { $count } min fa
}
staff-what = { $product } · taglia { $size } · { $colour }
staff-bringing = { $name } lo porta
staff-reminded = { $count ->
    [one] sollecitato una volta
   *[other] sollecitato { $count } volte
}
staff-accept = Lo porto io
staff-done = Consegnato
staff-store = Negozio
staff-show = Mostra
staff-not-sent = non inviato: { $reason }
staff-no-store = Nessun negozio del tuo ambito ha ancora uno specchio.
console-name = Console degli specchi
console-nav-fleet = Flotta
console-nav-alerts = Avvisi
console-nav-requests = Richieste di taglia
console-nav-commands = Comandi
console-nav-rollouts = Rilasci
console-nav-analytics = Analisi
console-sign-in = Accedi
console-sign-out = Esci
console-user-name = Nome utente
console-password = Password
console-refused = Nome e password non corrispondono.
console-role-associate = addetto alle vendite
console-role-store-manager = responsabile del negozio
console-role-fleet-operator = gestione flotta
console-role-analyst = analista
console-role-admin = amministratore
