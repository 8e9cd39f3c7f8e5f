# The pages phones and staff open in a browser: a friend's live view, the take-home page and the
# associates' size-request board. Each page is served in the language its browser asks for.
# Variables named `count` choose the plural form; the others are data put in as they are.

## A friend watching the look (relay/src/viewer.html)
viewer-title = Live look
viewer-live = LIVE
viewer-connecting = Connecting…
viewer-frame-alt = Live picture from the fitting-room mirror
viewer-reactions = Reactions
viewer-react = React { $emoji }
viewer-buy = Buy it
viewer-skip = Skip it
viewer-tally = Buy it { $buy } · Skip it { $skip }
viewer-looks = Looks the shopper is showing you
viewer-looks-title = Which one? Pick the look you like best
viewer-look-alt = A look from the fitting room
viewer-pick = This one
viewer-picked = ✔ This one
viewer-picks = { $count ->
    [one] { $count } pick
   *[other] { $count } picks
}
viewer-watching = { $count ->
    [one] { $count } watching
   *[other] { $count } watching
}
viewer-feed = What friends are saying
viewer-name = Your name
viewer-comment = Say something nice
viewer-send = Send
viewer-ended-title = This look has ended
viewer-ended-body = The shopper stopped sharing. Nothing from it is kept.
viewer-state-connecting = connecting…
viewer-state-live = live
viewer-state-sent = sent
viewer-state-slow = slow down
viewer-state-ended = ended
viewer-state-reconnecting = reconnecting…

## The session a shopper took home (relay/src/takehome.html)
home-title = Your fitting room
home-opening = Opening…
home-needs-script = This page decrypts what you took home on your phone itself, so it needs JavaScript: the store's server holds only an encrypted copy it cannot read.
home-items = The items you tried
home-looks = Your looks
home-delete = Delete now
home-privacy = Nothing here is linked to you: no account, no email, no phone number. The store's server keeps only an encrypted copy until the time above (or until you delete it); the key is in this link after the “#” and never leaves your phone. If the store's server restarts, the link may end early.
home-until = This link works until { $until } · { $store }
home-in-store = { $count ->
    [one] { $count } in { $store }
   *[other] { $count } in { $store }
}
home-not-in-store = Not in { $store } right now
home-buy = Buy online
home-look-alt = A look
home-needs-https = This link needs a secure (https) connection to open. Ask the store.
home-incomplete = This link is incomplete: part of it is missing. Scan the code on the mirror again, or copy the whole link.
home-wrong-key = This link is incomplete: its key does not open it. Scan the code on the mirror again, or copy the whole link.
home-ended = This link has ended: it expired or was deleted. Nothing of it is kept.
home-nothing = There is nothing at this link.
home-deleted = Deleted. Nothing of it is kept.
home-not-deleted = It could not be deleted ({ $status }). It ends by itself at the time shown.
home-unreachable = This link could not be opened. Check your connection and try again.

## The associates' size-request board and the console's sign-in (console/src/pages)
staff-title = Size requests
staff-empty = No open requests. New ones appear here by themselves.
staff-just-now = just now
staff-minutes-ago = { $count ->
    [one] { $count } min ago
   *[other] { $count } min ago
}
staff-what = { $product } · size { $size } · { $colour }
staff-bringing = { $name } is bringing it
staff-reminded = { $count ->
    [one] reminded once
   *[other] reminded { $count } times
}
staff-accept = I’m bringing it
staff-done = Handed over
staff-store = Store
staff-show = Show
staff-not-sent = not sent: { $reason }
staff-no-store = No store in your scope has a mirror yet.
console-name = Mirror console
console-nav-fleet = Fleet
console-nav-alerts = Alerts
console-nav-requests = Size requests
console-nav-commands = Commands
console-nav-rollouts = Rollouts
console-nav-analytics = Analytics
console-sign-in = Sign in
console-sign-out = Sign out
console-user-name = User name
console-password = Password
console-refused = That name and password do not match.
console-role-associate = associate
console-role-store-manager = store manager
console-role-fleet-operator = fleet operator
console-role-analyst = analyst
console-role-admin = admin
