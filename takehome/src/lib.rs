//! Take it home: what a shopper takes from the fitting room to their own phone, sealed on the
//! kiosk. The bundle (items with size, colour, fit verdict, price, stock and shop link; looks the
//! shopper ticked) is serialised to JSON and encrypted with AES-256-GCM under a fresh random key.
//! The key travels only in the link's fragment (after `#`, which browsers never send to a
//! server), so the relay and any object store hold ciphertext only; the phone's page decrypts it
//! with WebCrypto.
//!
//! ```text
//! sealed = nonce (12 bytes) ‖ AES-256-GCM(key, nonce, bundle JSON, aad = "smart-mirror take-home v1") ‖ tag
//! link   = {public_url}/h/{token}#{base64url(key)}
//! delete = HMAC-SHA256(key, "smart-mirror take-home delete"); the relay keeps SHA-256 of it
//! ```
//! "Delete now" on the phone sends the delete proof, which only a holder of the key can make;
//! the relay checks it against the hash the kiosk gave at upload and never learns the key.

use std::time::Duration;

use base64::prelude::{BASE64_URL_SAFE_NO_PAD, Engine as _};
use ring::{
    aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey},
    digest, hmac,
    rand::{SecureRandom, SystemRandom},
};
use serde::{Deserialize, Serialize};

/// Bound to every sealed bundle: a ciphertext made for anything else does not open as one.
pub const AAD: &[u8] = b"smart-mirror take-home v1";
const DELETE_LABEL: &[u8] = b"smart-mirror take-home delete";
/// Key length in bytes (AES-256).
pub const KEY_LEN: usize = 32;

/// How long a link lives unless the config says otherwise, and the most it may.
pub const DEFAULT_EXPIRY: Duration = Duration::from_secs(24 * 3600);
pub const MAX_EXPIRY: Duration = Duration::from_secs(7 * 24 * 3600);
pub const MIN_EXPIRY: Duration = Duration::from_secs(3600);

/// What the phone shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub v: u32,
    /// The store, as the shopper knows it.
    pub store: String,
    /// Unix milliseconds.
    pub created_at_ms: u64,
    pub expires_at_ms: u64,
    pub items: Vec<Item>,
    pub looks: Vec<Look>,
}

/// One item the shopper tried, in the size and colour they chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub name: String,
    pub brand: String,
    pub size: String,
    pub colour: String,
    /// As the store shows it ("€49.95").
    pub price: String,
    /// "Fits", "Too small", …, if the shopper said.
    pub fit: Option<String>,
    /// Units of this size and colour in the store when the bundle was made.
    pub in_store: u32,
    /// The web shop's page for it, if the chain sells it online.
    pub buy_url: Option<String>,
    /// A small picture, PNG or JPEG bytes as base64.
    pub picture_base64: Option<String>,
}

/// A look the shopper ticked: its label and picture (JPEG, base64).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Look {
    pub label: String,
    pub jpeg_base64: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TakeHomeError {
    #[error("no random numbers from the system")]
    Random,
    #[error("the bundle could not be written: {0}")]
    Encode(String),
    #[error("this link is incomplete: its key is missing or damaged")]
    BadKey,
    #[error("the bundle does not open with this key (damaged, or another bundle's)")]
    Sealed,
    #[error("the expiry must be {min} to {max} hours, not {0} s", min = MIN_EXPIRY.as_secs() / 3600, max = MAX_EXPIRY.as_secs() / 3600)]
    Expiry(u64),
}

/// A sealed bundle and the key that opens it (which must never be sent to a server).
pub struct Sealed {
    pub bytes: Vec<u8>,
    pub key: [u8; KEY_LEN],
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key stays out of logs.
        f.debug_struct("Sealed").field("bytes", &self.bytes.len()).finish_non_exhaustive()
    }
}

impl Sealed {
    /// The link's fragment: the key, base64url without padding (43 characters).
    pub fn fragment(&self) -> String {
        BASE64_URL_SAFE_NO_PAD.encode(self.key)
    }

    /// What "Delete now" sends, as hex.
    pub fn delete_proof(&self) -> String {
        delete_proof(&self.key)
    }

    /// What the relay keeps to check a delete proof, as hex.
    pub fn delete_hash(&self) -> String {
        proof_hash(&self.delete_proof())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC-SHA256(key, label), hex: proof of holding the key, from which the key cannot be found.
pub fn delete_proof(key: &[u8; KEY_LEN]) -> String {
    hex(hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), DELETE_LABEL).as_ref())
}

/// SHA-256 of a delete proof (as its hex text), hex: what the relay stores and compares.
pub fn proof_hash(proof_hex: &str) -> String {
    hex(digest::digest(&digest::SHA256, proof_hex.as_bytes()).as_ref())
}

/// Encrypts `bundle` under a fresh random key.
pub fn seal(bundle: &Bundle) -> Result<Sealed, TakeHomeError> {
    let rng = SystemRandom::new();
    let mut key = [0u8; KEY_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    rng.fill(&mut key).map_err(|_| TakeHomeError::Random)?;
    rng.fill(&mut nonce).map_err(|_| TakeHomeError::Random)?;
    let mut data = serde_json::to_vec(bundle).map_err(|e| TakeHomeError::Encode(e.to_string()))?;
    let sealing = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &key).map_err(|_| TakeHomeError::BadKey)?);
    sealing
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(AAD), &mut data)
        .map_err(|_| TakeHomeError::Sealed)?;
    let mut bytes = Vec::with_capacity(NONCE_LEN + data.len());
    bytes.extend_from_slice(&nonce);
    bytes.extend_from_slice(&data);
    Ok(Sealed { bytes, key })
}

/// The key in a link's fragment.
pub fn key_from_fragment(fragment: &str) -> Result<[u8; KEY_LEN], TakeHomeError> {
    let bytes = BASE64_URL_SAFE_NO_PAD.decode(fragment.trim_start_matches('#')).map_err(|_| TakeHomeError::BadKey)?;
    bytes.try_into().map_err(|_| TakeHomeError::BadKey)
}

/// Decrypts a sealed bundle (what the phone's page does with WebCrypto; here for tests and tools).
pub fn open(sealed: &[u8], key: &[u8; KEY_LEN]) -> Result<Bundle, TakeHomeError> {
    if sealed.len() < NONCE_LEN {
        return Err(TakeHomeError::Sealed);
    }
    let (nonce, data) = sealed.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| TakeHomeError::Sealed)?;
    let opening = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).map_err(|_| TakeHomeError::BadKey)?);
    let mut data = data.to_vec();
    let plain = opening.open_in_place(nonce, Aad::from(AAD), &mut data).map_err(|_| TakeHomeError::Sealed)?;
    serde_json::from_slice(plain).map_err(|_| TakeHomeError::Sealed)
}

/// The link's lifetime: `hours` from the config, within 1 hour and 7 days.
pub fn expiry(hours: u32) -> Result<Duration, TakeHomeError> {
    let asked = Duration::from_secs(u64::from(hours) * 3600);
    if (MIN_EXPIRY..=MAX_EXPIRY).contains(&asked) { Ok(asked) } else { Err(TakeHomeError::Expiry(asked.as_secs())) }
}

#[cfg(test)]
mod tests {
    use base64::prelude::BASE64_STANDARD;

    use super::*;

    fn bundle() -> Bundle {
        let picture = vec![0x89, b'P', b'N', b'G', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
        Bundle {
            v: 1,
            store: "Demo store".into(),
            created_at_ms: 1,
            expires_at_ms: 86_400_001,
            items: vec![Item {
                name: "Oxford shirt".into(),
                brand: "Fitting Room".into(),
                size: "M".into(),
                colour: "white".into(),
                price: "€49.95".into(),
                fit: Some("Too small".into()),
                in_store: 2,
                buy_url: Some("https://shop.example.com/p/oxford-shirt?sku=oxford-shirt-white-M".into()),
                picture_base64: Some(BASE64_STANDARD.encode(&picture)),
            }],
            looks: vec![Look {
                label: "Oxford shirt".into(),
                jpeg_base64: BASE64_STANDARD.encode([0xFF, 0xD8, 7, 7, 7, 7]),
            }],
        }
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_sealed_bundle_opens_with_its_key_only_and_shows_nothing_of_itself() {
        let bundle = bundle();
        let sealed = seal(&bundle).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(open(&sealed.bytes, &sealed.key), Ok(bundle.clone()));
        for secret in [&b"Oxford"[..], b"shirt", b"white", b"49.95", b"shop.example.com", b"Too small"] {
            assert!(!contains(&sealed.bytes, secret), "the ciphertext shows {:?}", String::from_utf8_lossy(secret));
        }
        let picture_b64 = bundle.items[0].picture_base64.clone().unwrap_or_default();
        assert!(!contains(&sealed.bytes, picture_b64.as_bytes()) && !contains(&sealed.bytes, b"\x89PNG"));
        // Another key, a flipped bit, a cut: nothing opens.
        let other = seal(&bundle).unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(other.key, sealed.key, "a fresh key every time");
        assert_eq!(open(&sealed.bytes, &other.key), Err(TakeHomeError::Sealed));
        let mut flipped = sealed.bytes.clone();
        flipped[20] ^= 1;
        assert_eq!(open(&flipped, &sealed.key), Err(TakeHomeError::Sealed));
        assert_eq!(open(&sealed.bytes[..sealed.bytes.len() - 1], &sealed.key), Err(TakeHomeError::Sealed));
        assert_eq!(open(&sealed.bytes[..5], &sealed.key), Err(TakeHomeError::Sealed));
    }

    #[test]
    fn the_fragment_carries_the_key_and_a_damaged_one_is_refused() {
        let sealed = seal(&bundle()).unwrap_or_else(|e| panic!("{e}"));
        let fragment = sealed.fragment();
        assert_eq!(fragment.len(), 43);
        assert_eq!(key_from_fragment(&format!("#{fragment}")), Ok(sealed.key));
        assert_eq!(key_from_fragment(&fragment[..40]), Err(TakeHomeError::BadKey), "truncated");
        assert_eq!(key_from_fragment("not a key!"), Err(TakeHomeError::BadKey));
        assert_eq!(key_from_fragment(""), Err(TakeHomeError::BadKey));
        assert!(format!("{sealed:?}").len() < 60 && !format!("{sealed:?}").contains(&fragment), "no key in logs");
    }

    #[test]
    fn the_delete_proof_needs_the_key_and_the_relay_keeps_only_its_hash() {
        let sealed = seal(&bundle()).unwrap_or_else(|e| panic!("{e}"));
        let (proof, hash) = (sealed.delete_proof(), sealed.delete_hash());
        assert_eq!((proof.len(), hash.len()), (64, 64));
        assert_eq!(proof_hash(&proof), hash);
        let other = seal(&bundle()).unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(proof_hash(&other.delete_proof()), hash, "another key's proof does not match");
        assert!(!hash.contains(&hex(&sealed.key)) && !proof.contains(&hex(&sealed.key)));
    }

    #[test]
    fn expiry_is_one_hour_to_seven_days() {
        assert_eq!(expiry(24), Ok(DEFAULT_EXPIRY));
        assert_eq!(expiry(1), Ok(MIN_EXPIRY));
        assert_eq!(expiry(168), Ok(MAX_EXPIRY));
        assert_eq!(expiry(0), Err(TakeHomeError::Expiry(0)));
        assert_eq!(expiry(169), Err(TakeHomeError::Expiry(169 * 3600)));
        assert_eq!(TakeHomeError::Expiry(0).to_string(), "the expiry must be 1 to 168 hours, not 0 s");
    }
}
