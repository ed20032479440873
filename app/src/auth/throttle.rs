//! Sign-in attempts are counted per account and per address *before* the password is
//! checked, in one atomic statement per key, so parallel guesses cannot all slip past a
//! check made earlier: attempt number `threshold + 1` is refused without touching
//! argon2. When the attempts of a key reach its threshold and fail, the key is locked
//! for a while (15 minutes by default) and its counter starts again: a lock always
//! ends, so an attacker cannot shut a real user out for good. The address limit is
//! separate and much higher: a whole call centre signs in from one address, and one
//! person's typos must not lock the others out. Counts older than the lock window
//! without a new attempt start again from zero.

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

/// One counted key with the number of attempts it admits per window.
#[derive(Debug, Clone)]
pub struct Counted {
    pub key: String,
    pub threshold: i64,
    pub is_address: bool,
}

/// The keys of one sign-in: the account first, then the address.
pub fn keys_for(security: &Security, login: &str, ip: &str) -> [Counted; 2] {
    [
        Counted {
            key: account_key(login),
            threshold: security.lockout_threshold,
            is_address: false,
        },
        Counted {
            key: address_key(ip),
            threshold: security.address_lockout_threshold,
            is_address: true,
        },
    ]
}

/// Counts this attempt against every key; `Some(wait_ms)` refuses it (a lock is in
/// force, or parallel attempts already used the key's budget).
pub async fn admit(
    db: &Db,
    security: &Security,
    keys: &[Counted],
) -> Result<Option<i64>, AppError> {
    let now = now_ms();
    for counted in keys {
        let (failures, locked_until): (i64, i64) = sqlx::query_as(
            "INSERT INTO login_throttle (throttle_key, failures, locked_until, updated_at) \
             VALUES ($1, 1, 0, $2) \
             ON CONFLICT (throttle_key) DO UPDATE SET failures = CASE \
               WHEN login_throttle.locked_until > $2 THEN login_throttle.failures \
               WHEN login_throttle.updated_at < $3 THEN 1 \
               ELSE login_throttle.failures + 1 END, \
             updated_at = $2 \
             RETURNING failures, locked_until",
        )
        .bind(&counted.key)
        .bind(now)
        .bind(now - security.lockout_ms)
        .fetch_one(db.pool())
        .await?;
        if locked_until > now {
            return Ok(Some(locked_until - now));
        }
        if failures > counted.threshold {
            return Ok(Some(security.lockout_ms));
        }
    }
    Ok(None)
}

/// After a failed attempt: a key whose count reached its threshold is locked. Only one
/// of several parallel requests wins the conditional update, so a lock is reported once.
pub async fn settle_failure(
    db: &Db,
    security: &Security,
    keys: &[Counted],
) -> Result<Vec<Counted>, AppError> {
    let now = now_ms();
    let mut newly_locked = Vec::new();
    for counted in keys {
        let done = sqlx::query(
            "UPDATE login_throttle SET failures = 0, locked_until = $1, updated_at = $2 \
             WHERE throttle_key = $3 AND failures >= $4 AND locked_until <= $2",
        )
        .bind(now + security.lockout_ms)
        .bind(now)
        .bind(&counted.key)
        .bind(counted.threshold)
        .execute(db.pool())
        .await?;
        if done.rows_affected() > 0 {
            newly_locked.push(counted.clone());
        }
    }
    Ok(newly_locked)
}

/// After a successful sign-in: the account starts afresh, and the attempt no longer
/// counts against the address (others sign in from it too).
pub async fn settle_success(db: &Db, keys: &[Counted]) -> Result<(), AppError> {
    for counted in keys {
        let sql = if counted.is_address {
            "UPDATE login_throttle SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END \
             WHERE throttle_key = $1"
        } else {
            "DELETE FROM login_throttle WHERE throttle_key = $1"
        };
        sqlx::query(sql)
            .bind(&counted.key)
            .execute(db.pool())
            .await?;
    }
    Ok(())
}
