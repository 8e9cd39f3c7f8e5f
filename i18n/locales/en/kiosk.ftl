# The smart mirror's texts in English: the reference every other locale translates.
# Ids are grouped by screen; variables are data (names, sizes) or numbers ($count chooses plurals).

## Prices: $amount is already written the language's way, $symbol is the currency's.
price = { $symbol }{ $amount }

## Attract screen
attract-subtitle = Smart mirror
attract-start = Touch to start
attract-privacy =
    Your picture stays on this mirror.
    Nothing is recorded or shared unless you choose to.

## Still there?
still-there-title = Still there?
still-there-seconds = { $seconds }
still-there-body =
    Touch the screen or press any key to keep going,
    as often as you like. Otherwise this session ends
    and everything from it is cleared.
still-there-continue = I'm still here

## Camera unavailable, out of service
camera-unavailable-title = Camera unavailable
camera-unavailable-body =
    The mirror will be back by itself in a moment.
    If it isn't, please ask a store associate.
maintenance-title = Out of service
maintenance-body =
    This mirror is being looked after.
    Please use another fitting room or ask a store associate.

## Twirl and See your back ($position, $length: seconds with one decimal; $delay: whole seconds)
twirl-recording-title = ● Recording your twirl: turn around slowly
twirl-recording-progress = { $position } s of { $length } s
twirl-stop = Stop
twirl-replay-title = Your twirl
twirl-progress = { $position } s / { $length } s
twirl-pause = Pause
twirl-play = Play
twirl-record-again = Record again
twirl-delete = Delete twirl
twirl-done = Done
back-title = See your back · { $delay } s late
back-hint = Turn around: you show here { $delay } s later
back-turn-slowly = Turn around slowly
back-to-live = Back to live

## Looks ($count, $max, $most: whole numbers)
looks-title = Your looks · { $count } of { $max }
looks-compare-these = Compare { $count } looks
looks-empty-hint = Take a look at each outfit you try: they stay on this mirror until your session ends.
looks-take = Take a look
looks-full = { $max } looks: delete one to take another
looks-full-toast = You have { $max } looks: delete one to take another
looks-play-twirl = Play your twirl
looks-record-twirl = Record a twirl
looks-see-back = See your back
looks-untitled = Look
looks-compare = Compare
looks-compare-ticked = ✔ Compare
looks-delete = Delete
looks-shown = ✔ Shown
looks-show-friends = Show friends
looks-friends-picked =
    { $count ->
        [one] ♥ { $count } friend picked this
       *[other] ♥ { $count } friends picked this
    }
looks-no-picture = The camera gave no picture: try again
looks-compare-limit = { $most } looks fit side by side: untick one first

## Shared buttons
close = Close
back = Back
cancel = Cancel

## Sharing ($reason: what went wrong, as the relay or network said it)
share-off = Sharing is switched off on this mirror
share-unavailable = Sharing is unavailable right now. Trying again…
share-stopped = Sharing stopped: { $reason }

## Size requests to the staff ($product, $size, $colour: catalog data; $associate: a first name)
request-sold-out = { $product } in { $size } is sold out here
request-failed = We couldn't send this request: please ask at the desk
request-offline = This mirror is not connected to the staff: please ask at the desk
request-sent = We asked the team for { $product } in { $size }
request-on-its-way = { $associate } is bringing it
request-banner-accepted = ✔ { $associate } is bringing { $product } in { $size } ({ $colour })
request-banner-waiting = Asked for { $product } in { $size } ({ $colour }) · waiting for an associate
request-banner-reminded = We reminded the team: { $product } in { $size } is on its way soon

## Scanning
scan-unknown = We couldn't find that item ({ $code }). An associate can help.
scan-added = { $product } ({ $size }) is in your items

## Fit feedback
fit-title = How does it fit?
fit-fits = Fits
fit-too-small = Too small
fit-too-big = Too big
fit-not-for-me = Not for me
fit-next-online = { $size } in { $colour } is available online
fit-next-sold-out = { $size } in { $colour } is sold out here and online
fit-no-larger = There is no larger size in { $colour }
fit-no-smaller = There is no smaller size in { $colour }
fit-next-here = { $size } in { $colour }: { $units } in this store, ask an associate

## Products panel ($price: a price already written the language's way; $units: a count)
price-only = { $price }
items-title = Your items
items-hint = Scan a tag with the scanner, hold it up to the camera, or browse.
items-empty = Nothing identified yet.
catalog-unavailable = The product catalog is not available yet.
product-gone = This product is no longer in the catalog.
item-untitled = Item
browse-title = Browse
confirm-title = Another size?
size-colour = { $size } · { $colour }
units-more-here = { $units } more here
last-one-here = last one here
units-here = { $units } here
sold-out = sold out
sold-out-here = sold out here
ask-for = Ask for { $size } in { $colour } · { $units } here
item-price-brand = { $price } · { $brand }
colours-title = Colours
sizes-title = Sizes in this colour
item-sold-out-here = { $colour } in { $size } is sold out here
item-ask-associate = { $units } in this store: ask an associate
complete-the-look = Complete the look
suggestion-goes-with = { $price } · goes with it
suggestion-alternative = { $price } · also consider
browse-all = all
search-empty = Search: tap the letters
search-query = Search: { $query }
key-space = space
key-clear = clear
search-nothing = Nothing matches. Try fewer letters.
confirm-question = Ask an associate to bring { $product } in size { $size }, { $colour }, to { $room }?
confirm-yes = Yes, please bring it

## Take it home ($lifetime: "24 hours", "3 days"; $reason: what went wrong)
lifetime-hours =
    { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }
lifetime-days =
    { $days ->
        [one] { $days } day
       *[other] { $days } days
    }
takehome-title = Take it home
end-session = End session
not-now = Not now
done = Done
takehome-before-you-go = Before you go: take what you tried home on your phone? No app, no account.
takehome-intro = On your own phone: no app, no account. The link works for { $lifetime }; you can delete it any time.
takehome-item = { $product } · { $size } · { $colour }
takehome-item-fit = { $item } · { $fit }
takehome-no-items = No items identified yet: scan what you tried first.
takehome-looks-hint = Your looks go only if you tick them:
takehome-include = Include
takehome-include-ticked = ✔ Include
takehome-make-link = Make my link
takehome-making = Making your link…
takehome-scan = Scan with your phone's camera
takehome-until = The link works for { $lifetime }; delete it on your phone any time. Ending your session here does not delete it.
takehome-failed = We couldn't make your link: { $reason }. Please ask at the desk.
takehome-off = Taking it home is switched off on this mirror
share-live-watching = ● LIVE · { $viewers } watching
share-live-stopping = ● LIVE · stopping…
share-tally = Buy it { $buy } · Skip it { $skip }
share-starting = Starting the share…
share-consent-title = Share your look live?
share-consent-body =
    Friends you give the link to see this mirror live
    on their phones and can send reactions.

    Nothing is recorded or kept, here or anywhere.
    A LIVE sign shows whenever someone can watch.
    Stop any time with "Stop sharing";
    ending your session stops it too.
share-start = Start sharing
share-scan = Scan to watch live
share-stop = Stop sharing

## Friends' reactions, floating over the mirror
reaction-love = ♥ Love
reaction-hot = ★ Hot
reaction-yes = ✔ Yes
reaction-no = ✘ No
reaction-wow = ☺ Wow
reaction-other = ? Hmm

## Toolbar
toolbar-end = End session
toolbar-share = Share
toolbar-scan = Scan item
toolbar-looks = Looks
toolbar-take-home = Take it home
toolbar-lights = Lights
toolbar-language = Language
toolbar-accessibility = Accessibility
badge-demo-camera = DEMO CAMERA · no camera found
badge-synthetic-camera = SYNTHETIC CAMERA
language-title = Language

## Lights ($kelvin: the scene's colour temperature)
lights-title = Lights
lights-daylight = Daylight · { $kelvin } K
lights-store = Store · { $kelvin } K
lights-sunset = Sunset · { $kelvin } K
lights-evening = Evening · { $kelvin } K, dimmed
lights-not-answering = The lights are not answering right now; the mirror keeps working.

## Accessibility
access-title = Accessibility
access-large-text = Larger text
access-read-aloud = Read aloud
access-switch-scan = Switch scanning
access-on = { $mode }: on
access-off = { $mode }: off
access-switch-hint = With switch scanning the highlight moves by itself: press your switch (Space or Enter) on the one you want.
