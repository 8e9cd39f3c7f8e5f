//! A throwaway Janus for tests. Janus gathers no ICE candidate on loopback, so it runs inside a
//! network namespace the test creates, joined to this one by a veth pair on a /30 of its own
//! (`10.213.N.0`): this side is `.1`, Janus's side `.2`. The relay, the kiosk's publisher and
//! Chromium stay here and reach Janus over the veth. Ready when its HTTP API answers `info`, never
//! after a guessed wait; dropping the value kills Janus and deletes the namespace (and its veth).

use std::{
    net::Ipv4Addr,
    path::Path,
    process::{Child, Command, Stdio},
    sync::atomic::{AtomicU32, Ordering},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

/// The secret every request to Janus's API must carry (`api_secret`).
pub const API_SECRET: &str = "test-janus-secret";
/// What creating (and listing private) VideoRoom rooms takes (the plugin's `admin_key`).
pub const ADMIN_KEY: &str = "test-videoroom-admin-key";
const HTTP_PORT: u16 = 8088;

pub struct Janus {
    /// This side of the veth: the address the relay, the publisher and Chromium use.
    pub host_ip: Ipv4Addr,
    /// Janus's side.
    pub janus_ip: Ipv4Addr,
    namespace: String,
    host_link: String,
    child: Option<Child>,
    dir: tempfile::TempDir,
}

fn run(program: &str, args: &[&str]) -> Result<()> {
    let output = Command::new(program).args(args).stdin(Stdio::null()).output().with_context(|| program.to_owned())?;
    if !output.status.success() {
        bail!("{program} {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(())
}

/// A /30 no interface on this machine uses yet (several test binaries run at once).
fn free_subnet() -> Result<u8> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let addresses = Command::new("ip").args(["-4", "-o", "addr"]).output().context("ip addr")?;
    let addresses = String::from_utf8_lossy(&addresses.stdout).into_owned();
    for _ in 0..250 {
        let n = ((std::process::id() + NEXT.fetch_add(1, Ordering::Relaxed)) % 250) as u8;
        if !addresses.contains(&format!("10.213.{n}.")) {
            return Ok(n);
        }
    }
    bail!("no free 10.213.N.0/30 for Janus's namespace")
}

impl Janus {
    /// Starts Janus (the VideoRoom plugin, the HTTP transport) in a new namespace.
    pub fn start() -> Result<Self> {
        let n = free_subnet()?;
        let (host_ip, janus_ip) = (Ipv4Addr::new(10, 213, n, 1), Ipv4Addr::new(10, 213, n, 2));
        let tag = format!("{}-{n}", std::process::id());
        let namespace = format!("janus-{tag}");
        let (host_link, inner_link) = (format!("vj{n}h{}", std::process::id() % 1000), format!("vj{n}j"));
        run("ip", &["netns", "add", &namespace])?;
        let mut janus = Self {
            host_ip,
            janus_ip,
            namespace: namespace.clone(),
            host_link: host_link.clone(),
            child: None,
            dir: tempfile::Builder::new().prefix("janus-").tempdir()?,
        };
        run("ip", &["link", "add", &host_link, "type", "veth", "peer", "name", &inner_link])?;
        run("ip", &["link", "set", &inner_link, "netns", &namespace])?;
        run("ip", &["addr", "add", &format!("{host_ip}/30"), "dev", &host_link])?;
        run("ip", &["link", "set", &host_link, "up"])?;
        let inside = |args: &[&str]| {
            let mut all = vec!["netns", "exec", namespace.as_str()];
            all.extend_from_slice(args);
            run("ip", &all)
        };
        inside(&["ip", "addr", "add", &format!("{janus_ip}/30"), "dev", &inner_link])?;
        inside(&["ip", "link", "set", &inner_link, "up"])?;
        inside(&["ip", "link", "set", "lo", "up"])?;
        write_config(janus.dir.path(), janus_ip)?;
        let log = std::fs::File::create(janus.dir.path().join("janus.log"))?;
        let child = Command::new("ip")
            .args(["netns", "exec", &namespace, "janus", "-F"])
            .arg(janus.dir.path())
            .args(["--disable-colors", "--debug-level=4"])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("janus (apt-get install janus)")?;
        janus.child = Some(child);
        janus.wait_ready()?;
        Ok(janus)
    }

    /// Janus's HTTP API, e.g. `http://10.213.7.2:8088/janus`.
    pub fn api_url(&self) -> String {
        format!("http://{}:{HTTP_PORT}/janus", self.janus_ip)
    }

    /// What Janus logged so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("janus.log")).unwrap_or_default()
    }

    /// One request to Janus's HTTP API (`body` JSON to `path` under it, the secret added); its
    /// answer.
    fn call(&self, path: &str, mut body: serde_json::Value) -> Result<serde_json::Value> {
        use std::io::{Read, Write};
        body["apisecret"] = serde_json::json!(API_SECRET);
        body["transaction"] = serde_json::json!("testkit");
        let body = body.to_string();
        let address = std::net::SocketAddr::from((self.janus_ip, HTTP_PORT));
        let mut stream = std::net::TcpStream::connect_timeout(&address, Duration::from_secs(2))?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        let request = format!(
            "POST /janus{path} HTTP/1.0\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.janus_ip,
            body.len()
        );
        stream.write_all(request.as_bytes())?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        let (_, json) = answer.split_once("\r\n\r\n").context("Janus answered without a body")?;
        Ok(serde_json::from_str(json)?)
    }

    /// Whether Janus holds any VideoRoom room (listed with the admin key, which shows private
    /// rooms too), asked on a session of its own.
    pub fn has_a_room(&self) -> Result<bool> {
        let session = self.call("", serde_json::json!({ "janus": "create" }))?;
        let session = session["data"]["id"].as_u64().context("no Janus session")?;
        let attached = self.call(
            &format!("/{session}"),
            serde_json::json!({ "janus": "attach", "plugin": "janus.plugin.videoroom" }),
        )?;
        let handle = attached["data"]["id"].as_u64().context("no VideoRoom handle")?;
        let list = serde_json::json!({ "janus": "message", "body": { "request": "list", "admin_key": ADMIN_KEY } });
        let listed = self.call(&format!("/{session}/{handle}"), list)?;
        let _ = self.call(&format!("/{session}"), serde_json::json!({ "janus": "destroy" }));
        let rooms = listed["plugindata"]["data"]["list"].as_array().context("no room list")?;
        Ok(!rooms.is_empty())
    }

    fn wait_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let address = std::net::SocketAddr::from((self.janus_ip, HTTP_PORT));
        loop {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                bail!("janus exited ({status}):\n{}", self.log_text());
            }
            if let Ok(mut stream) = std::net::TcpStream::connect_timeout(&address, Duration::from_millis(200)) {
                use std::io::{Read, Write};
                let request = format!("GET /janus/info HTTP/1.0\r\nHost: {}\r\n\r\n", self.janus_ip);
                let mut answer = String::new();
                if stream.write_all(request.as_bytes()).is_ok()
                    && stream.read_to_string(&mut answer).is_ok()
                    && answer.contains("janus.plugin.videoroom")
                {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                bail!("janus never answered on {address}:\n{}", self.log_text());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Janus {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        // A janus left behind (the `ip netns exec` parent was killed, not its child) dies with
        // the namespace's processes.
        let _ = Command::new("ip").args(["netns", "pids", &self.namespace]).output().map(|o| {
            for pid in String::from_utf8_lossy(&o.stdout).split_whitespace() {
                let _ = Command::new("kill").args(["-9", pid]).status();
            }
        });
        let _ = run("ip", &["link", "del", &self.host_link]);
        let _ = run("ip", &["netns", "del", &self.namespace]);
    }
}

/// Janus's configuration: the core, the HTTP transport on Janus's side of the veth, the
/// VideoRoom plugin, nothing else.
fn write_config(dir: &Path, janus_ip: Ipv4Addr) -> Result<()> {
    let libs = "/usr/lib/x86_64-linux-gnu/janus";
    let core = format!(
        r#"general: {{
	configs_folder = "{dir}"
	plugins_folder = "{libs}/plugins"
	transports_folder = "{libs}/transports"
	events_folder = "{libs}/events"
	loggers_folder = "{libs}/loggers"
	debug_level = 4
	api_secret = "{API_SECRET}"
	session_timeout = 30
}}
media: {{
	rtp_port_range = "20000-40000"
}}
nat: {{
	nice_debug = false
	ignore_mdns = true
	ice_enforce_list = "{janus_ip}"
}}
plugins: {{
	disable = "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,libjanus_nosip.so,libjanus_recordplay.so,libjanus_sip.so,libjanus_streaming.so,libjanus_textroom.so,libjanus_videocall.so,libjanus_voicemail.so"
}}
transports: {{
	disable = "libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_pfunix.so,libjanus_rabbitmq.so,libjanus_websockets.so"
}}
events: {{
	broadcast = false
}}
"#,
        dir = dir.display()
    );
    let http = format!(
        r#"general: {{
	json = "compact"
	base_path = "/janus"
	http = true
	port = {HTTP_PORT}
	ip = "{janus_ip}"
	https = false
}}
admin: {{
	admin_http = false
}}
"#
    );
    let videoroom = format!("general: {{\n\tadmin_key = \"{ADMIN_KEY}\"\n}}\n");
    std::fs::write(dir.join("janus.jcfg"), core)?;
    std::fs::write(dir.join("janus.transport.http.jcfg"), http)?;
    std::fs::write(dir.join("janus.plugin.videoroom.jcfg"), videoroom)?;
    Ok(())
}
