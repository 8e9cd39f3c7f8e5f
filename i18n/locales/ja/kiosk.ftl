# スマートミラーの日本語テキスト（en/kiosk.ftl からの翻訳）。

## 価格
price = { $symbol }{ $amount }

## 待機画面
attract-subtitle = スマートミラー
attract-start = タッチしてスタート
attract-privacy =
    あなたの映像はこのミラーの中だけに残ります。
    あなたが選ばない限り、録画も共有もされません。

## まだいらっしゃいますか？
still-there-title = まだいらっしゃいますか？
still-there-seconds = { $seconds }
still-there-body =
    続けるには画面にタッチするか、いずれかのキーを押してください。
    何度でも延長できます。操作がない場合はセッションが終了し、
    その内容はすべて消去されます。
still-there-continue = まだいます

## カメラ利用不可、休止中
camera-unavailable-title = カメラを利用できません
camera-unavailable-body =
    まもなく自動で復旧します。
    復旧しない場合は、スタッフにお声がけください。
maintenance-title = 休止中
maintenance-body =
    このミラーは点検中です。
    別の試着室をご利用になるか、スタッフにお声がけください。

## ターンと後ろ姿
twirl-recording-title = ● ターンを録画中：ゆっくり回ってください
twirl-recording-progress = { $position } 秒 / { $length } 秒
twirl-stop = 停止
twirl-replay-title = あなたのターン
twirl-progress = { $position } 秒 / { $length } 秒
twirl-pause = 一時停止
twirl-play = 再生
twirl-record-again = 撮り直す
twirl-delete = ターンを削除
twirl-done = 完了
back-title = 後ろ姿を見る・{ $delay } 秒遅れ
back-hint = 後ろを向いてください：{ $delay } 秒後にここに映ります
back-turn-slowly = ゆっくり回ってください
back-to-live = ライブに戻る

## ルック
looks-title = あなたのルック・{ $count }/{ $max }
looks-compare-these = { $count } 件を比較
looks-empty-hint = 試着したコーデをルックとして撮影できます。セッション終了までこのミラーに残ります。
looks-take = ルックを撮る
looks-full = ルックは { $max } 件まで：1 件削除すると撮影できます
looks-full-toast = ルックが { $max } 件あります：1 件削除すると撮影できます
looks-play-twirl = ターンを再生
looks-record-twirl = ターンを録画
looks-see-back = 後ろ姿を見る
looks-untitled = ルック
looks-compare = 比較
looks-compare-ticked = ✔ 比較
looks-delete = 削除
looks-shown = ✔ 表示中
looks-show-friends = 友だちに見せる
looks-friends-picked = ♥ { $count } 人の友だちがこれを選びました
looks-no-picture = カメラから映像が届きませんでした：もう一度お試しください
looks-compare-limit = 並べて比較できるのは { $most } 件までです：先に 1 件外してください

## 共通ボタン
close = 閉じる
back = 戻る
cancel = キャンセル

## 共有
share-off = このミラーでは共有がオフになっています
share-unavailable = 現在共有できません。再試行しています…
share-stopped = 共有が停止しました：{ $reason }

## サイズのリクエスト
request-sold-out = { $product } の { $size } はこの店舗では売り切れです
request-failed = リクエストを送信できませんでした：カウンターでお尋ねください
request-offline = このミラーはスタッフにつながっていません：カウンターでお尋ねください
request-sent = スタッフに { $product } の { $size } をお願いしました
request-on-its-way = { $associate } がお持ちします
request-banner-accepted = ✔ { $associate } が { $product } の { $size }（{ $colour }）をお持ちします
request-banner-waiting = { $product } の { $size }（{ $colour }）をリクエスト中・スタッフを待っています
request-banner-reminded = スタッフに再度お伝えしました：{ $product } の { $size } はまもなく届きます

## スキャン
scan-unknown = その商品が見つかりませんでした（{ $code }）。スタッフがお手伝いします。
scan-added = { $product }（{ $size }）をアイテムに追加しました

## フィット感
fit-title = サイズ感はいかがですか？
fit-fits = ちょうどいい
fit-too-small = 小さい
fit-too-big = 大きい
fit-not-for-me = 好みじゃない
fit-next-online = { $colour } の { $size } はオンラインで購入できます
fit-next-sold-out = { $colour } の { $size } は店舗でもオンラインでも売り切れです
fit-no-larger = { $colour } にはこれより大きいサイズがありません
fit-no-smaller = { $colour } にはこれより小さいサイズがありません
fit-next-here = { $colour } の { $size }：この店舗に { $units } 点、スタッフにお声がけください

## 商品パネル
price-only = { $price }
items-title = あなたのアイテム
items-hint = スキャナーでタグを読み取るか、カメラにかざすか、商品を探してください。
items-empty = まだ何も読み取られていません。
catalog-unavailable = 商品カタログはまだ利用できません。
product-gone = この商品はカタログにありません。
item-untitled = アイテム
browse-title = 探す
confirm-title = 別のサイズにしますか？
size-colour = { $size }・{ $colour }
units-more-here = 店内にあと { $units } 点
last-one-here = 店内最後の 1 点
units-here = 店内 { $units } 点
sold-out = 売り切れ
sold-out-here = 店内売り切れ
ask-for = { $colour } の { $size } をリクエスト・店内 { $units } 点
item-price-brand = { $price }・{ $brand }
colours-title = カラー
sizes-title = このカラーのサイズ
item-sold-out-here = { $colour } の { $size } は店内売り切れです
item-ask-associate = この店舗に { $units } 点：スタッフにお声がけください
complete-the-look = コーディネートを完成
suggestion-goes-with = { $price }・相性抜群
suggestion-alternative = { $price }・こちらもおすすめ
browse-all = すべて
search-empty = 検索：文字をタップしてください
search-query = 検索：{ $query }
key-space = スペース
key-clear = クリア
search-nothing = 見つかりません。文字を減らしてみてください。
confirm-question = { $product } の { $size }（{ $colour }）を { $room } までスタッフにお持ちしてもらいますか？
confirm-yes = はい、お願いします

## お持ち帰り
lifetime-hours = { $hours } 時間
lifetime-days = { $days } 日間
takehome-title = スマホに保存
end-session = セッション終了
not-now = 今はしない
done = 完了
takehome-before-you-go = お帰りの前に：試着したアイテムをスマホに保存しますか？アプリもアカウントも不要です。
takehome-intro = ご自身のスマホに保存します。アプリもアカウントも不要です。リンクは { $lifetime } 有効で、いつでも削除できます。
takehome-item = { $product }・{ $size }・{ $colour }
takehome-item-fit = { $item }・{ $fit }
takehome-no-items = まだアイテムが読み取られていません：先に試着したものをスキャンしてください。
takehome-looks-hint = ルックはチェックしたものだけが送られます：
takehome-include = 含める
takehome-include-ticked = ✔ 含める
takehome-make-link = リンクを作成
takehome-making = リンクを作成中…
takehome-scan = スマホのカメラで読み取ってください
takehome-until = リンクは { $lifetime } 有効です。スマホからいつでも削除できます。ここでセッションを終了しても削除されません。
takehome-failed = リンクを作成できませんでした：{ $reason }。カウンターでお尋ねください。
takehome-off = このミラーではスマホへの保存がオフになっています
share-live-watching = ● ライブ・{ $viewers } 人が視聴中
share-live-stopping = ● ライブ・終了しています…
share-tally = 買い { $buy }・見送り { $skip }
share-starting = 共有を開始しています…
share-consent-title = ライブでルックを共有しますか？
share-consent-body =
    リンクを渡した友だちは、このミラーをスマホで
    ライブで見てリアクションを送れます。

    ここでもどこでも、録画や保存は一切されません。
    誰かが見られる間は「ライブ」表示が出ます。
    「共有を停止」でいつでも止められ、
    セッションを終了しても止まります。
share-start = 共有を開始
share-scan = 読み取ってライブで見る
share-stop = 共有を停止

## リアクション
reaction-love = ♥ 大好き
reaction-hot = ★ 最高
reaction-yes = ✔ いいね
reaction-no = ✘ いまいち
reaction-wow = ☺ すごい
reaction-other = ? うーん

## ツールバー
toolbar-end = セッション終了
toolbar-share = 共有
toolbar-scan = スキャン
toolbar-looks = ルック
toolbar-take-home = スマホに保存
toolbar-lights = 照明
toolbar-language = 言語
toolbar-accessibility = アクセシビリティ
badge-demo-camera = デモ用カメラ・カメラが見つかりません
badge-synthetic-camera = 合成カメラ
language-title = 言語

## Lights ($kelvin: the scene's colour temperature)
lights-title = 照明
lights-daylight = 昼光・{ $kelvin } K
lights-store = 店内・{ $kelvin } K
lights-sunset = 夕焼け・{ $kelvin } K
lights-evening = 夜・{ $kelvin } K（減光）
lights-not-answering = 照明が現在応答しません。ミラーはそのままお使いいただけます。

## Accessibility
access-title = アクセシビリティ
access-large-text = 文字を大きく
access-read-aloud = 読み上げ
access-switch-scan = スイッチ操作
access-on = { $mode }：オン
access-off = { $mode }：オフ
access-switch-hint = スイッチ操作では選択枠が自動で移動します。選びたい項目でスイッチ（スペースまたはEnter）を押してください。
