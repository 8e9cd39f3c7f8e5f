//! Janus (the VideoRoom plugin) over its HTTP API: one Janus session per instance, kept alive by
//! its long poll, which also carries the plugin's asynchronous answers (matched to the request by
//! transaction id); one plugin handle per peer connection. A room per share, private, one
//! publisher, VP8 (H.264 may follow), keyframes asked for every 2 s (`fir_freq`).

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use serde_json::{Value, json};
use tokio::sync::oneshot;

use super::SfuError;

/// How long Janus may take to answer an asynchronous request (an SDP negotiation).
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// One Janus instance.
#[derive(Debug)]
pub struct Janus {
    url: String,
    api_secret: String,
    http: reqwest::Client,
    /// The current Janus session, with its poller; `None` until first used or after it was lost.
    session: tokio::sync::Mutex<Option<u64>>,
    pending: Arc<Mutex<HashMap<String, oneshot::Sender<Value>>>>,
    next_transaction: AtomicU64,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// The plugin's answer: its data and the SDP that came with it.
#[derive(Debug)]
pub struct PluginAnswer {
    pub data: Value,
    pub sdp: Option<String>,
}

impl Janus {
    pub fn new(url: &str, api_secret: &str) -> Result<Self, SfuError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(40)) // the long poll holds for up to 30 s
            .build()
            .map_err(|e| SfuError::Unreachable(format!("{url}: {e}")))?;
        Ok(Self {
            url: url.trim_end_matches('/').to_owned(),
            api_secret: api_secret.to_owned(),
            http,
            session: tokio::sync::Mutex::new(None),
            pending: Arc::default(),
            next_transaction: AtomicU64::new(1),
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    fn transaction(&self) -> String {
        format!("t{}", self.next_transaction.fetch_add(1, Ordering::Relaxed))
    }

    /// POSTs `body` (with a transaction and the secret) to `path` under the API's URL.
    async fn post(&self, path: &str, mut body: Value) -> Result<Value, SfuError> {
        body["transaction"] = json!(self.transaction());
        body["apisecret"] = json!(self.api_secret);
        let url = format!("{}{path}", self.url);
        let response = self.http.post(&url).body(body.to_string()).send().await;
        let response = response.map_err(|e| SfuError::Unreachable(format!("{}: {e}", self.url)))?;
        let text = response.text().await.map_err(|e| SfuError::Unreachable(format!("{}: {e}", self.url)))?;
        let answer: Value =
            serde_json::from_str(&text).map_err(|e| SfuError::Refused(format!("{}: not JSON: {e}", self.url)))?;
        if answer["janus"] == "error" {
            let error = &answer["error"];
            return Err(SfuError::Refused(format!("{}: {} {}", self.url, error["code"], error["reason"])));
        }
        Ok(answer)
    }

    /// The live Janus session, created (with its poller) when there is none.
    async fn session(&self) -> Result<u64, SfuError> {
        let mut session = self.session.lock().await;
        if let Some(id) = *session {
            return Ok(id);
        }
        let created = self.post("", json!({ "janus": "create" })).await?;
        let id =
            created["data"]["id"].as_u64().ok_or_else(|| SfuError::Refused(format!("{}: no session id", self.url)))?;
        *session = Some(id);
        tokio::spawn(poll(self.http.clone(), self.url.clone(), self.api_secret.clone(), id, Arc::clone(&self.pending)));
        Ok(id)
    }

    /// Forgets the session after Janus said it does not know it (it timed out, Janus restarted).
    async fn lost(&self, id: u64) {
        let mut session = self.session.lock().await;
        if *session == Some(id) {
            *session = None;
        }
    }

    /// A new VideoRoom handle (one per peer connection).
    pub async fn attach(&self) -> Result<u64, SfuError> {
        let session = self.session().await?;
        let path = format!("/{session}");
        let attached = match self.post(&path, json!({ "janus": "attach", "plugin": "janus.plugin.videoroom" })).await {
            Err(e) => {
                self.lost(session).await;
                return Err(e);
            }
            Ok(attached) => attached,
        };
        attached["data"]["id"].as_u64().ok_or_else(|| SfuError::Refused(format!("{}: no handle id", self.url)))
    }

    pub async fn detach(&self, handle: u64) {
        let Ok(session) = self.session().await else { return };
        let _ = self.post(&format!("/{session}/{handle}"), json!({ "janus": "detach" })).await;
    }

    /// Sends `body` (and an SDP) to the plugin on `handle`; waits for the answer, synchronous or
    /// by the long poll. A plugin error (`error_code`) is a refusal naming Janus's reason.
    pub async fn message(&self, handle: u64, body: Value, sdp: Option<(&str, &str)>) -> Result<PluginAnswer, SfuError> {
        let session = self.session().await?;
        let transaction = self.transaction();
        let (sender, receiver) = oneshot::channel();
        lock(&self.pending).insert(transaction.clone(), sender);
        let mut request =
            json!({ "janus": "message", "body": body, "transaction": transaction, "apisecret": self.api_secret });
        if let Some((kind, sdp)) = sdp {
            request["jsep"] = json!({ "type": kind, "sdp": sdp });
        }
        let url = format!("{}/{session}/{handle}", self.url);
        let sent = self.http.post(&url).body(request.to_string()).send().await;
        let answer = match sent {
            Ok(response) => response.json_value().await,
            Err(e) => Err(SfuError::Unreachable(format!("{}: {e}", self.url))),
        };
        let answer = match answer {
            Ok(answer) if answer["janus"] == "ack" => match tokio::time::timeout(ANSWER_TIMEOUT, receiver).await {
                Ok(Ok(event)) => Ok(event),
                _ => Err(SfuError::Unreachable(format!("{}: no answer within {ANSWER_TIMEOUT:?}", self.url))),
            },
            Ok(answer) if answer["janus"] == "error" => {
                if answer["error"]["code"] == 458 {
                    self.lost(session).await;
                }
                let error = &answer["error"];
                Err(SfuError::Refused(format!("{}: {} {}", self.url, error["code"], error["reason"])))
            }
            other => other,
        };
        lock(&self.pending).remove(&transaction);
        let answer = answer?;
        let data = answer["plugindata"]["data"].clone();
        if let Some(reason) = data["error"].as_str() {
            return Err(SfuError::Refused(format!("{}: videoroom: {reason}", self.url)));
        }
        let sdp = answer["jsep"]["sdp"].as_str().map(str::to_owned);
        Ok(PluginAnswer { data, sdp })
    }

    /// Tells Janus that every candidate is in the SDP already (no trickle).
    pub async fn candidates_complete(&self, handle: u64) -> Result<(), SfuError> {
        let session = self.session().await?;
        self.post(&format!("/{session}/{handle}"), json!({ "janus": "trickle", "candidate": { "completed": true } }))
            .await
            .map(|_| ())
    }
}

trait JsonValue {
    async fn json_value(self) -> Result<Value, SfuError>;
}

impl JsonValue for reqwest::Response {
    async fn json_value(self) -> Result<Value, SfuError> {
        let text = self.text().await.map_err(|e| SfuError::Unreachable(e.to_string()))?;
        serde_json::from_str(&text).map_err(|e| SfuError::Refused(format!("not JSON: {e}")))
    }
}

/// The session's long poll: keeps it alive and hands each asynchronous answer to its waiter.
/// Ends when Janus no longer knows the session.
async fn poll(
    http: reqwest::Client,
    url: String,
    secret: String,
    session: u64,
    pending: Arc<Mutex<HashMap<String, oneshot::Sender<Value>>>>,
) {
    let poll_url = format!("{url}/{session}?maxev=10&apisecret={secret}");
    loop {
        let events = match http.get(&poll_url).send().await {
            Ok(response) => response.json_value().await,
            Err(e) => Err(SfuError::Unreachable(e.to_string())),
        };
        let events = match events {
            Ok(Value::Array(events)) => events,
            Ok(event) if event["janus"] == "error" => {
                tracing::warn!("janus {url}: session {session} ended: {}", event["error"]["reason"]);
                return;
            }
            Ok(event) => vec![event],
            Err(e) => {
                tracing::warn!("janus {url}: long poll: {e}; again in 1 s");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        for event in events {
            let waiter = event["transaction"].as_str().and_then(|t| lock(&pending).remove(t));
            match waiter {
                Some(waiter) => {
                    let _ = waiter.send(event);
                }
                None if event["janus"] != "keepalive" => tracing::debug!("janus {url}: {event}"),
                None => {}
            }
        }
    }
}
