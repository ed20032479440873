//! Database-backed sessions. The cookie carries a random token; the table keeps only its
//! SHA-256, so a leaked database does not hand out live sessions.

use crate::ids::UserId;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::policy::PasswordPolicy;
use super::{Role, SessionUser};
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::state::Security;

const PLAIN_COOKIE: &str = "zgoda_session";
const HOST_COOKIE: &str = "__Host-zgoda_session";
/// last_seen_at is written at most this often, so reads don't turn into writes.
const TOUCH_EVERY_MS: i64 = 60_000;

pub fn cookie_name(security: &Security) -> &'static str {
    if security.https {
        HOST_COOKIE
    } else {
        PLAIN_COOKIE
    }
}

/// A valid session, resolved once per request by the access layer.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    /// The cookie session's token hash; empty for an API token.
    pub token_hash: String,
    pub user: SessionUser,
    /// Present when the caller is an integration with an API token.
    pub grant: Option<crate::integrations::store::TokenGrant>,
}

/// The SHA-256 kept instead of a token (sessions' and API tokens' alike).
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn set_cookie_header(security: &Security, token: &str) -> String {
    let secure = if security.https { "; Secure" } else { "" };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax{secure}",
        cookie_name(security)
    )
}

pub fn clear_cookie_header(security: &Security) -> String {
    let secure = if security.https { "; Secure" } else { "" };
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
        cookie_name(security)
    )
}

/// The session token from a `Cookie` header, if any.
pub fn token_from_cookies(security: &Security, header: &str) -> Option<String> {
    let name = cookie_name(security);
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// Creates a session for a user and returns the token for the cookie.
pub async fn create(db: &Db, user_id: UserId) -> Result<String, AppError> {
    let token = new_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(token)
}

/// Resolves a token to a live session: the user is enabled, and neither the idle timeout
/// nor the absolute lifetime has passed. Expired rows are removed on the way.
pub async fn resolve(
    db: &Db,
    security: &Security,
    policy: &PasswordPolicy,
    token: &str,
) -> Result<Option<SessionInfo>, AppError> {
    let hash = token_hash(token);
    let row = sqlx::query(
        "SELECT s.created_at, s.last_seen_at, u.id, u.login, u.display_name, u.role, \
         u.password_changed_at, u.must_change_password, u.disabled \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let now = now_ms();
    let created_at: i64 = row.try_get("created_at")?;
    let last_seen_at: i64 = row.try_get("last_seen_at")?;
    let disabled = row.try_get::<i64, _>("disabled")? != 0;
    if disabled
        || now - last_seen_at > security.session_idle_ms
        || now - created_at > security.session_absolute_ms
    {
        delete(db, &hash).await?;
        return Ok(None);
    }
    if now - last_seen_at > TOUCH_EVERY_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
            .bind(&hash)
            .bind(now)
            .execute(db.pool())
            .await?;
    }
    let role: String = row.try_get("role")?;
    let password_changed_at: i64 = row.try_get("password_changed_at")?;
    let password_expires_at = policy.expires_at(password_changed_at);
    let expired = password_expires_at.is_some_and(|at| at <= now);
    Ok(Some(SessionInfo {
        token_hash: hash,
        user: SessionUser {
            id: row.try_get("id")?,
            login: row.try_get("login")?,
            display_name: row.try_get("display_name")?,
            role: Role::parse(&role).ok_or(AppError::Internal)?,
            must_change_password: expired || row.try_get::<i64, _>("must_change_password")? != 0,
            password_changed_at,
            password_expires_at,
        },
        grant: None,
    }))
}

pub async fn delete(db: &Db, token_hash: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Ends every session of a user, except one when given (the one making the change).
pub async fn delete_for_user(
    db: &Db,
    user_id: UserId,
    except: Option<&str>,
) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(except.unwrap_or(""))
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

/// Removes sessions past their lifetime; run periodically by the server.
pub async fn purge_expired(db: &Db, security: &Security) -> Result<u64, AppError> {
    let now = now_ms();
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - security.session_idle_ms)
        .bind(now - security.session_absolute_ms)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_names_follow_https() {
        let mut s = Security::default();
        assert_eq!(
            token_from_cookies(&s, "zgoda_lang=pl; zgoda_session=abc"),
            Some("abc".into())
        );
        assert!(set_cookie_header(&s, "t").contains("HttpOnly; SameSite=Lax"));
        assert!(!set_cookie_header(&s, "t").contains("Secure"));
        s.https = true;
        assert_eq!(token_from_cookies(&s, "zgoda_session=abc"), None);
        assert!(set_cookie_header(&s, "t").starts_with("__Host-zgoda_session=t; Path=/"));
        assert!(set_cookie_header(&s, "t").ends_with("; Secure"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
