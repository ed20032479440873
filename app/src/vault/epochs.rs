//! Master-key epochs. A master key wraps new data keys from the moment it becomes
//! current (`master_keys.current_since`); the scheduled rotation replaces it after
//! `rotate_after` and re-wraps every live data key under the new one; once
//! `retire_after` has passed since its epoch began, it is retired: removed from the
//! keyring, so any database backup whose data keys are wrapped under it can no longer be
//! read without a copy of the keyring kept on purpose.
//!
//! Retiring never races a writer. Every writer reads its master key's `retired_at` in the
//! transaction that stores a wrapped key (`may_wrap`, `FOR SHARE` on PostgreSQL); the
//! retirement marks the key and counts what is still wrapped under it in one
//! transaction. On PostgreSQL the mark waits for every open writer that read the row; on
//! SQLite the database has one writer at a time. So either the count sees the writer's
//! rows (the retirement is rolled back and the rows are swept again), or the writer sees
//! the mark (and wraps under the newer key instead). The key leaves the keyring file
//! only after that transaction committed with nothing left under it.

use crate::ids::MasterKeyId;
use std::time::Duration;

use sqlx::AnyConnection;

use super::keyring::{self, KeySource, Keyring};
use super::{Vault, VaultError};
use crate::db::Db;

const DAY_MS: i64 = 86_400_000;
/// How long one node holds the scheduled rotation before another may take it over.
const CLAIM_MS: i64 = 3_600_000;
const RETIRE_ATTEMPTS: usize = 10;
pub const ROTATION_JOB: &str = "key_rotation";

/// When master keys are replaced and when they leave the keyring, both counted from the
/// start of the key's epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub rotate_after_ms: i64,
    pub retire_after_ms: i64,
}

impl Policy {
    pub fn days(rotate: u32, retire: u32) -> Self {
        Self {
            rotate_after_ms: i64::from(rotate) * DAY_MS,
            retire_after_ms: i64::from(retire) * DAY_MS,
        }
    }
}

/// Records every master key of the keyring: a key seen for the first time starts its
/// epoch now; keys older than the current one are marked superseded.
pub async fn register(db: &Db, ring: &Keyring, now: i64) -> Result<(), VaultError> {
    let current = ring.current_master().0;
    for id in ring.master_ids() {
        sqlx::query(
            "INSERT INTO master_keys (id, current_since) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(now)
        .execute(db.pool())
        .await?;
        if id != current {
            sqlx::query(
                "UPDATE master_keys SET superseded_at = $1 WHERE id = $2 AND superseded_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .execute(db.pool())
            .await?;
        }
    }
    Ok(())
}

/// Whether data keys may still be wrapped under `master_id`. Called in the writer's
/// transaction; on PostgreSQL the row stays share-locked until it ends, so a retirement
/// waits for the writer. A key the database never recorded is not retired.
pub async fn may_wrap(
    conn: &mut AnyConnection,
    master_id: MasterKeyId,
) -> Result<bool, sqlx::Error> {
    let lock = if conn.backend_name() == "PostgreSQL" {
        " FOR SHARE"
    } else {
        ""
    };
    let retired: Option<Option<i64>> = sqlx::query_scalar(&format!(
        "SELECT retired_at FROM master_keys WHERE id = $1{lock}"
    ))
    .bind(master_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(retired.flatten().is_none())
}

/// Data keys (of contacts, imports and exports) still wrapped under `master_id`.
pub async fn wrapped_under(
    conn: &mut AnyConnection,
    master_id: MasterKeyId,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM contact_keys WHERE master_key_id = $1 AND wrapped_key IS NOT NULL) \
         + (SELECT COUNT(*) FROM imports WHERE master_key_id = $1 AND wrapped_key IS NOT NULL) \
         + (SELECT COUNT(*) FROM exports WHERE master_key_id = $1 AND wrapped_key IS NOT NULL)",
    )
    .bind(master_id)
    .fetch_one(&mut *conn)
    .await
}

/// Retires `master_id` (never the current key): re-wraps what is left under it, marks it
/// retired in a transaction that finds nothing wrapped under it any more, then removes
/// it from the keyring file. False when keys stay under it (damaged ones, or writers
/// that kept adding): it is then left in place, marked nothing.
pub async fn retire(
    db: &Db,
    vault: &Vault,
    master_id: MasterKeyId,
    now: i64,
) -> Result<bool, VaultError> {
    let ring = vault.fresh_ring();
    let target = ring.current_master().0;
    if master_id == target {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO master_keys (id, current_since) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
    )
    .bind(master_id)
    .bind(now)
    .execute(db.pool())
    .await?;
    let mut marked = false;
    for attempt in 0..RETIRE_ATTEMPTS {
        let mut report = super::rotate::RotationReport::new(target);
        super::rotate::sweep(db, vault, target, Some(master_id), &mut report).await?;
        if !report.failed.is_empty() {
            tracing::error!(
                master_id = master_id.get(),
                damaged = report.failed.len(),
                "master key kept: data keys under it could not be re-wrapped"
            );
            return Ok(false);
        }
        let mut tx = db.begin_write().await?;
        sqlx::query("UPDATE master_keys SET retired_at = $1 WHERE id = $2")
            .bind(now)
            .bind(master_id)
            .execute(&mut **tx)
            .await?;
        if wrapped_under(&mut tx, master_id).await? == 0 {
            tx.commit().await?;
            marked = true;
            break;
        }
        drop(tx);
        tracing::info!(
            master_id = master_id.get(),
            attempt,
            "data keys wrapped under a retiring master key meanwhile; sweeping again"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    if !marked {
        tracing::warn!(
            master_id = master_id.get(),
            "master key kept: writers kept wrapping under it"
        );
        return Ok(false);
    }
    match vault.source() {
        KeySource::File(path) => {
            let mut ring = (*vault.reload()).clone();
            ring.retain_masters(|id| id != master_id);
            keyring::write_file(path, &ring)?;
            vault.reload();
            tracing::info!(master_id = master_id.get(), "master key retired and removed from the keyring");
        }
        KeySource::Env(_) => tracing::warn!(
            master_id = master_id.get(),
            "master key retired: nothing is wrapped under it; remove it from ZGODA_KEYRING on every node"
        ),
    }
    Ok(true)
}

/// Takes (or keeps) the rotation's cluster-wide claim for `owner` until `now + CLAIM_MS`.
pub async fn claim(db: &Db, job: &str, owner: &str, now: i64) -> Result<bool, sqlx::Error> {
    crate::db::claim_job(db, job, owner, now, CLAIM_MS).await
}

pub async fn release(db: &Db, job: &str, owner: &str) -> Result<(), sqlx::Error> {
    crate::db::release_job(db, job, owner).await
}

/// What one run of the scheduled rotation did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scheduled {
    /// The new current master key, when the current one had reached its age.
    pub rotated_to: Option<MasterKeyId>,
    pub rewrapped: u64,
    pub retired: Vec<MasterKeyId>,
}

/// One run of the scheduled rotation, on the node that holds the claim (`None`
/// elsewhere): a new master key when the current one is older than the policy allows
/// (a keyring file only; `ZGODA_KEYRING` is extended by its administrator), then every
/// older key whose epoch is past the retirement window is retired.
pub async fn scheduled(
    db: &Db,
    vault: &Vault,
    policy: Policy,
    owner: &str,
    now: i64,
) -> Result<Option<Scheduled>, VaultError> {
    if !claim(db, ROTATION_JOB, owner, now).await? {
        return Ok(None);
    }
    let outcome = scheduled_run(db, vault, policy, now).await;
    if let Err(e) = release(db, ROTATION_JOB, owner).await {
        tracing::warn!(error = %e, "releasing the key rotation claim failed");
    }
    outcome.map(Some)
}

async fn scheduled_run(
    db: &Db,
    vault: &Vault,
    policy: Policy,
    now: i64,
) -> Result<Scheduled, VaultError> {
    let mut done = Scheduled::default();
    let ring = vault.fresh_ring();
    register(db, &ring, now).await?;
    let current = ring.current_master().0;
    if now - epoch(db, current, now).await?.0 >= policy.rotate_after_ms {
        match vault.source() {
            KeySource::File(_) => {
                let report = super::rotate::switch_and_sweep(db, vault, now).await?;
                done.rotated_to = Some(report.master_id);
                done.rewrapped = report.rewrapped;
            }
            KeySource::Env(_) => tracing::warn!(
                master_id = current.get(),
                "the current master key is past its rotation age; add the next one to ZGODA_KEYRING on every node and restart"
            ),
        }
    }
    let ring = vault.fresh_ring();
    let current = ring.current_master().0;
    for id in ring.master_ids().into_iter().filter(|id| *id != current) {
        let (since, retired) = epoch(db, id, now).await?;
        // A retired key still in the ring is one `ZGODA_KEYRING` keeps (or a keyring
        // backup restored on purpose): it was reported when it was retired.
        if !retired && now - since >= policy.retire_after_ms && retire(db, vault, id, now).await? {
            done.retired.push(id);
        }
    }
    Ok(done)
}

/// When the key's epoch began (now for a key never recorded), and whether it is retired.
async fn epoch(db: &Db, master_id: MasterKeyId, now: i64) -> Result<(i64, bool), VaultError> {
    let row: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT current_since, retired_at FROM master_keys WHERE id = $1")
            .bind(master_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map_or((now, false), |(since, retired)| (since, retired.is_some())))
}
