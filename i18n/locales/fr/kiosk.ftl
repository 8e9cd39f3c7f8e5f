# Les textes du miroir connecté en français (traduits de en/kiosk.ftl).

## Prix
price = { $amount } { $symbol }

## Écran d'accueil
attract-subtitle = Miroir connecté
attract-start = Touchez pour commencer
attract-privacy =
    Votre image reste sur ce miroir.
    Rien n'est enregistré ni partagé sans votre accord.

## Toujours là ?
still-there-title = Toujours là ?
still-there-seconds = { $seconds }
still-there-body =
    Touchez l'écran ou appuyez sur une touche pour continuer,
    aussi souvent que vous le voulez. Sinon, cette session se termine
    et tout ce qu'elle contient est effacé.
still-there-continue = Je suis toujours là

## Caméra indisponible, hors service
camera-unavailable-title = Caméra indisponible
camera-unavailable-body =
    Le miroir revient de lui-même dans un instant.
    Sinon, demandez à un conseiller.
maintenance-title = Hors service
maintenance-body =
    Ce miroir est en cours d'entretien.
    Utilisez une autre cabine ou demandez à un conseiller.

## Tour sur soi et Voir votre dos
twirl-recording-title = ● Enregistrement de votre tour : tournez lentement
twirl-recording-progress = { $position } s sur { $length } s
twirl-stop = Arrêter
twirl-replay-title = Votre tour
twirl-progress = { $position } s / { $length } s
twirl-pause = Pause
twirl-play = Lire
twirl-record-again = Refaire
twirl-delete = Supprimer le tour
twirl-done = Terminé
back-title = Voir votre dos · { $delay } s de décalage
back-hint = Retournez-vous : vous apparaissez ici { $delay } s plus tard
back-turn-slowly = Tournez lentement
back-to-live = Retour au direct

## Looks
looks-title = Vos looks · { $count } sur { $max }
looks-compare-these = Comparer { $count } looks
looks-empty-hint = Prenez chaque tenue essayée en photo : elles restent sur ce miroir jusqu'à la fin de votre session.
looks-take = Prendre une photo
looks-full = { $max } looks : supprimez-en un pour en prendre un autre
looks-full-toast = Vous avez { $max } looks : supprimez-en un pour en prendre un autre
looks-play-twirl = Revoir votre tour
looks-record-twirl = Filmer un tour
looks-see-back = Voir votre dos
looks-untitled = Look
looks-compare = Comparer
looks-compare-ticked = ✔ Comparer
looks-delete = Supprimer
looks-shown = ✔ Montré
looks-show-friends = Montrer aux amis
looks-friends-picked =
    { $count ->
        [one] ♥ { $count } ami a choisi celui-ci
       *[other] ♥ { $count } amis ont choisi celui-ci
    }
looks-no-picture = La caméra n'a donné aucune image : réessayez
looks-compare-limit = { $most } looks tiennent côte à côte : décochez-en un d'abord

## Boutons communs
close = Fermer
back = Retour
cancel = Annuler

## Partage
share-off = Le partage est désactivé sur ce miroir
share-unavailable = Le partage est indisponible pour l'instant. Nouvel essai…
share-stopped = Partage arrêté : { $reason }

## Demandes de taille
request-sold-out = { $product } en { $size } est épuisé ici
request-failed = Impossible d'envoyer la demande : adressez-vous à l'accueil
request-offline = Ce miroir n'est pas relié à l'équipe : adressez-vous à l'accueil
request-sent = Nous avons demandé { $product } en { $size } à l'équipe
request-on-its-way = { $associate } vous l'apporte
request-banner-accepted = ✔ { $associate } vous apporte { $product } en { $size } ({ $colour })
request-banner-waiting = Demandé : { $product } en { $size } ({ $colour }) · en attente d'un conseiller
request-banner-reminded = Nous avons relancé l'équipe : { $product } en { $size } arrive bientôt

## Scan
scan-unknown = Article introuvable ({ $code }). Un conseiller peut vous aider.
scan-added = { $product } ({ $size }) est dans vos articles

## La coupe
fit-title = Comment ça tombe ?
fit-fits = Ça va
fit-too-small = Trop petit
fit-too-big = Trop grand
fit-not-for-me = Pas pour moi
fit-next-online = { $size } en { $colour } est disponible en ligne
fit-next-sold-out = { $size } en { $colour } est épuisé ici et en ligne
fit-no-larger = Pas de taille au-dessus en { $colour }
fit-no-smaller = Pas de taille en dessous en { $colour }
fit-next-here = { $size } en { $colour } : { $units } dans ce magasin, demandez à un conseiller

## Panneau des produits
price-only = { $price }
items-title = Vos articles
items-hint = Scannez une étiquette avec le lecteur, montrez-la à la caméra ou parcourez.
items-empty = Rien d'identifié pour l'instant.
catalog-unavailable = Le catalogue n'est pas encore disponible.
product-gone = Ce produit n'est plus au catalogue.
item-untitled = Article
browse-title = Parcourir
confirm-title = Une autre taille ?
size-colour = { $size } · { $colour }
units-more-here = encore { $units } ici
last-one-here = le dernier ici
units-here = { $units } ici
sold-out = épuisé
sold-out-here = épuisé ici
ask-for = Demander { $size } en { $colour } · { $units } ici
item-price-brand = { $price } · { $brand }
colours-title = Couleurs
sizes-title = Tailles dans cette couleur
item-sold-out-here = { $colour } en { $size } est épuisé ici
item-ask-associate = { $units } dans ce magasin : demandez à un conseiller
complete-the-look = Complétez le look
suggestion-goes-with = { $price } · va avec
suggestion-alternative = { $price } · à voir aussi
browse-all = tout
search-empty = Recherche : touchez les lettres
search-query = Recherche : { $query }
key-space = espace
key-clear = effacer
search-nothing = Aucun résultat. Essayez moins de lettres.
confirm-question = Demander à un conseiller d'apporter { $product } en taille { $size }, { $colour }, à { $room } ?
confirm-yes = Oui, apportez-le

## À emporter
lifetime-hours =
    { $hours ->
        [one] { $hours } heure
       *[other] { $hours } heures
    }
lifetime-days =
    { $days ->
        [one] { $days } jour
       *[other] { $days } jours
    }
takehome-title = À emporter
end-session = Terminer la session
not-now = Pas maintenant
done = Terminé
takehome-before-you-go = Avant de partir : emporter ce que vous avez essayé sur votre téléphone ? Sans appli ni compte.
takehome-intro = Sur votre propre téléphone : sans appli ni compte. Le lien fonctionne { $lifetime } ; vous pouvez le supprimer à tout moment.
takehome-item = { $product } · { $size } · { $colour }
takehome-item-fit = { $item } · { $fit }
takehome-no-items = Aucun article identifié : scannez d'abord ce que vous avez essayé.
takehome-looks-hint = Vos looks ne partent que si vous les cochez :
takehome-include = Inclure
takehome-include-ticked = ✔ Inclure
takehome-make-link = Créer mon lien
takehome-making = Création de votre lien…
takehome-scan = Scannez avec l'appareil photo de votre téléphone
takehome-until = Le lien fonctionne { $lifetime } ; supprimez-le sur votre téléphone quand vous voulez. Terminer la session ici ne le supprime pas.
takehome-failed = Impossible de créer votre lien : { $reason }. Adressez-vous à l'accueil.
takehome-off = L'option À emporter est désactivée sur ce miroir
share-live-watching = ● EN DIRECT · { $viewers } spectateurs
share-live-stopping = ● EN DIRECT · arrêt…
share-tally = Je prends { $buy } · Je passe { $skip }
share-starting = Démarrage du partage…
share-consent-title = Partager votre look en direct ?
share-consent-body =
    Les amis à qui vous donnez le lien voient ce miroir en direct
    sur leur téléphone et peuvent envoyer des réactions.

    Rien n'est enregistré ni conservé, ici ou ailleurs.
    Un signe EN DIRECT s'affiche dès que quelqu'un peut regarder.
    Arrêtez quand vous voulez avec « Arrêter le partage » ;
    terminer votre session l'arrête aussi.
share-start = Commencer le partage
share-scan = Scannez pour regarder en direct
share-stop = Arrêter le partage

## Réactions
reaction-love = ♥ J'adore
reaction-hot = ★ Canon
reaction-yes = ✔ Oui
reaction-no = ✘ Non
reaction-wow = ☺ Waouh
reaction-other = ? Hmm

## Barre d'outils
toolbar-end = Terminer la session
toolbar-share = Partager
toolbar-scan = Scanner
toolbar-looks = Looks
toolbar-take-home = À emporter
toolbar-lights = Lumière
toolbar-language = Langue
toolbar-accessibility = Accessibilité
badge-demo-camera = CAMÉRA DE DÉMO · aucune caméra trouvée
badge-synthetic-camera = CAMÉRA SYNTHÉTIQUE
language-title = Langue

## Lights ($kelvin: the scene's colour temperature)
lights-title = Lumière
lights-daylight = Lumière du jour · { $kelvin } K
lights-store = Magasin · { $kelvin } K
lights-sunset = Coucher de soleil · { $kelvin } K
lights-evening = Soirée · { $kelvin } K, tamisée
lights-not-answering = L'éclairage ne répond pas pour l'instant ; le miroir fonctionne toujours.

## Accessibility
access-title = Accessibilité
access-large-text = Texte plus grand
access-read-aloud = Lecture à voix haute
access-switch-scan = Défilement par contacteur
access-on = { $mode } : activé
access-off = { $mode } : désactivé
access-switch-hint = Avec le défilement, la sélection avance toute seule : appuyez sur votre contacteur (Espace ou Entrée) sur celle que vous voulez.
