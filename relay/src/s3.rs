//! Take-home bundles in an S3-compatible object store (AWS S3, SeaweedFS, Ceph RGW, MinIO…), for
//! a chain: one object per link, `take-home/{token}`, holding a line of metadata (kiosk, expiry,
//! delete hash: no shopper data) and the ciphertext. Requests are signed with rusty-s3 (SigV4,
//! presigned) and sent with reqwest. Any relay instance can serve any link, and links outlive a
//! relay restart; the relay deletes an object when its link is deleted or expires, and the
//! bucket's lifecycle rule (README) removes what a stopped relay could not.

use std::time::Duration;

use bytes::Bytes;
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
use serde::{Deserialize, Serialize};

/// `[take_home_store]` in the relay's config.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Config {
    /// e.g. "https://s3.eu-central-1.amazonaws.com" or "http://10.0.0.5:8333".
    pub endpoint: String,
    pub bucket: String,
    #[serde(default = "default_region")]
    pub region: String,
    pub access_key: String,
    pub secret_key: String,
    /// `https://host/bucket/key` (most self-hosted stores) rather than `https://bucket.host/key`.
    #[serde(default = "yes")]
    pub path_style: bool,
}

fn default_region() -> String {
    "us-east-1".into()
}

fn yes() -> bool {
    true
}

impl S3Config {
    pub fn validate(&self) -> Result<(), String> {
        let key = |k: &str, problem: &str| Err(format!("key `take_home_store.{k}`: {problem}"));
        if !(self.endpoint.starts_with("http://") || self.endpoint.starts_with("https://")) {
            return key("endpoint", &format!("{:?} must start with http:// or https://", self.endpoint));
        }
        if url::Url::parse(&self.endpoint).is_err() {
            return key("endpoint", &format!("{:?} is not a URL", self.endpoint));
        }
        for (name, value) in
            [("bucket", &self.bucket), ("access_key", &self.access_key), ("secret_key", &self.secret_key)]
        {
            if value.trim().is_empty() {
                return key(name, "must not be empty");
            }
        }
        Ok(())
    }
}

/// What an object says about its link besides the ciphertext.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectMeta {
    pub kiosk: String,
    /// Unix seconds.
    pub expires_at: u64,
    pub delete_hash: String,
}

const MAGIC: &[u8] = b"smart-mirror take-home\n";
/// How long a signed request stays valid.
const SIGNED_FOR: Duration = Duration::from_secs(60);

/// The object for a link: the magic line, the metadata as one JSON line, the ciphertext.
pub fn object_bytes(meta: &ObjectMeta, sealed: &[u8]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend(serde_json::to_vec(meta).unwrap_or_default());
    out.push(b'\n');
    out.extend_from_slice(sealed);
    out
}

/// Splits an object back into its metadata and ciphertext.
pub fn parse_object(object: &Bytes) -> Option<(ObjectMeta, Bytes)> {
    let rest = object.strip_prefix(MAGIC)?;
    let end = rest.iter().position(|b| *b == b'\n')?;
    let meta = serde_json::from_slice(&rest[..end]).ok()?;
    let start = MAGIC.len() + end + 1;
    Some((meta, object.slice(start..)))
}

/// The bucket, its credentials and an HTTP client.
#[derive(Debug)]
pub struct S3Blobs {
    bucket: Bucket,
    credentials: Credentials,
    http: reqwest::Client,
}

fn object_key(token: &str) -> String {
    format!("take-home/{token}")
}

impl S3Blobs {
    pub fn new(config: &S3Config) -> Result<Self, String> {
        let endpoint = url::Url::parse(&config.endpoint).map_err(|e| format!("take_home_store.endpoint: {e}"))?;
        let style = if config.path_style { UrlStyle::Path } else { UrlStyle::VirtualHost };
        let bucket = Bucket::new(endpoint, style, config.bucket.clone(), config.region.clone())
            .map_err(|e| format!("take_home_store: {e}"))?;
        let credentials = Credentials::new(config.access_key.clone(), config.secret_key.clone());
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("take_home_store: no HTTP client: {e}"))?;
        Ok(Self { bucket, credentials, http })
    }

    pub async fn put(&self, token: &str, object: Vec<u8>) -> Result<(), String> {
        let url = self.bucket.put_object(Some(&self.credentials), &object_key(token)).sign(SIGNED_FOR);
        let response = self.http.put(url).body(object).send().await.map_err(|e| format!("object store: {e}"))?;
        match response.status() {
            status if status.is_success() => Ok(()),
            status => Err(format!("object store refused the upload: {status}")),
        }
    }

    /// The object, or None if there is none.
    pub async fn get(&self, token: &str) -> Result<Option<Bytes>, String> {
        let url = self.bucket.get_object(Some(&self.credentials), &object_key(token)).sign(SIGNED_FOR);
        let response = self.http.get(url).send().await.map_err(|e| format!("object store: {e}"))?;
        match response.status() {
            reqwest::StatusCode::NOT_FOUND => Ok(None),
            status if status.is_success() => response.bytes().await.map(Some).map_err(|e| format!("object store: {e}")),
            status => Err(format!("object store answered {status}")),
        }
    }

    pub async fn delete(&self, token: &str) -> Result<(), String> {
        let url = self.bucket.delete_object(Some(&self.credentials), &object_key(token)).sign(SIGNED_FOR);
        let response = self.http.delete(url).send().await.map_err(|e| format!("object store: {e}"))?;
        match response.status() {
            status if status.is_success() || status == reqwest::StatusCode::NOT_FOUND => Ok(()),
            status => Err(format!("object store refused the delete: {status}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_object_holds_its_metadata_line_then_the_ciphertext() {
        let meta = ObjectMeta { kiosk: "k1".into(), expires_at: 7, delete_hash: "ab".repeat(32) };
        let sealed = b"\x01\x02\n\x03ciphertext";
        let object = Bytes::from(object_bytes(&meta, sealed));
        assert_eq!(parse_object(&object), Some((meta, Bytes::from_static(sealed))));
        assert_eq!(parse_object(&Bytes::from_static(b"anything else")), None);
    }

    #[test]
    fn the_config_names_the_key_that_is_wrong() {
        let good = S3Config {
            endpoint: "http://127.0.0.1:8333".into(),
            bucket: "take-home".into(),
            region: default_region(),
            access_key: "a".into(),
            secret_key: "b".into(),
            path_style: true,
        };
        assert_eq!(good.validate(), Ok(()));
        let bad = S3Config { endpoint: "ftp://x".into(), ..good.clone() };
        assert!(bad.validate().is_err_and(|e| e.starts_with("key `take_home_store.endpoint`")));
        let bad = S3Config { secret_key: " ".into(), ..good };
        assert_eq!(bad.validate(), Err("key `take_home_store.secret_key`: must not be empty".into()));
    }
}
