//! Rotation: a new master key, every data key re-wrapped under it in small transactions
//! while Zgoda keeps serving. `zgoda keys rotate` then retires the old master keys at
//! once; the scheduled rotation (`epochs`) keeps them for their window. Servers re-read
//! the keyring file when it changes, so they follow without a restart.

use crate::ids::{ContactId, MasterKeyId};
use std::time::Duration;

use sqlx::Row;

use super::cipher::{DataKey, KeyOwner};
use super::keyring::{self, KeySource};
use super::{Vault, VaultError};
use crate::db::{now_ms, Db};

const BATCH: i64 = 500;
const MAX_PASSES: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationReport {
    pub master_id: MasterKeyId,
    pub rewrapped: u64,
    /// Contacts whose data key failed to unwrap (damaged); they keep their old wrapping.
    pub failed: Vec<ContactId>,
    /// Master keys retired (removed from the keyring file).
    pub retired: Vec<MasterKeyId>,
}

impl RotationReport {
    pub fn new(master_id: MasterKeyId) -> Self {
        Self {
            master_id,
            rewrapped: 0,
            failed: Vec::new(),
            retired: Vec::new(),
        }
    }
}

/// `zgoda keys rotate`: a new current master key, everything re-wrapped under it, and
/// the older keys retired at once (see `epochs::retire` for why no writer can lose its
/// keys to that). The scheduled rotation keeps older keys for their window instead.
#[tracing::instrument(skip_all)]
pub async fn rotate(db: &Db, vault: &Vault) -> Result<RotationReport, VaultError> {
    let now = now_ms();
    let mut report = switch_and_sweep(db, vault, now).await?;
    if report.failed.is_empty() {
        let ring = vault.fresh_ring();
        for id in ring.master_ids() {
            if id != report.master_id && super::epochs::retire(db, vault, id, now).await? {
                report.retired.push(id);
            }
        }
    }
    Ok(report)
}

/// Makes a new master key current (a keyring file gets one; with `ZGODA_KEYRING` its
/// newest key is the target) and re-wraps every data key under it.
pub async fn switch_and_sweep(
    db: &Db,
    vault: &Vault,
    now: i64,
) -> Result<RotationReport, VaultError> {
    let target = match vault.source() {
        KeySource::File(path) => {
            let next = vault.fresh_ring().with_new_master();
            keyring::write_file(path, &next)?;
            let ring = vault.reload();
            super::store::check_keyring(db, &ring, &vault.source().describe()).await?;
            ring.current_master().0
        }
        // An environment variable cannot be rewritten from here: its newest master key
        // (added by the administrator on every node) is the target.
        KeySource::Env(_) => vault.ring().current_master().0,
    };
    super::epochs::register(db, &vault.ring(), now).await?;
    let mut report = RotationReport::new(target);
    sweep(db, vault, target, None, &mut report).await?;
    Ok(report)
}

/// Re-wraps under `target` every data key wrapped under another master key (or only
/// under `only`), pass after pass until none is left or only damaged ones are.
pub(crate) async fn sweep(
    db: &Db,
    vault: &Vault,
    target: MasterKeyId,
    only: Option<MasterKeyId>,
    report: &mut RotationReport,
) -> Result<(), VaultError> {
    for pass in 0..MAX_PASSES {
        for owner in [KeyOwner::Contact, KeyOwner::Import, KeyOwner::Export] {
            rewrap_pass(db, vault, owner, target, only, report).await?;
        }
        if remaining(db, target, only, &report.failed).await? == 0 {
            break;
        }
        // A server that read the old keyring a moment ago may still be wrapping a new
        // contact's key under it: wait, then sweep again.
        tracing::info!(pass, "data keys wrapped during the pass; sweeping again");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Ok(())
}

async fn rewrap_pass(
    db: &Db,
    vault: &Vault,
    owner: KeyOwner,
    target: MasterKeyId,
    only: Option<MasterKeyId>,
    report: &mut RotationReport,
) -> Result<(), VaultError> {
    let ring = vault.fresh_ring();
    let new_master = ring.master(target).expect("the target is in the ring");
    let mut after = 0i64;
    loop {
        let (table, id_col) = owner.table();
        let rows = sqlx::query(&format!(
            "SELECT {id_col} AS owner_id, key_version, master_key_id, wrapped_key FROM {table} \
             WHERE {id_col} > $1 AND master_key_id <> $2 AND ($3 = 0 OR master_key_id = $4) \
             AND wrapped_key IS NOT NULL ORDER BY {id_col} LIMIT $5"
        ))
        .bind(after)
        .bind(target)
        .bind(only.map_or(0, MasterKeyId::get))
        .bind(only.map_or(0, MasterKeyId::get))
        .bind(BATCH)
        .fetch_all(db.pool())
        .await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.try_get("owner_id")?;
        let mut tx = db.begin_write().await?;
        for row in rows {
            let owner_id: i64 = row.try_get("owner_id")?;
            let version: i64 = row.try_get("key_version")?;
            let old_id: MasterKeyId = row.try_get("master_key_id")?;
            let wrapped: Vec<u8> = row.try_get("wrapped_key")?;
            let key = ring.master(old_id).and_then(|m| {
                DataKey::unwrap_for(owner, m, old_id, owner_id, version, &wrapped).ok()
            });
            let Some(key) = key else {
                // Failed imports' keys are not reported as contacts; they stay as they are.
                let contact_id = ContactId(owner_id);
                if owner == KeyOwner::Contact && !report.failed.contains(&contact_id) {
                    tracing::error!(
                        contact_id = owner_id,
                        "data key failed to unwrap during rotation"
                    );
                    report.failed.push(contact_id);
                } else if owner == KeyOwner::Import {
                    tracing::error!(
                        import_id = owner_id,
                        "import key failed to unwrap during rotation"
                    );
                } else if owner == KeyOwner::Export {
                    tracing::error!(
                        export_id = owner_id,
                        "export key failed to unwrap during rotation"
                    );
                }
                continue;
            };
            // Conditional: a key destroyed (erased) or re-wrapped meanwhile stays as it is.
            let done = sqlx::query(&format!(
                "UPDATE {table} SET wrapped_key = $1, master_key_id = $2 \
                 WHERE {id_col} = $3 AND master_key_id = $4 AND wrapped_key IS NOT NULL"
            ))
            .bind(key.wrap_for(owner, new_master, target, owner_id))
            .bind(target)
            .bind(owner_id)
            .bind(old_id)
            .execute(&mut **tx)
            .await?;
            report.rewrapped += done.rows_affected();
        }
        tx.commit().await?;
    }
}

async fn remaining(
    db: &Db,
    target: MasterKeyId,
    only: Option<MasterKeyId>,
    failed: &[ContactId],
) -> Result<i64, VaultError> {
    let total: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM contact_keys WHERE master_key_id <> $1 AND ($2 = 0 OR master_key_id = $3) \
         AND wrapped_key IS NOT NULL) + (SELECT COUNT(*) FROM imports WHERE master_key_id <> $1 \
         AND ($2 = 0 OR master_key_id = $3) AND wrapped_key IS NOT NULL) \
         + (SELECT COUNT(*) FROM exports WHERE master_key_id <> $1 \
         AND ($2 = 0 OR master_key_id = $3) AND wrapped_key IS NOT NULL)",
    )
    .bind(target)
    .bind(only.map_or(0, MasterKeyId::get))
    .bind(only.map_or(0, MasterKeyId::get))
    .fetch_one(db.pool())
    .await?;
    Ok(total - failed.len() as i64)
}
