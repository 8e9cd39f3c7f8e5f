# نصوص المرآة الذكية بالعربية (مترجمة من en/kiosk.ftl).

## الأسعار
price = { $amount } { $symbol }

## شاشة البداية
attract-subtitle = مرآة ذكية
attract-start = المس للبدء
attract-privacy =
    تبقى صورتك على هذه المرآة.
    لا يُسجَّل أي شيء ولا يُشارَك إلا إذا اخترت ذلك.

## هل ما زلت هنا؟
still-there-title = هل ما زلت هنا؟
still-there-seconds = { $seconds }
still-there-body =
    المس الشاشة أو اضغط أي مفتاح للمتابعة،
    كلما أردت. وإلا تنتهي هذه الجلسة
    ويُمحى كل ما فيها.
still-there-continue = ما زلت هنا

## الكاميرا غير متاحة، خارج الخدمة
camera-unavailable-title = الكاميرا غير متاحة
camera-unavailable-body =
    ستعود المرآة من تلقاء نفسها بعد لحظات.
    إن لم تعد، يُرجى سؤال أحد موظفي المتجر.
maintenance-title = خارج الخدمة
maintenance-body =
    هذه المرآة قيد الصيانة.
    يُرجى استخدام غرفة قياس أخرى أو سؤال أحد الموظفين.

## الدوران ورؤية الظهر
twirl-recording-title = ● جارٍ تسجيل دورانك: استدر ببطء
twirl-recording-progress = { $position } ث من { $length } ث
twirl-stop = إيقاف
twirl-replay-title = دورانك
twirl-progress = { $position } ث / { $length } ث
twirl-pause = إيقاف مؤقت
twirl-play = تشغيل
twirl-record-again = سجّل مجددًا
twirl-delete = احذف الدوران
twirl-done = تم
back-title = شاهد ظهرك · بتأخير { $delay } ث
back-hint = استدر: ستظهر هنا بعد { $delay } ث
back-turn-slowly = استدر ببطء
back-to-live = عودة إلى البث المباشر

## الإطلالات
looks-title = إطلالاتك · { $count } من { $max }
looks-compare-these = قارن { $count } إطلالات
looks-empty-hint = التقط إطلالة لكل زيّ تجرّبه: تبقى على هذه المرآة حتى تنتهي جلستك.
looks-take = التقط إطلالة
looks-full = { $max } إطلالات: احذف واحدة لالتقاط أخرى
looks-full-toast = لديك { $max } إطلالات: احذف واحدة لالتقاط أخرى
looks-play-twirl = شغّل دورانك
looks-record-twirl = سجّل دورانًا
looks-see-back = شاهد ظهرك
looks-untitled = إطلالة
looks-compare = قارن
looks-compare-ticked = ✔ قارن
looks-delete = احذف
looks-shown = ✔ معروضة
looks-show-friends = اعرضها على الأصدقاء
looks-friends-picked =
    { $count ->
        [zero] ♥ لم يختر أي صديق هذه
        [one] ♥ صديق واحد اختار هذه
        [two] ♥ صديقان اختارا هذه
        [few] ♥ { $count } أصدقاء اختاروا هذه
        [many] ♥ { $count } صديقًا اختاروا هذه
       *[other] ♥ { $count } صديق اختاروا هذه
    }
looks-no-picture = لم تُعطِ الكاميرا صورة: حاول مجددًا
looks-compare-limit = يمكن عرض { $most } إطلالات جنبًا إلى جنب: ألغِ تحديد واحدة أولًا

## أزرار مشتركة
close = إغلاق
back = رجوع
cancel = إلغاء

## المشاركة
share-off = المشاركة متوقفة على هذه المرآة
share-unavailable = المشاركة غير متاحة الآن. جارٍ إعادة المحاولة…
share-stopped = توقفت المشاركة: { $reason }

## طلبات المقاسات
request-sold-out = { $product } بمقاس { $size } نفد هنا
request-failed = تعذّر إرسال الطلب: يُرجى السؤال عند المكتب
request-offline = هذه المرآة غير متصلة بالموظفين: يُرجى السؤال عند المكتب
request-sent = طلبنا من الفريق { $product } بمقاس { $size }
request-on-its-way = { $associate } في الطريق إليك به
request-banner-accepted = ✔ { $associate } يحضر { $product } بمقاس { $size } ({ $colour })
request-banner-waiting = طُلب { $product } بمقاس { $size } ({ $colour }) · بانتظار أحد الموظفين
request-banner-reminded = ذكّرنا الفريق: { $product } بمقاس { $size } سيصل قريبًا

## المسح
scan-unknown = لم نعثر على هذا المنتج ({ $code }). يمكن لأحد الموظفين مساعدتك.
scan-added = أُضيف { $product } ({ $size }) إلى منتجاتك

## المقاس
fit-title = كيف المقاس؟
fit-fits = مناسب
fit-too-small = صغير
fit-too-big = كبير
fit-not-for-me = لا يناسبني
fit-next-online = المقاس { $size } باللون { $colour } متاح عبر الإنترنت
fit-next-sold-out = المقاس { $size } باللون { $colour } نفد هنا وعبر الإنترنت
fit-no-larger = لا يوجد مقاس أكبر باللون { $colour }
fit-no-smaller = لا يوجد مقاس أصغر باللون { $colour }
fit-next-here = المقاس { $size } باللون { $colour }: { $units } في هذا المتجر، اسأل أحد الموظفين

## لوحة المنتجات
price-only = { $price }
items-title = منتجاتك
items-hint = امسح بطاقة بالماسح، أو اعرضها أمام الكاميرا، أو تصفّح.
items-empty = لم يُتعرَّف على شيء بعد.
catalog-unavailable = كتالوج المنتجات غير متاح بعد.
product-gone = لم يعد هذا المنتج في الكتالوج.
item-untitled = منتج
browse-title = تصفّح
confirm-title = مقاس آخر؟
size-colour = { $size } · { $colour }
units-more-here = { $units } أخرى هنا
last-one-here = آخر قطعة هنا
units-here = { $units } هنا
sold-out = نفد
sold-out-here = نفد هنا
ask-for = اطلب { $size } باللون { $colour } · { $units } هنا
item-price-brand = { $price } · { $brand }
colours-title = الألوان
sizes-title = المقاسات بهذا اللون
item-sold-out-here = { $colour } بمقاس { $size } نفد هنا
item-ask-associate = { $units } في هذا المتجر: اسأل أحد الموظفين
complete-the-look = أكمل الإطلالة
suggestion-goes-with = { $price } · يليق به
suggestion-alternative = { $price } · خيار آخر
browse-all = الكل
search-empty = بحث: المس الحروف
search-query = بحث: { $query }
key-space = مسافة
key-clear = مسح
search-nothing = لا نتائج. جرّب حروفًا أقل.
confirm-question = هل تطلب من أحد الموظفين إحضار { $product } بمقاس { $size }، { $colour }، إلى { $room }؟
confirm-yes = نعم، أحضره من فضلك

## خذه معك
lifetime-hours =
    { $hours ->
        [zero] { $hours } ساعة
        [one] ساعة واحدة
        [two] ساعتين
        [few] { $hours } ساعات
        [many] { $hours } ساعة
       *[other] { $hours } ساعة
    }
lifetime-days =
    { $days ->
        [zero] { $days } يوم
        [one] يوم واحد
        [two] يومين
        [few] { $days } أيام
        [many] { $days } يومًا
       *[other] { $days } يوم
    }
takehome-title = خذه معك
end-session = إنهاء الجلسة
not-now = ليس الآن
done = تم
takehome-before-you-go = قبل أن تغادر: هل تأخذ ما جرّبته إلى هاتفك؟ بلا تطبيق ولا حساب.
takehome-intro = على هاتفك أنت: بلا تطبيق ولا حساب. يعمل الرابط لمدة { $lifetime }، ويمكنك حذفه في أي وقت.
takehome-item = { $product } · { $size } · { $colour }
takehome-item-fit = { $item } · { $fit }
takehome-no-items = لم يُتعرَّف على أي منتج بعد: امسح ما جرّبته أولًا.
takehome-looks-hint = لا تُرسَل إطلالاتك إلا إذا حدّدتها:
takehome-include = تضمين
takehome-include-ticked = ✔ تضمين
takehome-make-link = أنشئ رابطي
takehome-making = جارٍ إنشاء رابطك…
takehome-scan = امسح بكاميرا هاتفك
takehome-until = يعمل الرابط لمدة { $lifetime }؛ احذفه من هاتفك متى شئت. إنهاء الجلسة هنا لا يحذفه.
takehome-failed = تعذّر إنشاء رابطك: { $reason }. يُرجى السؤال عند المكتب.
takehome-off = ميزة «خذه معك» متوقفة على هذه المرآة
share-live-watching = ● مباشر · { $viewers } يشاهدون
share-live-stopping = ● مباشر · جارٍ الإيقاف…
share-tally = اشترِه { $buy } · تجاوزه { $skip }
share-starting = جارٍ بدء المشاركة…
share-consent-title = هل تشارك إطلالتك مباشرة؟
share-consent-body =
    يرى الأصدقاء الذين تعطيهم الرابط هذه المرآة مباشرة
    على هواتفهم ويمكنهم إرسال تفاعلات.

    لا يُسجَّل شيء ولا يُحفظ، لا هنا ولا في أي مكان.
    تظهر علامة «مباشر» كلما أمكن لأحد المشاهدة.
    أوقفها متى شئت بزر «إيقاف المشاركة»؛
    وإنهاء جلستك يوقفها أيضًا.
share-start = ابدأ المشاركة
share-scan = امسح للمشاهدة مباشرة
share-stop = إيقاف المشاركة

## التفاعلات
reaction-love = ♥ أحببته
reaction-hot = ★ رائع
reaction-yes = ✔ نعم
reaction-no = ✘ لا
reaction-wow = ☺ واو
reaction-other = ? همم

## شريط الأدوات
toolbar-end = إنهاء الجلسة
toolbar-share = مشاركة
toolbar-scan = مسح منتج
toolbar-looks = الإطلالات
toolbar-take-home = خذه معك
toolbar-lights = الإضاءة
toolbar-language = اللغة
toolbar-accessibility = إمكانية الوصول
badge-demo-camera = كاميرا تجريبية · لم يُعثر على كاميرا
badge-synthetic-camera = كاميرا اصطناعية
language-title = اللغة

## Lights ($kelvin: the scene's colour temperature)
lights-title = الإضاءة
lights-daylight = ضوء النهار · { $kelvin } K
lights-store = المتجر · { $kelvin } K
lights-sunset = الغروب · { $kelvin } K
lights-evening = المساء · { $kelvin } K، خافت
lights-not-answering = الإضاءة لا تستجيب الآن؛ تواصل المرآة العمل.

## Accessibility
access-title = إمكانية الوصول
access-large-text = نص أكبر
access-read-aloud = القراءة بصوت عالٍ
access-switch-scan = المسح بالمفتاح
access-on = { $mode }: مفعّل
access-off = { $mode }: متوقف
access-switch-hint = مع المسح ينتقل التحديد من تلقاء نفسه: اضغط مفتاحك (المسافة أو Enter) عند العنصر الذي تريده.
