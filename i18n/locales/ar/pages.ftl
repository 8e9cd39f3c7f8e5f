# الصفحات التي تُفتح في المتصفح (مترجمة من en/pages.ftl).

## صديق يشاهد الإطلالة
viewer-title = إطلالة مباشرة
viewer-live = مباشر
viewer-connecting = جارٍ الاتصال…
viewer-frame-alt = صورة مباشرة من مرآة غرفة القياس
viewer-reactions = التفاعلات
viewer-react = تفاعل { $emoji }
viewer-buy = اشترِها
viewer-skip = اتركها
viewer-tally = اشترِها { $buy } · اتركها { $skip }
viewer-looks = إطلالات تُعرض عليك
viewer-looks-title = أيّها؟ اختر الإطلالة التي تعجبك أكثر
viewer-look-alt = إطلالة من غرفة القياس
viewer-pick = هذه
viewer-picked = ✔ هذه
viewer-picks = { $count ->
    [zero] لا اختيارات
    [one] اختيار واحد
    [two] اختياران
    [few] { $count } اختيارات
    [many] { $count } اختيارًا
   *[other] { $count } اختيار
}
viewer-watching = { $count ->
    [zero] لا أحد يشاهد
    [one] شخص واحد يشاهد
    [two] شخصان يشاهدان
    [few] { $count } يشاهدون
    [many] { $count } يشاهدون
   *[other] { $count } يشاهدون
}
viewer-feed = ما يقوله الأصدقاء
viewer-name = اسمك
viewer-comment = قل شيئًا لطيفًا
viewer-send = إرسال
viewer-ended-title = انتهت هذه الإطلالة
viewer-ended-body = توقفت المشاركة. لا يُحتفظ بأي شيء منها.
viewer-state-connecting = جارٍ الاتصال…
viewer-state-live = مباشر
viewer-state-sent = أُرسل
viewer-state-slow = ببطء أكثر
viewer-state-ended = انتهى
viewer-state-reconnecting = جارٍ إعادة الاتصال…

## الجلسة التي أخذتها معك
home-title = غرفة القياس الخاصة بك
home-opening = جارٍ الفتح…
home-needs-script = تفك هذه الصفحة تشفير ما أخذته على هاتفك نفسه، لذا تحتاج إلى JavaScript: لا يحتفظ خادم المتجر إلا بنسخة مشفّرة لا يستطيع قراءتها.
home-items = القطع التي جرّبتها
home-looks = إطلالاتك
home-delete = احذف الآن
home-privacy = لا شيء هنا مرتبط بك: لا حساب ولا بريد إلكتروني ولا رقم هاتف. لا يحتفظ خادم المتجر إلا بنسخة مشفّرة حتى الوقت المذكور أعلاه (أو حتى تحذفها)؛ المفتاح في هذا الرابط بعد «#» ولا يغادر هاتفك أبدًا. إذا أُعيد تشغيل خادم المتجر فقد ينتهي الرابط مبكرًا.
home-until = يعمل هذا الرابط حتى { $until } · { $store }
home-in-store = { $count ->
    [zero] لا شيء في { $store }
    [one] قطعة واحدة في { $store }
    [two] قطعتان في { $store }
    [few] { $count } قطع في { $store }
    [many] { $count } قطعة في { $store }
   *[other] { $count } قطعة في { $store }
}
home-not-in-store = غير متوفر في { $store } الآن
home-buy = اشترِ عبر الإنترنت
home-look-alt = إطلالة
home-needs-https = يحتاج هذا الرابط إلى اتصال آمن (https) ليُفتح. اسأل المتجر.
home-incomplete = هذا الرابط ناقص: جزء منه مفقود. امسح الرمز على المرآة مرة أخرى أو انسخ الرابط كاملًا.
home-wrong-key = هذا الرابط ناقص: مفتاحه لا يفتحه. امسح الرمز على المرآة مرة أخرى أو انسخ الرابط كاملًا.
home-ended = انتهى هذا الرابط: انتهت صلاحيته أو حُذف. لا يُحتفظ بأي شيء منه.
home-nothing = لا يوجد شيء على هذا الرابط.
home-deleted = حُذف. لا يُحتفظ بأي شيء منه.
home-not-deleted = تعذّر الحذف ({ $status }). ينتهي من تلقاء نفسه في الوقت المذكور.
home-unreachable = تعذّر فتح هذا الرابط. تحقق من اتصالك وحاول مرة أخرى.

## طلبات المقاسات للموظفين
staff-title = طلبات المقاسات
staff-empty = لا توجد طلبات مفتوحة. تظهر الطلبات الجديدة هنا من تلقاء نفسها.
staff-just-now = الآن
staff-minutes-ago = { $count ->
    [zero] قبل { $count } دقيقة
    [one] قبل دقيقة
    [two] قبل دقيقتين
    [few] قبل { $count } دقائق
    [many] قبل { $count } دقيقة
   *[other] قبل { $count } دقيقة
}
staff-what = { $product } · المقاس { $size } · { $colour }
staff-bringing = { $name } سيحضره
staff-reminded = { $count ->
    [zero] لم يُذكَّر
    [one] ذُكِّر مرة واحدة
    [two] ذُكِّر مرتين
    [few] ذُكِّر { $count } مرات
    [many] ذُكِّر { $count } مرة
   *[other] ذُكِّر { $count } مرة
}
staff-accept = سأحضره
staff-done = تم التسليم
staff-store = المتجر
staff-show = عرض
staff-not-sent = لم يُرسل: { $reason }
staff-no-store = لا يوجد بعد متجر ضمن نطاقك فيه مرآة.
console-name = وحدة تحكم المرايا
console-nav-fleet = الأجهزة
console-nav-alerts = التنبيهات
console-nav-requests = طلبات المقاسات
console-nav-commands = الأوامر
console-nav-rollouts = النشر
console-nav-analytics = التحليلات
console-sign-in = تسجيل الدخول
console-sign-out = تسجيل الخروج
console-user-name = اسم المستخدم
console-password = كلمة المرور
console-refused = الاسم وكلمة المرور غير متطابقين.
console-role-associate = موظف مبيعات
console-role-store-manager = مدير المتجر
console-role-fleet-operator = مشغّل الأجهزة
console-role-analyst = محلل
console-role-admin = مسؤول
