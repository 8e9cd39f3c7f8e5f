//! Mosquitto's password file: `user:$7$ITERATIONS$SALT$HASH`, PBKDF2-HMAC-SHA512 with a 12-byte
//! random salt and a 64-byte hash, both base64 — what `mosquitto_passwd` 2.x writes. A hash that
//! still matches its password is kept as it is, so re-provisioning leaves the file unchanged.

use base64::{Engine, engine::general_purpose::STANDARD};
use pbkdf2::pbkdf2_hmac;
use sha2::Sha512;

/// What mosquitto_passwd uses.
const ITERATIONS: u32 = 101;

fn derive(password: &str, salt: &[u8], iterations: u32) -> [u8; 64] {
    let mut hash = [0u8; 64];
    pbkdf2_hmac::<Sha512>(password.as_bytes(), salt, iterations, &mut hash);
    hash
}

/// A new `$7$` hash of `password` with a random salt.
pub fn hash(password: &str) -> String {
    let salt: [u8; 12] = rand::random();
    let hash = derive(password, &salt, ITERATIONS);
    format!("$7${ITERATIONS}${}${}", STANDARD.encode(salt), STANDARD.encode(hash))
}

/// Whether `encoded` (a `$7$` hash) is a hash of `password`.
pub fn verify(encoded: &str, password: &str) -> bool {
    let parts: Vec<&str> = encoded.split('$').collect();
    let ["", "7", iterations, salt, hash] = parts.as_slice() else { return false };
    let (Ok(iterations), Ok(salt), Ok(hash)) = (iterations.parse(), STANDARD.decode(salt), STANDARD.decode(hash))
    else {
        return false;
    };
    derive(password, &salt, iterations).as_slice() == hash.as_slice()
}

/// The password file for `users` (name, password), reusing each line of `existing` whose hash
/// still matches. Lines are sorted by user name.
pub fn password_file(users: &[(String, String)], existing: &str) -> String {
    let old: std::collections::HashMap<&str, &str> = existing.lines().filter_map(|line| line.split_once(':')).collect();
    let mut users: Vec<&(String, String)> = users.iter().collect();
    users.sort();
    users
        .into_iter()
        .map(|(user, password)| {
            let kept = old.get(user.as_str()).filter(|h| verify(h, password)).map(|h| h.to_string());
            format!("{user}:{}\n", kept.unwrap_or_else(|| hash(password)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_unchanged_passwords_keep_their_lines() {
        let encoded = hash("s3cret");
        assert!(encoded.starts_with("$7$101$") && verify(&encoded, "s3cret") && !verify(&encoded, "other"));
        let users = vec![("b".to_string(), "pb".to_string()), ("a".to_string(), "pa".to_string())];
        let first = password_file(&users, "");
        assert!(first.starts_with("a:$7$") && first.contains("\nb:$7$"), "{first}");
        assert_eq!(password_file(&users, &first), first, "same passwords: same file");
        let changed = vec![("a".to_string(), "new".to_string()), ("b".to_string(), "pb".to_string())];
        let second = password_file(&changed, &first);
        assert_ne!(second.lines().next(), first.lines().next(), "a changed password gets a new hash");
        assert_eq!(second.lines().nth(1), first.lines().nth(1), "b's line is kept");
    }
}
