# Los textos del espejo inteligente en español (traducidos de en/kiosk.ftl).

## Precios
price = { $amount } { $symbol }

## Pantalla de inicio
attract-subtitle = Espejo inteligente
attract-start = Toca para empezar
attract-privacy =
    Tu imagen se queda en este espejo.
    No se graba ni se comparte nada salvo que tú lo elijas.

## ¿Sigues ahí?
still-there-title = ¿Sigues ahí?
still-there-seconds = { $seconds }
still-there-body =
    Toca la pantalla o pulsa cualquier tecla para seguir,
    tantas veces como quieras. Si no, esta sesión termina
    y se borra todo lo que contiene.
still-there-continue = Sigo aquí

## Cámara no disponible, fuera de servicio
camera-unavailable-title = Cámara no disponible
camera-unavailable-body =
    El espejo volverá por sí solo en un momento.
    Si no, pide ayuda a un dependiente.
maintenance-title = Fuera de servicio
maintenance-body =
    Estamos revisando este espejo.
    Usa otro probador o pide ayuda a un dependiente.

## Giro y Ver tu espalda
twirl-recording-title = ● Grabando tu giro: gira despacio
twirl-recording-progress = { $position } s de { $length } s
twirl-stop = Parar
twirl-replay-title = Tu giro
twirl-progress = { $position } s / { $length } s
twirl-pause = Pausa
twirl-play = Reproducir
twirl-record-again = Grabar de nuevo
twirl-delete = Borrar giro
twirl-done = Listo
back-title = Ver tu espalda · { $delay } s de retraso
back-hint = Date la vuelta: aquí apareces { $delay } s después
back-turn-slowly = Gira despacio
back-to-live = Volver al directo

## Looks
looks-title = Tus looks · { $count } de { $max }
looks-compare-these = Comparar { $count } looks
looks-empty-hint = Haz una foto de cada conjunto que pruebes: se quedan en este espejo hasta que termine tu sesión.
looks-take = Hacer foto
looks-full = { $max } looks: borra uno para hacer otro
looks-full-toast = Tienes { $max } looks: borra uno para hacer otro
looks-play-twirl = Ver tu giro
looks-record-twirl = Grabar un giro
looks-see-back = Ver tu espalda
looks-untitled = Look
looks-compare = Comparar
looks-compare-ticked = ✔ Comparar
looks-delete = Borrar
looks-shown = ✔ Mostrado
looks-show-friends = Mostrar a amigos
looks-friends-picked =
    { $count ->
        [one] ♥ { $count } amigo eligió este
       *[other] ♥ { $count } amigos eligieron este
    }
looks-no-picture = La cámara no dio imagen: inténtalo de nuevo
looks-compare-limit = Caben { $most } looks lado a lado: desmarca uno primero

## Botones comunes
close = Cerrar
back = Atrás
cancel = Cancelar

## Compartir
share-off = Compartir está desactivado en este espejo
share-unavailable = Compartir no está disponible ahora. Reintentando…
share-stopped = Se dejó de compartir: { $reason }

## Peticiones de talla
request-sold-out = { $product } en { $size } está agotado aquí
request-failed = No pudimos enviar la petición: pregunta en el mostrador
request-offline = Este espejo no está conectado con el equipo: pregunta en el mostrador
request-sent = Pedimos al equipo { $product } en { $size }
request-on-its-way = { $associate } te lo trae
request-banner-accepted = ✔ { $associate } te trae { $product } en { $size } ({ $colour })
request-banner-waiting = Pedido { $product } en { $size } ({ $colour }) · esperando a un dependiente
request-banner-reminded = Se lo recordamos al equipo: { $product } en { $size } llegará pronto

## Escanear
scan-unknown = No encontramos ese artículo ({ $code }). Un dependiente puede ayudarte.
scan-added = { $product } ({ $size }) está en tus artículos

## Cómo te queda
fit-title = ¿Qué tal te queda?
fit-fits = Me queda bien
fit-too-small = Pequeño
fit-too-big = Grande
fit-not-for-me = No es para mí
fit-next-online = { $size } en { $colour } está disponible online
fit-next-sold-out = { $size } en { $colour } está agotado aquí y online
fit-no-larger = No hay una talla más grande en { $colour }
fit-no-smaller = No hay una talla más pequeña en { $colour }
fit-next-here = { $size } en { $colour }: { $units } en esta tienda, pregunta a un dependiente

## Panel de productos
price-only = { $price }
items-title = Tus artículos
items-hint = Escanea una etiqueta con el lector, acércala a la cámara o explora.
items-empty = Aún no hay nada identificado.
catalog-unavailable = El catálogo de productos aún no está disponible.
product-gone = Este producto ya no está en el catálogo.
item-untitled = Artículo
browse-title = Explorar
confirm-title = ¿Otra talla?
size-colour = { $size } · { $colour }
units-more-here = { $units } más aquí
last-one-here = el último aquí
units-here = { $units } aquí
sold-out = agotado
sold-out-here = agotado aquí
ask-for = Pedir { $size } en { $colour } · { $units } aquí
item-price-brand = { $price } · { $brand }
colours-title = Colores
sizes-title = Tallas en este color
item-sold-out-here = { $colour } en { $size } está agotado aquí
item-ask-associate = { $units } en esta tienda: pregunta a un dependiente
complete-the-look = Completa el look
suggestion-goes-with = { $price } · combina
suggestion-alternative = { $price } · otra opción
browse-all = todo
search-empty = Buscar: toca las letras
search-query = Buscar: { $query }
key-space = espacio
key-clear = borrar
search-nothing = Nada coincide. Prueba con menos letras.
confirm-question = ¿Pedir a un dependiente que traiga { $product } en talla { $size }, { $colour }, a { $room }?
confirm-yes = Sí, tráemelo

## Llévatelo a casa
lifetime-hours =
    { $hours ->
        [one] { $hours } hora
       *[other] { $hours } horas
    }
lifetime-days =
    { $days ->
        [one] { $days } día
       *[other] { $days } días
    }
takehome-title = Llévatelo a casa
end-session = Terminar sesión
not-now = Ahora no
done = Listo
takehome-before-you-go = Antes de irte: ¿te llevas lo que probaste en tu móvil? Sin app ni cuenta.
takehome-intro = En tu propio móvil: sin app ni cuenta. El enlace funciona durante { $lifetime }; puedes borrarlo cuando quieras.
takehome-item = { $product } · { $size } · { $colour }
takehome-item-fit = { $item } · { $fit }
takehome-no-items = Aún no hay artículos identificados: escanea primero lo que probaste.
takehome-looks-hint = Tus looks solo se envían si los marcas:
takehome-include = Incluir
takehome-include-ticked = ✔ Incluir
takehome-make-link = Crear mi enlace
takehome-making = Creando tu enlace…
takehome-scan = Escanea con la cámara de tu móvil
takehome-until = El enlace funciona durante { $lifetime }; bórralo en tu móvil cuando quieras. Terminar la sesión aquí no lo borra.
takehome-failed = No pudimos crear tu enlace: { $reason }. Pregunta en el mostrador.
takehome-off = Llevártelo a casa está desactivado en este espejo
share-live-watching = ● EN DIRECTO · { $viewers } mirando
share-live-stopping = ● EN DIRECTO · terminando…
share-tally = Cómpralo { $buy } · Déjalo { $skip }
share-starting = Iniciando…
share-consent-title = ¿Compartir tu look en directo?
share-consent-body =
    Los amigos a quienes des el enlace ven este espejo en directo
    en sus móviles y pueden enviar reacciones.

    No se graba ni se guarda nada, ni aquí ni en ningún sitio.
    Un aviso EN DIRECTO aparece siempre que alguien puede mirar.
    Para cuando quieras con "Dejar de compartir";
    terminar tu sesión también lo para.
share-start = Empezar a compartir
share-scan = Escanea para verlo en directo
share-stop = Dejar de compartir

## Reacciones
reaction-love = ♥ Me encanta
reaction-hot = ★ Top
reaction-yes = ✔ Sí
reaction-no = ✘ No
reaction-wow = ☺ Guau
reaction-other = ? Mmm

## Barra de herramientas
toolbar-end = Terminar sesión
toolbar-share = Compartir
toolbar-scan = Escanear
toolbar-looks = Looks
toolbar-take-home = Llévatelo
toolbar-lights = Luces
toolbar-language = Idioma
toolbar-accessibility = Accesibilidad
badge-demo-camera = CÁMARA DE DEMO · no se encontró cámara
badge-synthetic-camera = CÁMARA SINTÉTICA
language-title = Idioma

## Lights ($kelvin: the scene's colour temperature)
lights-title = Luces
lights-daylight = Luz de día · { $kelvin } K
lights-store = Tienda · { $kelvin } K
lights-sunset = Atardecer · { $kelvin } K
lights-evening = Noche · { $kelvin } K, tenue
lights-not-answering = Las luces no responden ahora; el espejo sigue funcionando.

## Accessibility
access-title = Accesibilidad
access-large-text = Texto más grande
access-read-aloud = Leer en voz alta
access-switch-scan = Barrido con pulsador
access-on = { $mode }: sí
access-off = { $mode }: no
access-switch-hint = Con el barrido, el resaltado avanza solo: pulsa tu pulsador (Espacio o Intro) cuando llegue al que quieres.
