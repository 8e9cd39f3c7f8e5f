# Les pages ouvertes dans un navigateur (traduites de en/pages.ftl).

## Un ami qui regarde la tenue
viewer-title = Tenue en direct
viewer-live = EN DIRECT
viewer-connecting = Connexion…
viewer-frame-alt = Image en direct du miroir de la cabine d’essayage
viewer-reactions = Réactions
viewer-react = Réagir { $emoji }
viewer-buy = Achète-le
viewer-skip = Laisse tomber
viewer-tally = Achète-le { $buy } · Laisse tomber { $skip }
viewer-looks = Les tenues qu’on vous montre
viewer-looks-title = Laquelle ? Choisissez la tenue que vous préférez
viewer-look-alt = Une tenue de la cabine d’essayage
viewer-pick = Celle-ci
viewer-picked = ✔ Celle-ci
viewer-picks = { $count ->
    [one] { $count } choix
   *[other] { $count } choix
}
viewer-watching = { $count ->
    [one] { $count } spectateur
   *[other] { $count } spectateurs
}
viewer-feed = Ce que disent vos amis
viewer-name = Votre prénom
viewer-comment = Dites quelque chose de gentil
viewer-send = Envoyer
viewer-ended-title = Cette tenue n’est plus partagée
viewer-ended-body = Le partage est terminé. Rien n’en est conservé.
viewer-state-connecting = connexion…
viewer-state-live = en direct
viewer-state-sent = envoyé
viewer-state-slow = plus lentement
viewer-state-ended = terminé
viewer-state-reconnecting = reconnexion…

## La séance emportée chez soi
home-title = Votre cabine d’essayage
home-opening = Ouverture…
home-needs-script = Cette page déchiffre sur votre téléphone ce que vous avez emporté, elle a donc besoin de JavaScript : le serveur du magasin n’en garde qu’une copie chiffrée qu’il ne peut pas lire.
home-items = Les articles essayés
home-looks = Vos tenues
home-delete = Supprimer maintenant
home-privacy = Rien ici n’est lié à vous : ni compte, ni e-mail, ni numéro de téléphone. Le serveur du magasin ne garde qu’une copie chiffrée jusqu’à l’heure indiquée (ou jusqu’à ce que vous la supprimiez) ; la clé est dans ce lien après le « # » et ne quitte jamais votre téléphone. Si le serveur du magasin redémarre, le lien peut expirer plus tôt.
home-until = Ce lien fonctionne jusqu’au { $until } · { $store }
home-in-store = { $count ->
    [one] { $count } à { $store }
   *[other] { $count } à { $store }
}
home-not-in-store = Pas à { $store } en ce moment
home-buy = Acheter en ligne
home-look-alt = Une tenue
home-needs-https = Ce lien doit s’ouvrir par une connexion sécurisée (https). Demandez au magasin.
home-incomplete = Ce lien est incomplet : il en manque une partie. Scannez à nouveau le code du miroir ou copiez le lien en entier.
home-wrong-key = Ce lien est incomplet : sa clé ne l’ouvre pas. Scannez à nouveau le code du miroir ou copiez le lien en entier.
home-ended = Ce lien a expiré ou a été supprimé. Rien n’en est conservé.
home-nothing = Il n’y a rien à ce lien.
home-deleted = Supprimé. Rien n’en est conservé.
home-not-deleted = La suppression a échoué ({ $status }). Le lien expire de lui-même à l’heure indiquée.
home-unreachable = Impossible d’ouvrir ce lien. Vérifiez votre connexion et réessayez.

## Demandes de taille pour les vendeurs
staff-title = Demandes de taille
staff-empty = Aucune demande en cours. Les nouvelles s’affichent ici d’elles-mêmes.
staff-just-now = à l’instant
staff-minutes-ago = { $count ->
    [one] il y a { $count } min
   *[other] il y a { $count } min
}
staff-what = { $product } · taille { $size } · { $colour }
staff-bringing = { $name } l’apporte
staff-reminded = { $count ->
    [one] relancé { $count } fois
   *[other] relancé { $count } fois
}
staff-accept = Je l’apporte
staff-done = Remis
staff-store = Magasin
staff-show = Afficher
staff-not-sent = non envoyé : { $reason }
staff-no-store = Aucun magasin de votre périmètre n’a encore de miroir.
console-name = Console des miroirs
console-nav-fleet = Parc
console-nav-alerts = Alertes
console-nav-requests = Demandes de taille
console-nav-commands = Commandes
console-nav-rollouts = Déploiements
console-nav-analytics = Statistiques
console-sign-in = Se connecter
console-sign-out = Se déconnecter
console-user-name = Nom d’utilisateur
console-password = Mot de passe
console-refused = Ce nom et ce mot de passe ne correspondent pas.
console-role-associate = conseiller de vente
console-role-store-manager = responsable de magasin
console-role-fleet-operator = exploitation du parc
console-role-analyst = analyste
console-role-admin = administrateur
