# 智能试衣镜的简体中文文本（译自 en/kiosk.ftl）。

## 价格
price = { $symbol }{ $amount }

## 待机画面
attract-subtitle = 智能试衣镜
attract-start = 轻触开始
attract-privacy =
    您的画面只留在这面镜子上。
    除非您选择，否则不会录制或分享任何内容。

## 还在吗？
still-there-title = 还在吗？
still-there-seconds = { $seconds }
still-there-body =
    轻触屏幕或按任意键即可继续，
    次数不限。否则本次体验将结束，
    其中的所有内容都会被清除。
still-there-continue = 我还在

## 摄像头不可用、暂停服务
camera-unavailable-title = 摄像头不可用
camera-unavailable-body =
    镜子稍后会自动恢复。
    如未恢复，请联系店员。
maintenance-title = 暂停服务
maintenance-body =
    这面镜子正在维护。
    请使用其他试衣间或联系店员。

## 转身和看背面
twirl-recording-title = ● 正在录制转身：请慢慢转动
twirl-recording-progress = { $position } 秒 / { $length } 秒
twirl-stop = 停止
twirl-replay-title = 您的转身
twirl-progress = { $position } 秒 / { $length } 秒
twirl-pause = 暂停
twirl-play = 播放
twirl-record-again = 重新录制
twirl-delete = 删除转身
twirl-done = 完成
back-title = 看背面 · 延迟 { $delay } 秒
back-hint = 请转过身：您会在 { $delay } 秒后出现在这里
back-turn-slowly = 请慢慢转动
back-to-live = 返回实时画面

## 造型
looks-title = 您的造型 · { $count }/{ $max }
looks-compare-these = 比较 { $count } 个造型
looks-empty-hint = 为每套试穿的搭配拍一张造型照：在本次体验结束前都会保留在这面镜子上。
looks-take = 拍造型照
looks-full = 最多 { $max } 个造型：删除一个才能再拍
looks-full-toast = 您已有 { $max } 个造型：删除一个才能再拍
looks-play-twirl = 播放转身
looks-record-twirl = 录制转身
looks-see-back = 看背面
looks-untitled = 造型
looks-compare = 比较
looks-compare-ticked = ✔ 比较
looks-delete = 删除
looks-shown = ✔ 已展示
looks-show-friends = 给朋友看
looks-friends-picked = ♥ { $count } 位朋友选了这个
looks-no-picture = 摄像头没有画面：请重试
looks-compare-limit = 最多可并排比较 { $most } 个造型：请先取消一个

## 通用按钮
close = 关闭
back = 返回
cancel = 取消

## 分享
share-off = 这面镜子已关闭分享功能
share-unavailable = 暂时无法分享，正在重试…
share-stopped = 分享已停止：{ $reason }

## 尺码请求
request-sold-out = { $product } 的 { $size } 码本店已售罄
request-failed = 请求发送失败：请到服务台咨询
request-offline = 这面镜子未连接店员：请到服务台咨询
request-sent = 已请店员送来 { $product } 的 { $size } 码
request-on-its-way = { $associate } 正在为您送来
request-banner-accepted = ✔ { $associate } 正在送来 { $product } 的 { $size } 码（{ $colour }）
request-banner-waiting = 已请求 { $product } 的 { $size } 码（{ $colour }）· 等待店员
request-banner-reminded = 已再次提醒店员：{ $product } 的 { $size } 码马上就到

## 扫描
scan-unknown = 未找到该商品（{ $code }）。店员可以帮您。
scan-added = { $product }（{ $size }）已加入您的商品

## 合身度
fit-title = 穿着合身吗？
fit-fits = 合身
fit-too-small = 偏小
fit-too-big = 偏大
fit-not-for-me = 不适合我
fit-next-online = { $colour } 的 { $size } 码可在网上购买
fit-next-sold-out = { $colour } 的 { $size } 码本店和网店均已售罄
fit-no-larger = { $colour } 没有更大的尺码
fit-no-smaller = { $colour } 没有更小的尺码
fit-next-here = { $colour } 的 { $size } 码：本店有 { $units } 件，请联系店员

## 商品面板
price-only = { $price }
items-title = 您的商品
items-hint = 用扫描器扫描吊牌、对着摄像头展示，或浏览商品。
items-empty = 尚未识别任何商品。
catalog-unavailable = 商品目录暂不可用。
product-gone = 该商品已不在目录中。
item-untitled = 商品
browse-title = 浏览
confirm-title = 换个尺码？
size-colour = { $size } · { $colour }
units-more-here = 店内还有 { $units } 件
last-one-here = 店内最后一件
units-here = 店内 { $units } 件
sold-out = 售罄
sold-out-here = 店内售罄
ask-for = 请求 { $colour } 的 { $size } 码 · 店内 { $units } 件
item-price-brand = { $price } · { $brand }
colours-title = 颜色
sizes-title = 此颜色的尺码
item-sold-out-here = { $colour } 的 { $size } 码店内售罄
item-ask-associate = 本店有 { $units } 件：请联系店员
complete-the-look = 完成整体搭配
suggestion-goes-with = { $price } · 很搭
suggestion-alternative = { $price } · 也可以考虑
browse-all = 全部
search-empty = 搜索：请轻触字母
search-query = 搜索：{ $query }
key-space = 空格
key-clear = 清除
search-nothing = 没有匹配结果。请减少字母再试。
confirm-question = 请店员把 { $product }（{ $size } 码，{ $colour }）送到 { $room } 吗？
confirm-yes = 好的，请送来

## 带回家
lifetime-hours = { $hours } 小时
lifetime-days = { $days } 天
takehome-title = 带回家
end-session = 结束体验
not-now = 暂不
done = 完成
takehome-before-you-go = 离开前：把试穿过的商品保存到手机上吗？无需应用，无需账号。
takehome-intro = 保存到您自己的手机：无需应用，无需账号。链接有效期为 { $lifetime }，您可以随时删除。
takehome-item = { $product } · { $size } · { $colour }
takehome-item-fit = { $item } · { $fit }
takehome-no-items = 尚未识别任何商品：请先扫描您试穿的商品。
takehome-looks-hint = 只有勾选的造型才会发送：
takehome-include = 包含
takehome-include-ticked = ✔ 包含
takehome-make-link = 生成我的链接
takehome-making = 正在生成链接…
takehome-scan = 用手机相机扫描
takehome-until = 链接有效期为 { $lifetime }，可随时在手机上删除。在这里结束体验不会删除它。
takehome-failed = 无法生成链接：{ $reason }。请到服务台咨询。
takehome-off = 这面镜子已关闭“带回家”功能
share-live-watching = ● 直播中 · { $viewers } 人在看
share-live-stopping = ● 直播中 · 正在结束…
share-tally = 买 { $buy } · 不买 { $skip }
share-starting = 正在开始分享…
share-consent-title = 直播分享您的造型？
share-consent-body =
    收到链接的朋友可以在手机上
    实时观看这面镜子并发送互动。

    这里和任何地方都不会录制或保存内容。
    只要有人能观看，就会显示“直播中”标志。
    可随时点击“停止分享”，
    结束体验也会停止分享。
share-start = 开始分享
share-scan = 扫码观看直播
share-stop = 停止分享

## 互动
reaction-love = ♥ 喜欢
reaction-hot = ★ 超赞
reaction-yes = ✔ 好看
reaction-no = ✘ 不行
reaction-wow = ☺ 哇
reaction-other = ? 嗯

## 工具栏
toolbar-end = 结束体验
toolbar-share = 分享
toolbar-scan = 扫描商品
toolbar-looks = 造型
toolbar-take-home = 带回家
toolbar-lights = 灯光
toolbar-language = 语言
toolbar-accessibility = 无障碍
badge-demo-camera = 演示摄像头 · 未找到摄像头
badge-synthetic-camera = 合成摄像头
language-title = 语言

## Lights ($kelvin: the scene's colour temperature)
lights-title = 灯光
lights-daylight = 日光 · { $kelvin } K
lights-store = 店内 · { $kelvin } K
lights-sunset = 日落 · { $kelvin } K
lights-evening = 夜晚 · { $kelvin } K，调暗
lights-not-answering = 灯光暂时没有响应；镜子仍可正常使用。

## Accessibility
access-title = 无障碍
access-large-text = 大字体
access-read-aloud = 朗读
access-switch-scan = 开关扫描
access-on = { $mode }：开
access-off = { $mode }：关
access-switch-hint = 开关扫描时，高亮框会自动移动：移到你想要的项目时按下开关（空格键或回车键）。
