# ブラウザで開くページ（en/pages.ftl から翻訳）。

## 友だちがルックを見るページ
viewer-title = ライブのルック
viewer-live = ライブ
viewer-connecting = 接続中…
viewer-frame-alt = 試着室のミラーからのライブ映像
viewer-reactions = リアクション
viewer-react = { $emoji } でリアクション
viewer-buy = 買い
viewer-skip = やめとく
viewer-tally = 買い { $buy } · やめとく { $skip }
viewer-looks = 見せてもらっているルック
viewer-looks-title = どれがいい？ 一番好きなルックを選んでください
viewer-look-alt = 試着室からのルック
viewer-pick = これ
viewer-picked = ✔ これ
viewer-picks = { $count }票
viewer-watching = { $count }人が視聴中
viewer-feed = 友だちのコメント
viewer-name = お名前
viewer-comment = ひとことどうぞ
viewer-send = 送信
viewer-ended-title = このルックの共有は終了しました
viewer-ended-body = 共有は終わりました。何も保存されません。
viewer-state-connecting = 接続中…
viewer-state-live = ライブ
viewer-state-sent = 送信しました
viewer-state-slow = 少しゆっくり
viewer-state-ended = 終了
viewer-state-reconnecting = 再接続中…

## 持ち帰ったセッション
home-title = あなたの試着室
home-opening = 開いています…
home-needs-script = このページは持ち帰った内容をお使いのスマートフォン上で復号するため、JavaScript が必要です。店舗のサーバーには読めない暗号化されたコピーしかありません。
home-items = 試着したアイテム
home-looks = あなたのルック
home-delete = 今すぐ削除
home-privacy = ここにあるものはあなたと結び付いていません。アカウントもメールアドレスも電話番号もありません。店舗のサーバーは上に表示された時刻まで（または削除するまで）暗号化されたコピーだけを保管します。鍵はこのリンクの「#」の後ろにあり、スマートフォンの外には出ません。店舗のサーバーが再起動すると、リンクが早く終わることがあります。
home-until = このリンクの有効期限：{ $until } · { $store }
home-in-store = { $store }に{ $count }点
home-not-in-store = 現在{ $store }に在庫なし
home-buy = オンラインで購入
home-look-alt = ルック
home-needs-https = このリンクを開くには安全な（https）接続が必要です。店舗にお尋ねください。
home-incomplete = このリンクは不完全です（一部が欠けています）。ミラーのコードをもう一度読み取るか、リンク全体をコピーしてください。
home-wrong-key = このリンクは不完全です（鍵で開けません）。ミラーのコードをもう一度読み取るか、リンク全体をコピーしてください。
home-ended = このリンクは期限切れか削除済みです。何も保存されていません。
home-nothing = このリンクには何もありません。
home-deleted = 削除しました。何も保存されていません。
home-not-deleted = 削除できませんでした（{ $status }）。表示された時刻に自動的に終了します。
home-unreachable = このリンクを開けませんでした。接続を確認してもう一度お試しください。

## スタッフ向けサイズリクエスト
staff-title = サイズリクエスト
staff-your-name = お名前
staff-name-example = 例：アンナ
staff-connecting = 接続中…
staff-live = ライブ
staff-offline = 店舗システムがオフライン：再試行中
staff-unreachable = スタッフページに接続できません：再試行中
staff-empty = 未対応のリクエストはありません。新しいリクエストは自動的に表示されます。
staff-just-now = たった今
staff-minutes-ago = { $count }分前
staff-what = { $product } · サイズ { $size } · { $colour }
staff-bringing = { $name }さんが持っていきます
staff-reminded = 催促 { $count }回
staff-name-first = 先にお名前を入力してください
staff-not-sent = 送信できませんでした：{ $reason }
staff-accept = 対応する
staff-done = 完了
