//! A minimal Chrome DevTools Protocol client: enough to drive Debian's headless Chromium
//! through a page (open, evaluate JavaScript, screenshot) without a WebDriver.

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async, tungstenite::Message};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct Browser {
    child: Child,
    socket: Socket,
    next_id: u64,
    session: Option<String>,
    _profile: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self._profile);
    }
}

impl Browser {
    /// Starts headless Chromium with a fresh profile and connects to it.
    pub async fn launch() -> Browser {
        Self::launch_with(&[]).await
    }

    /// [`launch`](Self::launch) as a phone set to `language` (a BCP 47 tag: its UI language and
    /// the `Accept-Language` it sends).
    pub async fn launch_in(language: &str) -> Browser {
        Self::launch_with(&[format!("--lang={language}"), format!("--accept-lang={language}")]).await
    }

    async fn launch_with(extra: &[String]) -> Browser {
        let profile = std::env::temp_dir().join(format!("mirror-chromium-{}-{}", std::process::id(), rand_suffix()));
        let child = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
                "--window-size=420,900",
                "--remote-debugging-port=0",
            ])
            .args(extra)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn();
        let Ok(mut child) = child else {
            panic!("cannot start chromium ({child:?}): run the README's test command, which installs it")
        };
        let Some(stderr) = child.stderr.take() else { panic!("no chromium stderr") };
        let (found, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.split("DevTools listening on ").nth(1) {
                    let _ = found.send(url.trim().to_string());
                }
            }
        });
        let Ok(url) = rx.recv_timeout(Duration::from_secs(30)) else { panic!("chromium did not open DevTools") };
        let connected = connect_async(url).await;
        let Ok((socket, _)) = connected else { panic!("DevTools socket: {connected:?}") };
        Browser { child, socket, next_id: 0, session: None, _profile: profile }
    }

    async fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = &self.session {
            message["sessionId"] = json!(session);
        }
        let sent = self.socket.send(Message::Text(message.to_string().into())).await;
        assert!(sent.is_ok(), "DevTools send: {sent:?}");
        loop {
            let next = tokio::time::timeout(Duration::from_secs(30), self.socket.next()).await;
            let Ok(Some(Ok(Message::Text(text)))) = next else { continue };
            let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
            if value["id"] == json!(id) {
                assert!(value.get("error").is_none(), "{method} failed: {value}");
                return value["result"].clone();
            }
        }
    }

    /// Opens `url` in a new tab and attaches to it.
    pub async fn open(&mut self, url: &str) {
        let target = self.call("Target.createTarget", json!({ "url": url })).await;
        let attached =
            self.call("Target.attachToTarget", json!({ "targetId": target["targetId"], "flatten": true })).await;
        self.session = attached["sessionId"].as_str().map(str::to_string);
        assert!(self.session.is_some(), "no DevTools session");
    }

    /// Lays the open page out as a phone screen of `width × height` CSS pixels (after `open`).
    pub async fn phone_size(&mut self, width: u32, height: u32) {
        let metrics = json!({ "width": width, "height": height, "deviceScaleFactor": 2, "mobile": true });
        self.call("Emulation.setDeviceMetricsOverride", metrics).await;
    }

    /// Lays the open page out as a desktop window of `width × height` CSS pixels (after `open`).
    pub async fn desktop_size(&mut self, width: u32, height: u32) {
        let metrics = json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false });
        self.call("Emulation.setDeviceMetricsOverride", metrics).await;
    }

    /// Evaluates JavaScript in the page and returns its value.
    pub async fn eval(&mut self, expression: &str) -> Value {
        let result = self
            .call("Runtime.evaluate", json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }))
            .await;
        result["result"]["value"].clone()
    }

    /// Polls `expression` until it is `true` or `timeout` passes.
    /// The page's inbound WebRTC video as `getStats` reports it (`window.viewerPeer`, the viewer
    /// page's peer connection): `{frames, keyframes, width, height, codec}`, or null.
    pub async fn video_stats(&mut self) -> Value {
        self.eval(VIDEO_STATS).await
    }

    /// Waits until the page's WebRTC video has decoded `frames` frames.
    pub async fn wait_for_video_frames(&mut self, frames: u64, timeout: Duration) -> bool {
        self.wait_until(&format!("{VIDEO_STATS}.then((s) => s !== null && s.frames >= {frames})"), timeout).await
    }

    pub async fn wait_until(&mut self, expression: &str, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        while tokio::time::Instant::now() < deadline {
            if self.eval(expression).await == json!(true) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    /// Saves the page as `dir/NAME.png` at desktop width (1280) and `dir/NAME-phone.png` at a
    /// phone's (390), each once the new size is laid out and painted; the page is left at
    /// desktop width.
    pub async fn save_desktop_and_phone(&mut self, dir: &std::path::Path, name: &str) {
        for (suffix, phone) in [("", false), ("-phone", true)] {
            if phone {
                self.phone_size(390, 844).await
            } else {
                self.desktop_size(1280, 800).await
            }
            // Two animation frames after the resize, or half a second where a background tab
            // gets none.
            self.eval("new Promise((done) => { requestAnimationFrame(() => requestAnimationFrame(() => done(true))); setTimeout(() => done(true), 500); })").await;
            let _ = self.screenshot("body").await.save(dir.join(format!("{name}{suffix}.png")));
        }
        self.desktop_size(1280, 800).await;
    }

    /// A PNG screenshot of the element matching `selector`.
    pub async fn screenshot(&mut self, selector: &str) -> image::RgbImage {
        let rect =
            self.eval(&format!("JSON.stringify(document.querySelector('{selector}').getBoundingClientRect())")).await;
        let rect: Value = serde_json::from_str(rect.as_str().unwrap_or("{}")).unwrap_or_default();
        let clip =
            json!({ "x": rect["x"], "y": rect["y"], "width": rect["width"], "height": rect["height"], "scale": 1 });
        let shot = self
            .call("Page.captureScreenshot", json!({ "format": "png", "clip": clip, "captureBeyondViewport": true }))
            .await;
        let bytes = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap_or_default());
        let Ok(bytes) = bytes else { panic!("screenshot is not base64") };
        let image = image::load_from_memory(&bytes);
        let Ok(image) = image else { panic!("screenshot is not an image: {image:?}") };
        image.to_rgb8()
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default()
}

/// The viewer page's inbound video from `getStats`.
const VIDEO_STATS: &str = r#"(async () => {
  if (!window.viewerPeer) return null;
  const stats = await window.viewerPeer.getStats();
  let inbound = null;
  stats.forEach((s) => { if (s.type === "inbound-rtp" && s.kind === "video") inbound = s; });
  if (!inbound) return null;
  const codec = inbound.codecId ? stats.get(inbound.codecId) : null;
  return { frames: inbound.framesDecoded || 0, keyframes: inbound.keyFramesDecoded || 0,
    width: inbound.frameWidth || 0, height: inbound.frameHeight || 0, codec: codec ? codec.mimeType : "" };
})()"#;
