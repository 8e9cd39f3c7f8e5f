//! Who may see and do what: users with argon2id password hashes (`password-auth`), a role each
//! and a scope (the stores they answer for, or `*` for the whole chain), and sign-in sessions
//! kept as the SHA-256 of a random cookie token (a stolen database holds no usable session).
//! Every page and API call asks [`Viewer::stores`] which stores it may show; nothing outside
//! them is read. The append-only audit log of what users (and the console itself) did is here
//! too.

use std::sync::OnceLock;

use protocol::telemetry::now_ms;
use rand::RngCore;
use sha2::{Digest, Sha256};

use sqlx::Row;

use crate::db::{Database, DbError};

/// A sign-in lasts a working day.
pub const SESSION_MS: i64 = 12 * 3_600_000;

/// The session cookie's name.
pub const COOKIE: &str = "console_session";

/// What a user may do, least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Answers size requests in their store.
    Associate,
    /// Sees and steers their store's kiosks.
    StoreManager,
    /// Runs kiosks in their scope: commands, maintenance, rollouts.
    FleetOperator,
    /// Reads the analytics of their scope.
    Analyst,
    /// Everything, users included.
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Associate, Role::StoreManager, Role::FleetOperator, Role::Analyst, Role::Admin];

    pub fn name(self) -> &'static str {
        match self {
            Role::Associate => "associate",
            Role::StoreManager => "store_manager",
            Role::FleetOperator => "fleet_operator",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// A signed-in user, as every handler sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub name: String,
    pub role: Role,
    /// `None`: the whole chain; else these stores only (regions expanded).
    scope: Option<Vec<String>>,
    /// The scope as written: `*`, store ids, `region:NAME`.
    written_scope: String,
}

impl Viewer {
    /// The stores this user may see (`None`: all).
    pub fn stores(&self) -> Option<&[String]> {
        self.scope.as_deref()
    }

    /// Store managers (their stores), fleet operators and admins send commands.
    pub fn may_command(&self) -> bool {
        matches!(self.role, Role::StoreManager | Role::FleetOperator | Role::Admin)
    }

    /// Everyone on the shop floor answers size requests (analysts only read figures).
    pub fn may_answer_requests(&self) -> bool {
        self.role != Role::Analyst
    }

    /// Configuration rollouts are fleet operators' and admins'.
    pub fn may_roll_out(&self) -> bool {
        matches!(self.role, Role::FleetOperator | Role::Admin)
    }

    pub fn scope_text(&self) -> String {
        self.written_scope.clone()
    }
}

/// `*` or a comma-separated list of store ids and `region:NAME`s.
fn parse_scope(scope: &str) -> Option<Vec<String>> {
    let stores: Vec<String> = scope.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    if stores.iter().any(|s| s == "*") { None } else { Some(stores) }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("unknown role {0:?}: use one of associate, store_manager, fleet_operator, analyst, admin")]
    Role(String),
    #[error("a password needs at least 12 characters")]
    ShortPassword,
    #[error("user names are 1–64 letters, digits, '.', '-', '_' or '@'")]
    Name,
    #[error("{0}")]
    Db(#[from] DbError),
}

/// Creates or replaces a user (the `console user add` command, tests).
pub async fn put_user(db: &Database, name: &str, password: &str, role: &str, scope: &str) -> Result<(), AuthError> {
    let role = Role::parse(role).ok_or_else(|| AuthError::Role(role.to_owned()))?;
    if password.chars().count() < 12 {
        return Err(AuthError::ShortPassword);
    }
    let valid = |c: char| c.is_ascii_alphanumeric() || ".-_@".contains(c);
    if name.is_empty() || name.len() > 64 || !name.chars().all(valid) {
        return Err(AuthError::Name);
    }
    let password = password.to_owned();
    // argon2 takes tens of milliseconds of CPU: off the async threads.
    let hash = tokio::task::spawn_blocking(move || password_auth::generate_hash(password)).await.unwrap_or_default();
    let record = UserRecord {
        name: name.to_owned(),
        password_hash: hash,
        role: role.name().to_owned(),
        scope: scope.to_owned(),
    };
    db.put_user(&record).await?;
    Ok(())
}

/// The user as handlers see them: a region in the scope stands for the stores the inventory puts
/// in it (read at every request, so an imported inventory applies at once).
async fn viewer_of(db: &Database, record: UserRecord) -> Result<Option<Viewer>, DbError> {
    let Some(role) = Role::parse(&record.role) else { return Ok(None) };
    let scope = match parse_scope(&record.scope) {
        None => None,
        Some(entries) => {
            let regions: Vec<&str> = entries.iter().filter_map(|e| e.strip_prefix("region:")).collect();
            let mut stores: Vec<String> = entries.iter().filter(|e| !e.starts_with("region:")).cloned().collect();
            if !regions.is_empty() {
                let known = crate::stores::all(db).await?;
                stores.extend(known.into_values().filter(|s| regions.contains(&s.region.as_str())).map(|s| s.id));
            }
            stores.sort();
            stores.dedup();
            Some(stores)
        }
    };
    Ok(Some(Viewer { name: record.name, role, scope, written_scope: record.scope }))
}

/// Checks a password; the same work is done for an unknown user, so timing tells nothing.
pub async fn verify(db: &Database, name: &str, password: &str) -> Result<Option<Viewer>, DbError> {
    let record = db.user(name).await?;
    let hash = record.as_ref().map(|r| r.password_hash.clone());
    let password = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || {
        // An unknown user is checked against a hash of a password nobody has.
        static DECOY: OnceLock<String> = OnceLock::new();
        let hash = hash.unwrap_or_else(|| DECOY.get_or_init(|| password_auth::generate_hash("no such user")).clone());
        password_auth::verify_password(password, &hash).is_ok()
    })
    .await
    .unwrap_or(false);
    match record.filter(|_| matches) {
        Some(record) => viewer_of(db, record).await,
        None => Ok(None),
    }
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session for `viewer`; returns the cookie token.
pub async fn start_session(db: &Database, viewer: &Viewer) -> Result<String, DbError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    db.put_session(&token_hash(&token), &viewer.name, now_ms() as i64 + SESSION_MS).await?;
    Ok(token)
}

/// The signed-in user of a cookie token, if its session is live and the user still exists.
pub async fn session_viewer(db: &Database, token: &str) -> Result<Option<Viewer>, DbError> {
    let Some(name) = db.session_user(&token_hash(token), now_ms() as i64).await? else { return Ok(None) };
    match db.user(&name).await? {
        Some(record) => viewer_of(db, record).await,
        None => Ok(None),
    }
}

pub async fn end_session(db: &Database, token: &str) -> Result<(), DbError> {
    db.delete_session(&token_hash(token)).await
}

/// A user as stored (the hash leaves this module only to be verified).
#[derive(Clone, PartialEq)]
pub struct UserRecord {
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub scope: String,
}

impl std::fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("name", &self.name)
            .field("password_hash", &"<redacted>")
            .field("role", &self.role)
            .field("scope", &self.scope)
            .finish()
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditEntry {
    pub at_ms: i64,
    pub user: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// Users, sign-in sessions and the audit log, in the console's database.
impl Database {
    pub async fn put_user(&self, user: &UserRecord) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO users (name, password_hash, role, scope) VALUES ($1, $2, $3, $4)
             ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role, scope = excluded.scope",
        )
        .bind(user.name.clone())
        .bind(user.password_hash.clone())
        .bind(user.role.clone())
        .bind(user.scope.clone())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn user(&self, name: &str) -> Result<Option<UserRecord>, DbError> {
        let row = sqlx::query("SELECT name, password_hash, role, scope FROM users WHERE name = $1")
            .bind(name.to_owned())
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| {
            Ok(UserRecord {
                name: row.try_get("name")?,
                password_hash: row.try_get("password_hash")?,
                role: row.try_get("role")?,
                scope: row.try_get("scope")?,
            })
        })
        .transpose()
    }

    pub async fn put_session(&self, token_hash: &str, user: &str, expires_ms: i64) -> Result<(), DbError> {
        sqlx::query("INSERT INTO sessions (token_hash, user_name, expires_ms) VALUES ($1, $2, $3)")
            .bind(token_hash.to_owned())
            .bind(user.to_owned())
            .bind(expires_ms)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The user a live session belongs to.
    pub async fn session_user(&self, token_hash: &str, now_ms: i64) -> Result<Option<String>, DbError> {
        let row = sqlx::query("SELECT user_name FROM sessions WHERE token_hash = $1 AND expires_ms > $2")
            .bind(token_hash.to_owned())
            .bind(now_ms)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| r.try_get("user_name")).transpose().map_err(DbError::from)
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_owned())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn audit(&self, at_ms: i64, user: &str, action: &str, target: &str, detail: &str) -> Result<(), DbError> {
        sqlx::query("INSERT INTO audit (at_ms, user_name, action, target, detail) VALUES ($1, $2, $3, $4, $5)")
            .bind(at_ms)
            .bind(user.to_owned())
            .bind(action.to_owned())
            .bind(target.to_owned())
            .bind(detail.to_owned())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The newest `limit` audit entries, newest first.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, DbError> {
        let rows = sqlx::query("SELECT at_ms, user_name, action, target, detail FROM audit ORDER BY id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(AuditEntry {
                    at_ms: row.try_get("at_ms")?,
                    user: row.try_get("user_name")?,
                    action: row.try_get("action")?,
                    target: row.try_get("target")?,
                    detail: row.try_get("detail")?,
                })
            })
            .collect()
    }

    /// A kiosk's latest screenshot replaces the one before.
    pub async fn put_screenshot(&self, kiosk: &str, at_ms: i64, png: &[u8]) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO screenshots (kiosk, at_ms, png) VALUES ($1, $2, $3)
             ON CONFLICT (kiosk) DO UPDATE SET at_ms = excluded.at_ms, png = excluded.png",
        )
        .bind(kiosk.to_owned())
        .bind(at_ms)
        .bind(png.to_vec())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A kiosk's latest screenshot: when, and the PNG.
    pub async fn screenshot(&self, kiosk: &str) -> Result<Option<(i64, Vec<u8>)>, DbError> {
        let row = sqlx::query("SELECT at_ms, png FROM screenshots WHERE kiosk = $1")
            .bind(kiosk.to_owned())
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| Ok((r.try_get("at_ms")?, r.try_get("png")?))).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_anywhere_is_the_whole_chain_and_names_are_trimmed() {
        assert_eq!(parse_scope("*"), None);
        assert_eq!(parse_scope("berlin-01, *"), None);
        assert_eq!(parse_scope(" berlin-01 ,paris-02,"), Some(vec!["berlin-01".to_owned(), "paris-02".to_owned()]));
        assert_eq!(parse_scope(""), Some(Vec::new()), "an empty scope sees nothing, not everything");
    }

    #[test]
    fn roles_round_trip_and_order_by_power() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.name()), Some(role));
        }
        assert!(Role::Associate < Role::StoreManager && Role::Analyst < Role::Admin);
        assert_eq!(Role::parse("root"), None);
    }
}
