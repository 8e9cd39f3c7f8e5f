# 在浏览器中打开的页面（译自 en/pages.ftl）。

## 朋友观看造型的页面
viewer-title = 造型直播
viewer-live = 直播
viewer-connecting = 正在连接…
viewer-frame-alt = 试衣间镜子的实时画面
viewer-reactions = 表情
viewer-react = 回应 { $emoji }
viewer-buy = 买吧
viewer-skip = 算了
viewer-tally = 买吧 { $buy } · 算了 { $skip }
viewer-looks = 正在给你看的造型
viewer-looks-title = 哪一套？选出你最喜欢的造型
viewer-look-alt = 来自试衣间的造型
viewer-pick = 就这套
viewer-picked = ✔ 就这套
viewer-picks = { $count } 票
viewer-watching = { $count } 人在看
viewer-feed = 朋友们在说
viewer-name = 你的名字
viewer-comment = 说点好听的
viewer-send = 发送
viewer-ended-title = 这个造型的分享已结束
viewer-ended-body = 分享已停止，没有保留任何内容。
viewer-state-connecting = 正在连接…
viewer-state-live = 直播中
viewer-state-sent = 已发送
viewer-state-slow = 慢一点
viewer-state-ended = 已结束
viewer-state-reconnecting = 正在重新连接…

## 带回家的试衣记录
home-title = 你的试衣间
home-opening = 正在打开…
home-needs-script = 本页面在你自己的手机上解密你带走的内容，因此需要 JavaScript：门店服务器只保存一份它无法读取的加密副本。
home-items = 你试过的商品
home-looks = 你的造型
home-delete = 立即删除
home-privacy = 这里的内容与你无关联：没有账号、邮箱或电话号码。门店服务器只保存一份加密副本，直到上面显示的时间（或你删除为止）；密钥在此链接的“#”之后，从不离开你的手机。如果门店服务器重启，链接可能会提前失效。
home-until = 此链接有效期至 { $until } · { $store }
home-in-store = { $store } 有 { $count } 件
home-not-in-store = { $store } 目前无货
home-buy = 在线购买
home-look-alt = 造型
home-needs-https = 此链接需要安全（https）连接才能打开。请咨询门店。
home-incomplete = 此链接不完整：缺少一部分。请重新扫描镜子上的二维码，或复制完整链接。
home-wrong-key = 此链接不完整：它的密钥无法打开它。请重新扫描镜子上的二维码，或复制完整链接。
home-ended = 此链接已失效：已过期或已删除。没有保留任何内容。
home-nothing = 此链接下没有内容。
home-deleted = 已删除，没有保留任何内容。
home-not-deleted = 无法删除（{ $status }）。它会在显示的时间自动失效。
home-unreachable = 无法打开此链接。请检查网络连接后重试。

## 店员的尺码请求
staff-title = 尺码请求
staff-your-name = 你的名字
staff-name-example = 例如：安娜
staff-connecting = 正在连接…
staff-live = 在线
staff-offline = 门店系统离线：正在重试
staff-unreachable = 无法访问店员页面：正在重试
staff-empty = 没有待处理的请求。新请求会自动显示在这里。
staff-just-now = 刚刚
staff-minutes-ago = { $count } 分钟前
staff-what = { $product } · 尺码 { $size } · { $colour }
staff-bringing = { $name } 正在送去
staff-reminded = 已催促 { $count } 次
staff-name-first = 请先输入你的名字
staff-not-sent = 未发送：{ $reason }
staff-accept = 接单
staff-done = 完成
