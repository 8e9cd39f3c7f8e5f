# I testi dello specchio intelligente in italiano (tradotti da en/kiosk.ftl).

## Prezzi
price = { $amount } { $symbol }

## Schermata iniziale
attract-subtitle = Specchio intelligente
attract-start = Tocca per iniziare
attract-privacy =
    La tua immagine resta su questo specchio.
    Nulla viene registrato o condiviso se non lo scegli tu.

## Ci sei ancora?
still-there-title = Ci sei ancora?
still-there-seconds = { $seconds }
still-there-body =
    Tocca lo schermo o premi un tasto per continuare,
    tutte le volte che vuoi. Altrimenti la sessione finisce
    e tutto ciò che contiene viene cancellato.
still-there-continue = Sono ancora qui

## Fotocamera non disponibile, fuori servizio
camera-unavailable-title = Fotocamera non disponibile
camera-unavailable-body =
    Lo specchio tornerà da solo tra un momento.
    Altrimenti chiedi a un addetto del negozio.
maintenance-title = Fuori servizio
maintenance-body =
    Stiamo controllando questo specchio.
    Usa un altro camerino o chiedi a un addetto.

## Giravolta e Guarda la schiena
twirl-recording-title = ● Registro la tua giravolta: girati piano
twirl-recording-progress = { $position } s di { $length } s
twirl-stop = Stop
twirl-replay-title = La tua giravolta
twirl-progress = { $position } s / { $length } s
twirl-pause = Pausa
twirl-play = Riproduci
twirl-record-again = Registra di nuovo
twirl-delete = Elimina giravolta
twirl-done = Fatto
back-title = Guarda la schiena · { $delay } s di ritardo
back-hint = Girati: qui appari { $delay } s dopo
back-turn-slowly = Girati piano
back-to-live = Torna alla diretta

## Look
looks-title = I tuoi look · { $count } di { $max }
looks-compare-these = Confronta { $count } look
looks-empty-hint = Scatta un look per ogni outfit che provi: restano su questo specchio fino alla fine della sessione.
looks-take = Scatta un look
looks-full = { $max } look: eliminane uno per scattarne un altro
looks-full-toast = Hai { $max } look: eliminane uno per scattarne un altro
looks-play-twirl = Rivedi la giravolta
looks-record-twirl = Registra una giravolta
looks-see-back = Guarda la schiena
looks-untitled = Look
looks-compare = Confronta
looks-compare-ticked = ✔ Confronta
looks-delete = Elimina
looks-shown = ✔ Mostrato
looks-show-friends = Mostra agli amici
looks-friends-picked =
    { $count ->
        [one] ♥ { $count } amico ha scelto questo
       *[other] ♥ { $count } amici hanno scelto questo
    }
looks-no-picture = La fotocamera non ha dato immagini: riprova
looks-compare-limit = Stanno affiancati { $most } look: togline uno prima

## Pulsanti comuni
close = Chiudi
back = Indietro
cancel = Annulla

## Condivisione
share-off = La condivisione è disattivata su questo specchio
share-unavailable = La condivisione non è disponibile ora. Riprovo…
share-stopped = Condivisione interrotta: { $reason }

## Richieste di taglia
request-sold-out = { $product } in { $size } è esaurito qui
request-failed = Non siamo riusciti a inviare la richiesta: chiedi alla cassa
request-offline = Questo specchio non è collegato al personale: chiedi alla cassa
request-sent = Abbiamo chiesto al personale { $product } in { $size }
request-on-its-way = { $associate } te lo porta
request-banner-accepted = ✔ { $associate } ti porta { $product } in { $size } ({ $colour })
request-banner-waiting = Richiesto { $product } in { $size } ({ $colour }) · in attesa di un addetto
request-banner-reminded = Abbiamo sollecitato il personale: { $product } in { $size } arriva presto

## Scansione
scan-unknown = Articolo non trovato ({ $code }). Un addetto può aiutarti.
scan-added = { $product } ({ $size }) è tra i tuoi articoli

## Vestibilità
fit-title = Come ti sta?
fit-fits = Va bene
fit-too-small = Troppo piccolo
fit-too-big = Troppo grande
fit-not-for-me = Non fa per me
fit-next-online = { $size } in { $colour } è disponibile online
fit-next-sold-out = { $size } in { $colour } è esaurito qui e online
fit-no-larger = Non c'è una taglia più grande in { $colour }
fit-no-smaller = Non c'è una taglia più piccola in { $colour }
fit-next-here = { $size } in { $colour }: { $units } in questo negozio, chiedi a un addetto

## Pannello prodotti
price-only = { $price }
items-title = I tuoi articoli
items-hint = Scansiona un'etichetta con il lettore, mostrala alla fotocamera o sfoglia.
items-empty = Ancora niente di identificato.
catalog-unavailable = Il catalogo prodotti non è ancora disponibile.
product-gone = Questo prodotto non è più in catalogo.
item-untitled = Articolo
browse-title = Sfoglia
confirm-title = Un'altra taglia?
size-colour = { $size } · { $colour }
units-more-here = altri { $units } qui
last-one-here = l'ultimo qui
units-here = { $units } qui
sold-out = esaurito
sold-out-here = esaurito qui
ask-for = Chiedi { $size } in { $colour } · { $units } qui
item-price-brand = { $price } · { $brand }
colours-title = Colori
sizes-title = Taglie in questo colore
item-sold-out-here = { $colour } in { $size } è esaurito qui
item-ask-associate = { $units } in questo negozio: chiedi a un addetto
complete-the-look = Completa il look
suggestion-goes-with = { $price } · si abbina
suggestion-alternative = { $price } · in alternativa
browse-all = tutto
search-empty = Cerca: tocca le lettere
search-query = Cerca: { $query }
key-space = spazio
key-clear = cancella
search-nothing = Nessun risultato. Prova con meno lettere.
confirm-question = Chiedere a un addetto di portare { $product } in taglia { $size }, { $colour }, a { $room }?
confirm-yes = Sì, portamelo

## Portalo a casa
lifetime-hours =
    { $hours ->
        [one] { $hours } ora
       *[other] { $hours } ore
    }
lifetime-days =
    { $days ->
        [one] { $days } giorno
       *[other] { $days } giorni
    }
takehome-title = Portalo a casa
end-session = Termina sessione
not-now = Non ora
done = Fatto
takehome-before-you-go = Prima di andare: porti a casa sul telefono ciò che hai provato? Niente app, niente account.
takehome-intro = Sul tuo telefono: niente app, niente account. Il link vale { $lifetime }; puoi eliminarlo quando vuoi.
takehome-item = { $product } · { $size } · { $colour }
takehome-item-fit = { $item } · { $fit }
takehome-no-items = Nessun articolo identificato: scansiona prima ciò che hai provato.
takehome-looks-hint = I tuoi look partono solo se li spunti:
takehome-include = Includi
takehome-include-ticked = ✔ Includi
takehome-make-link = Crea il mio link
takehome-making = Creo il tuo link…
takehome-scan = Scansiona con la fotocamera del telefono
takehome-until = Il link vale { $lifetime }; eliminalo dal telefono quando vuoi. Terminare la sessione qui non lo elimina.
takehome-failed = Non siamo riusciti a creare il tuo link: { $reason }. Chiedi alla cassa.
takehome-off = Portalo a casa è disattivato su questo specchio
share-live-watching = ● LIVE · { $viewers } guardano
share-live-stopping = ● LIVE · in chiusura…
share-tally = Compralo { $buy } · Lascialo { $skip }
share-starting = Avvio della condivisione…
share-consent-title = Condividere il tuo look in diretta?
share-consent-body =
    Gli amici a cui dai il link vedono questo specchio in diretta
    sul telefono e possono inviare reazioni.

    Nulla viene registrato o conservato, né qui né altrove.
    Un segnale LIVE appare ogni volta che qualcuno può guardare.
    Interrompi quando vuoi con "Interrompi condivisione";
    anche la fine della sessione la interrompe.
share-start = Avvia condivisione
share-scan = Scansiona per guardare in diretta
share-stop = Interrompi condivisione

## Reazioni
reaction-love = ♥ Adoro
reaction-hot = ★ Top
reaction-yes = ✔ Sì
reaction-no = ✘ No
reaction-wow = ☺ Wow
reaction-other = ? Mah

## Barra degli strumenti
toolbar-end = Termina sessione
toolbar-share = Condividi
toolbar-scan = Scansiona
toolbar-looks = Look
toolbar-take-home = A casa
toolbar-lights = Luci
toolbar-language = Lingua
toolbar-accessibility = Accessibilità
badge-demo-camera = FOTOCAMERA DEMO · nessuna fotocamera trovata
badge-synthetic-camera = FOTOCAMERA SINTETICA
language-title = Lingua

## Lights ($kelvin: the scene's colour temperature)
lights-title = Luci
lights-daylight = Luce diurna · { $kelvin } K
lights-store = Negozio · { $kelvin } K
lights-sunset = Tramonto · { $kelvin } K
lights-evening = Sera · { $kelvin } K, soffusa
lights-not-answering = Le luci non rispondono ora; lo specchio continua a funzionare.

## Accessibility
access-title = Accessibilità
access-large-text = Testo più grande
access-read-aloud = Lettura ad alta voce
access-switch-scan = Scansione a sensore
access-on = { $mode }: attivo
access-off = { $mode }: disattivo
access-switch-hint = Con la scansione l’evidenziazione avanza da sola: premi il tuo sensore (Spazio o Invio) su quella che vuoi.
