# Las páginas que se abren en el navegador (traducidas de en/pages.ftl).

## Un amigo que mira el look
viewer-title = Look en directo
viewer-live = EN DIRECTO
viewer-connecting = Conectando…
viewer-frame-alt = Imagen en directo del espejo del probador
viewer-reactions = Reacciones
viewer-react = Reaccionar { $emoji }
viewer-buy = Cómpratelo
viewer-skip = Déjalo
viewer-tally = Cómpratelo { $buy } · Déjalo { $skip }
viewer-looks = Looks que te enseña quien se lo prueba
viewer-looks-title = ¿Cuál? Elige el look que más te guste
viewer-look-alt = Un look del probador
viewer-pick = Este
viewer-picked = ✔ Este
viewer-picks = { $count ->
    [one] { $count } voto
   *[other] { $count } votos
}
viewer-watching = { $count ->
    [one] { $count } mirando
   *[other] { $count } mirando
}
viewer-feed = Lo que dicen tus amigos
viewer-name = Tu nombre
viewer-comment = Di algo bonito
viewer-send = Enviar
viewer-ended-title = Este look ha terminado
viewer-ended-body = Ya no se comparte. No se guarda nada.
viewer-state-connecting = conectando…
viewer-state-live = en directo
viewer-state-sent = enviado
viewer-state-slow = más despacio
viewer-state-ended = terminado
viewer-state-reconnecting = reconectando…

## La sesión que te llevaste
home-title = Tu probador
home-opening = Abriendo…
home-needs-script = Esta página descifra en tu propio teléfono lo que te llevaste, así que necesita JavaScript: el servidor de la tienda solo guarda una copia cifrada que no puede leer.
home-items = Las prendas que te probaste
home-looks = Tus looks
home-delete = Borrar ahora
home-privacy = Nada de esto está vinculado a ti: ni cuenta, ni correo, ni teléfono. El servidor de la tienda solo guarda una copia cifrada hasta la hora indicada arriba (o hasta que la borres); la clave está en este enlace, después de «#», y nunca sale de tu teléfono. Si el servidor de la tienda se reinicia, el enlace puede terminar antes.
home-until = Este enlace funciona hasta { $until } · { $store }
home-in-store = { $count ->
    [one] { $count } en { $store }
   *[other] { $count } en { $store }
}
home-not-in-store = Ahora no hay en { $store }
home-buy = Comprar en línea
home-look-alt = Un look
home-needs-https = Este enlace necesita una conexión segura (https). Pregunta en la tienda.
home-incomplete = Este enlace está incompleto: falta una parte. Escanea de nuevo el código del espejo o copia el enlace entero.
home-wrong-key = Este enlace está incompleto: su clave no lo abre. Escanea de nuevo el código del espejo o copia el enlace entero.
home-ended = Este enlace ha terminado: caducó o se borró. No se guarda nada.
home-nothing = No hay nada en este enlace.
home-deleted = Borrado. No se guarda nada.
home-not-deleted = No se pudo borrar ({ $status }). Termina solo a la hora indicada.
home-unreachable = No se pudo abrir este enlace. Comprueba tu conexión y vuelve a intentarlo.

## Peticiones de talla para el personal
staff-title = Peticiones de talla
staff-empty = No hay peticiones abiertas. Las nuevas aparecen aquí solas.
staff-just-now = ahora mismo
staff-minutes-ago = { $count ->
    [one] hace { $count } min
   *[other] hace { $count } min
}
staff-what = { $product } · talla { $size } · { $colour }
staff-bringing = { $name } lo lleva
staff-reminded = { $count ->
    [one] recordado una vez
   *[other] recordado { $count } veces
}
staff-accept = Lo llevo yo
staff-done = Entregado
staff-store = Tienda
staff-show = Mostrar
staff-not-sent = no enviado: { $reason }
staff-no-store = Ninguna tienda de tu ámbito tiene aún un espejo.
console-name = Consola de espejos
console-nav-fleet = Flota
console-nav-alerts = Alertas
console-nav-requests = Peticiones de talla
console-nav-commands = Comandos
console-nav-rollouts = Despliegues
console-nav-analytics = Analítica
console-sign-in = Iniciar sesión
console-sign-out = Cerrar sesión
console-user-name = Nombre de usuario
console-password = Contraseña
console-refused = Ese nombre y esa contraseña no coinciden.
console-role-associate = dependiente
console-role-store-manager = encargado de tienda
console-role-fleet-operator = operación de flota
console-role-analyst = analista
console-role-admin = administración
