//! Failed sign-ins are counted per account and per address. After the threshold the key
//! is locked for a while (15 minutes by default) and its counter starts again: a lock
//! always ends, so an attacker cannot shut a real user out for good.

use sqlx::Row;

use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::state::Security;

/// Keyed by a hash of the typed login, so that nothing typed is stored in clear.
pub fn account_key(login: &str) -> String {
    use sha2::{Digest, Sha256};
    format!("login:{}", hex::encode(Sha256::digest(login.as_bytes())))
}

pub fn address_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// Milliseconds until the longest lock on any of the keys ends, if one is in force.
pub async fn locked_for(db: &Db, keys: &[String]) -> Result<Option<i64>, AppError> {
    let now = now_ms();
    let mut longest = None;
    for key in keys {
        let until: Option<i64> =
            sqlx::query_scalar("SELECT locked_until FROM login_throttle WHERE throttle_key = $1")
                .bind(key)
                .fetch_optional(db.pool())
                .await?;
        if let Some(until) = until.filter(|u| *u > now) {
            longest = Some(longest.map_or(until - now, |l: i64| l.max(until - now)));
        }
    }
    Ok(longest)
}

/// Counts a failure; returns the keys that became locked by it.
pub async fn record_failure(
    db: &Db,
    security: &Security,
    keys: &[String],
) -> Result<Vec<String>, AppError> {
    let now = now_ms();
    let mut newly_locked = Vec::new();
    for key in keys {
        let row = sqlx::query(
            "INSERT INTO login_throttle (throttle_key, failures, locked_until, updated_at) \
             VALUES ($1, 1, 0, $2) \
             ON CONFLICT (throttle_key) DO UPDATE SET failures = login_throttle.failures + 1, \
             updated_at = excluded.updated_at RETURNING failures",
        )
        .bind(key)
        .bind(now)
        .fetch_one(db.pool())
        .await?;
        let failures: i64 = row.try_get("failures")?;
        if failures >= security.lockout_threshold {
            sqlx::query(
                "UPDATE login_throttle SET failures = 0, locked_until = $2 WHERE throttle_key = $1",
            )
            .bind(key)
            .bind(now + security.lockout_ms)
            .execute(db.pool())
            .await?;
            newly_locked.push(key.clone());
        }
    }
    Ok(newly_locked)
}

pub async fn clear(db: &Db, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
        .bind(key)
        .execute(db.pool())
        .await?;
    Ok(())
}
