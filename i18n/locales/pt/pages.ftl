# As páginas abertas no navegador (traduzidas de en/pages.ftl).

## Um amigo a ver o look
viewer-title = Look ao vivo
viewer-live = AO VIVO
viewer-connecting = A ligar…
viewer-frame-alt = Imagem ao vivo do espelho do provador
viewer-reactions = Reações
viewer-react = Reagir { $emoji }
viewer-buy = Compra
viewer-skip = Deixa
viewer-tally = Compra { $buy } · Deixa { $skip }
viewer-looks = Looks que te estão a mostrar
viewer-looks-title = Qual? Escolhe o look de que mais gostas
viewer-look-alt = Um look do provador
viewer-pick = Este
viewer-picked = ✔ Este
viewer-picks = { $count ->
    [one] { $count } escolha
   *[other] { $count } escolhas
}
viewer-watching = { $count ->
    [one] { $count } a ver
   *[other] { $count } a ver
}
viewer-feed = O que dizem os amigos
viewer-name = O teu nome
viewer-comment = Diz algo simpático
viewer-send = Enviar
viewer-ended-title = Este look terminou
viewer-ended-body = A partilha terminou. Nada dela fica guardado.
viewer-state-connecting = a ligar…
viewer-state-live = ao vivo
viewer-state-sent = enviado
viewer-state-slow = mais devagar
viewer-state-ended = terminado
viewer-state-reconnecting = a religar…

## A sessão levada para casa
home-title = O teu provador
home-opening = A abrir…
home-needs-script = Esta página decifra no teu próprio telemóvel o que levaste, por isso precisa de JavaScript: o servidor da loja só guarda uma cópia cifrada que não consegue ler.
home-items = As peças que experimentaste
home-looks = Os teus looks
home-delete = Apagar agora
home-privacy = Nada aqui está ligado a ti: nem conta, nem e-mail, nem número de telefone. O servidor da loja só guarda uma cópia cifrada até à hora indicada acima (ou até a apagares); a chave está neste link depois do «#» e nunca sai do teu telemóvel. Se o servidor da loja reiniciar, o link pode terminar mais cedo.
home-until = Este link funciona até { $until } · { $store }
home-in-store = { $count ->
    [one] { $count } em { $store }
   *[other] { $count } em { $store }
}
home-not-in-store = Agora não há em { $store }
home-buy = Comprar online
home-look-alt = Um look
home-needs-https = Este link precisa de uma ligação segura (https). Pergunta na loja.
home-incomplete = Este link está incompleto: falta uma parte. Lê de novo o código do espelho ou copia o link inteiro.
home-wrong-key = Este link está incompleto: a sua chave não o abre. Lê de novo o código do espelho ou copia o link inteiro.
home-ended = Este link terminou: expirou ou foi apagado. Nada dele fica guardado.
home-nothing = Não há nada neste link.
home-deleted = Apagado. Nada dele fica guardado.
home-not-deleted = Não foi possível apagar ({ $status }). Termina sozinho à hora indicada.
home-unreachable = Não foi possível abrir este link. Verifica a ligação e tenta de novo.

## Pedidos de tamanho para a equipa
staff-title = Pedidos de tamanho
staff-empty = Não há pedidos em aberto. Os novos aparecem aqui sozinhos.
staff-just-now = agora mesmo
staff-minutes-ago = { $count ->
    [one] há { $count } min
   *[other] há { $count } min
}
staff-what = { $product } · tamanho { $size } · { $colour }
staff-bringing = { $name } vai levá-lo
staff-reminded = { $count ->
    [one] lembrado uma vez
   *[other] lembrado { $count } vezes
}
staff-accept = Eu levo
staff-done = Entregue
staff-store = Loja
staff-show = Mostrar
staff-not-sent = não enviado: { $reason }
staff-no-store = Nenhuma loja do teu âmbito tem ainda um espelho.
console-name = Consola dos espelhos
console-nav-fleet = Frota
console-nav-alerts = Alertas
console-nav-requests = Pedidos de tamanho
console-nav-commands = Comandos
console-nav-rollouts = Implementações
console-nav-analytics = Análise
console-sign-in = Iniciar sessão
console-sign-out = Terminar sessão
console-user-name = Nome de utilizador
console-password = Palavra-passe
console-refused = Esse nome e essa palavra-passe não correspondem.
console-role-associate = assistente de loja
console-role-store-manager = gerente de loja
console-role-fleet-operator = operação da frota
console-role-analyst = analista
console-role-admin = administrador
