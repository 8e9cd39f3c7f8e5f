# Os textos do espelho inteligente em português (traduzidos de en/kiosk.ftl).

## Preços
price = { $amount } { $symbol }

## Ecrã inicial
attract-subtitle = Espelho inteligente
attract-start = Toque para começar
attract-privacy =
    A sua imagem fica neste espelho.
    Nada é gravado nem partilhado, a não ser que o escolha.

## Ainda está aí?
still-there-title = Ainda está aí?
still-there-seconds = { $seconds }
still-there-body =
    Toque no ecrã ou prima qualquer tecla para continuar,
    quantas vezes quiser. Caso contrário, esta sessão termina
    e tudo o que ela criou é apagado.
still-there-continue = Ainda estou aqui

## Câmara indisponível, fora de serviço
camera-unavailable-title = Câmara indisponível
camera-unavailable-body =
    O espelho volta sozinho dentro de momentos.
    Se não voltar, peça ajuda a um assistente da loja.
maintenance-title = Fora de serviço
maintenance-body =
    Este espelho está em manutenção.
    Use outro provador ou peça ajuda a um assistente.

## Rodopio e Ver as costas
twirl-recording-title = ● A gravar o seu rodopio: rode devagar
twirl-recording-progress = { $position } s de { $length } s
twirl-stop = Parar
twirl-replay-title = O seu rodopio
twirl-progress = { $position } s / { $length } s
twirl-pause = Pausa
twirl-play = Reproduzir
twirl-record-again = Gravar de novo
twirl-delete = Apagar rodopio
twirl-done = Concluído
back-title = Ver as costas · { $delay } s de atraso
back-hint = Vire-se: aparece aqui { $delay } s depois
back-turn-slowly = Rode devagar
back-to-live = Voltar ao direto

## Looks
looks-title = Os seus looks · { $count } de { $max }
looks-compare-these = Comparar { $count } looks
looks-empty-hint = Tire um look de cada conjunto que experimentar: ficam neste espelho até a sessão terminar.
looks-take = Tirar um look
looks-full = { $max } looks: apague um para tirar outro
looks-full-toast = Tem { $max } looks: apague um para tirar outro
looks-play-twirl = Ver o rodopio
looks-record-twirl = Gravar um rodopio
looks-see-back = Ver as costas
looks-untitled = Look
looks-compare = Comparar
looks-compare-ticked = ✔ Comparar
looks-delete = Apagar
looks-shown = ✔ Mostrado
looks-show-friends = Mostrar aos amigos
looks-friends-picked =
    { $count ->
        [one] ♥ { $count } amigo escolheu este
       *[other] ♥ { $count } amigos escolheram este
    }
looks-no-picture = A câmara não deu imagem: tente de novo
looks-compare-limit = Cabem { $most } looks lado a lado: desmarque um primeiro

## Botões comuns
close = Fechar
back = Voltar
cancel = Cancelar

## Partilha
share-off = A partilha está desativada neste espelho
share-unavailable = A partilha não está disponível agora. A tentar de novo…
share-stopped = A partilha parou: { $reason }

## Pedidos de tamanho
request-sold-out = { $product } em { $size } está esgotado aqui
request-failed = Não conseguimos enviar o pedido: pergunte no balcão
request-offline = Este espelho não está ligado à equipa: pergunte no balcão
request-sent = Pedimos à equipa { $product } em { $size }
request-on-its-way = { $associate } vai trazê-lo
request-banner-accepted = ✔ { $associate } vai trazer { $product } em { $size } ({ $colour })
request-banner-waiting = Pedido: { $product } em { $size } ({ $colour }) · à espera de um assistente
request-banner-reminded = Lembrámos a equipa: { $product } em { $size } chega em breve

## Digitalizar
scan-unknown = Não encontrámos esse artigo ({ $code }). Um assistente pode ajudar.
scan-added = { $product } ({ $size }) está nos seus artigos

## Como lhe fica
fit-title = Como lhe fica?
fit-fits = Fica bem
fit-too-small = Pequeno
fit-too-big = Grande
fit-not-for-me = Não é para mim
fit-next-online = { $size } em { $colour } está disponível online
fit-next-sold-out = { $size } em { $colour } está esgotado aqui e online
fit-no-larger = Não há tamanho maior em { $colour }
fit-no-smaller = Não há tamanho mais pequeno em { $colour }
fit-next-here = { $size } em { $colour }: { $units } nesta loja, peça a um assistente

## Painel de produtos
price-only = { $price }
items-title = Os seus artigos
items-hint = Digitalize uma etiqueta no leitor, mostre-a à câmara ou explore.
items-empty = Nada identificado ainda.
catalog-unavailable = O catálogo de produtos ainda não está disponível.
product-gone = Este produto já não está no catálogo.
item-untitled = Artigo
browse-title = Explorar
confirm-title = Outro tamanho?
size-colour = { $size } · { $colour }
units-more-here = mais { $units } aqui
last-one-here = o último aqui
units-here = { $units } aqui
sold-out = esgotado
sold-out-here = esgotado aqui
ask-for = Pedir { $size } em { $colour } · { $units } aqui
item-price-brand = { $price } · { $brand }
colours-title = Cores
sizes-title = Tamanhos nesta cor
item-sold-out-here = { $colour } em { $size } está esgotado aqui
item-ask-associate = { $units } nesta loja: peça a um assistente
complete-the-look = Complete o look
suggestion-goes-with = { $price } · combina
suggestion-alternative = { $price } · alternativa
browse-all = tudo
search-empty = Pesquisar: toque nas letras
search-query = Pesquisar: { $query }
key-space = espaço
key-clear = limpar
search-nothing = Nada encontrado. Tente menos letras.
confirm-question = Pedir a um assistente que traga { $product } no tamanho { $size }, { $colour }, para { $room }?
confirm-yes = Sim, traga por favor

## Leve para casa
lifetime-hours =
    { $hours ->
        [one] { $hours } hora
       *[other] { $hours } horas
    }
lifetime-days =
    { $days ->
        [one] { $days } dia
       *[other] { $days } dias
    }
takehome-title = Leve para casa
end-session = Terminar sessão
not-now = Agora não
done = Concluído
takehome-before-you-go = Antes de ir: leva o que experimentou no seu telemóvel? Sem app, sem conta.
takehome-intro = No seu próprio telemóvel: sem app, sem conta. O link funciona durante { $lifetime }; pode apagá-lo quando quiser.
takehome-item = { $product } · { $size } · { $colour }
takehome-item-fit = { $item } · { $fit }
takehome-no-items = Ainda não há artigos identificados: digitalize primeiro o que experimentou.
takehome-looks-hint = Os seus looks só vão se os marcar:
takehome-include = Incluir
takehome-include-ticked = ✔ Incluir
takehome-make-link = Criar o meu link
takehome-making = A criar o seu link…
takehome-scan = Digitalize com a câmara do telemóvel
takehome-until = O link funciona durante { $lifetime }; apague-o no telemóvel quando quiser. Terminar a sessão aqui não o apaga.
takehome-failed = Não conseguimos criar o seu link: { $reason }. Pergunte no balcão.
takehome-off = Leve para casa está desativado neste espelho
share-live-watching = ● EM DIRETO · { $viewers } a ver
share-live-stopping = ● EM DIRETO · a terminar…
share-tally = Compra { $buy } · Deixa { $skip }
share-starting = A iniciar a partilha…
share-consent-title = Partilhar o seu look em direto?
share-consent-body =
    Os amigos a quem der o link veem este espelho em direto
    no telemóvel e podem enviar reações.

    Nada é gravado nem guardado, aqui ou em qualquer lado.
    Um sinal EM DIRETO aparece sempre que alguém pode ver.
    Pare quando quiser com "Parar de partilhar";
    terminar a sessão também para.
share-start = Começar a partilhar
share-scan = Digitalize para ver em direto
share-stop = Parar de partilhar

## Reações
reaction-love = ♥ Adoro
reaction-hot = ★ Top
reaction-yes = ✔ Sim
reaction-no = ✘ Não
reaction-wow = ☺ Uau
reaction-other = ? Hmm

## Barra de ferramentas
toolbar-end = Terminar sessão
toolbar-share = Partilhar
toolbar-scan = Digitalizar
toolbar-looks = Looks
toolbar-take-home = Levar
toolbar-lights = Luzes
toolbar-language = Idioma
toolbar-accessibility = Acessibilidade
badge-demo-camera = CÂMARA DE DEMONSTRAÇÃO · nenhuma câmara encontrada
badge-synthetic-camera = CÂMARA SINTÉTICA
language-title = Idioma

## Lights ($kelvin: the scene's colour temperature)
lights-title = Luzes
lights-daylight = Luz do dia · { $kelvin } K
lights-store = Loja · { $kelvin } K
lights-sunset = Pôr do sol · { $kelvin } K
lights-evening = Noite · { $kelvin } K, suave
lights-not-answering = As luzes não respondem agora; o espelho continua a funcionar.

## Accessibility
access-title = Acessibilidade
access-large-text = Texto maior
access-read-aloud = Ler em voz alta
access-switch-scan = Varrimento com manípulo
access-on = { $mode }: ligado
access-off = { $mode }: desligado
access-switch-hint = Com o varrimento, o destaque avança sozinho: carrega no teu manípulo (Espaço ou Enter) quando estiver no que queres.
