//! `zgoda keys rotate`: a new master key, every data key re-wrapped under it in small
//! transactions while Zgoda keeps serving, then the old master keys retired. Servers
//! re-read the keyring file when it changes, so they follow without a restart.

use std::time::Duration;

use sqlx::Row;

use super::cipher::{DataKey, KeyOwner};
use super::keyring::{self, KeySource};
use super::{Vault, VaultError};
use crate::db::Db;

const BATCH: i64 = 500;
const MAX_PASSES: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationReport {
    pub master_id: i64,
    pub rewrapped: u64,
    /// Contacts whose data key failed to unwrap (damaged); they keep their old wrapping.
    pub failed: Vec<i64>,
    /// Master keys removed from the keyring file.
    pub retired: Vec<i64>,
}

#[tracing::instrument(skip_all)]
pub async fn rotate(db: &Db, vault: &Vault) -> Result<RotationReport, VaultError> {
    let target = match vault.source() {
        KeySource::File(path) => {
            let next = vault.fresh_ring().with_new_master();
            keyring::write_file(path, &next)?;
            let ring = vault.fresh_ring();
            super::store::check_keyring(db, &ring, &vault.source().describe()).await?;
            ring.current_master().0
        }
        // An environment variable cannot be rewritten from here: its newest master key
        // (added by the administrator on every node) is the target.
        KeySource::Env(_) => vault.ring().current_master().0,
    };
    let mut report = RotationReport {
        master_id: target,
        rewrapped: 0,
        failed: Vec::new(),
        retired: Vec::new(),
    };
    for pass in 0..MAX_PASSES {
        for owner in [KeyOwner::Contact, KeyOwner::Import] {
            rewrap_pass(db, vault, owner, target, &mut report).await?;
        }
        if remaining(db, target, &report.failed).await? == 0 {
            break;
        }
        // A server that read the old keyring a moment ago may still be wrapping a new
        // contact's key under it: wait, then sweep again.
        tracing::info!(pass, "data keys wrapped during the pass; sweeping again");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    if report.failed.is_empty() && remaining(db, target, &[]).await? == 0 {
        if let KeySource::File(path) = vault.source() {
            let mut ring = (*vault.fresh_ring()).clone();
            let before = ring.master_ids();
            ring.retain_masters(|id| id == target);
            report.retired = before.into_iter().filter(|id| *id != target).collect();
            keyring::write_file(path, &ring)?;
            vault.fresh_ring();
        }
    }
    Ok(report)
}

async fn rewrap_pass(
    db: &Db,
    vault: &Vault,
    owner: KeyOwner,
    target: i64,
    report: &mut RotationReport,
) -> Result<(), VaultError> {
    let ring = vault.fresh_ring();
    let new_master = ring.master(target).expect("the target is in the ring");
    let mut after = 0i64;
    loop {
        let (table, id_col) = owner.table();
        let rows = sqlx::query(&format!(
            "SELECT {id_col} AS owner_id, key_version, master_key_id, wrapped_key FROM {table} \
             WHERE {id_col} > $1 AND master_key_id <> $2 AND wrapped_key IS NOT NULL \
             ORDER BY {id_col} LIMIT $3"
        ))
        .bind(after)
        .bind(target)
        .bind(BATCH)
        .fetch_all(db.pool())
        .await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.try_get("owner_id")?;
        let mut tx = db.begin_write().await?;
        for row in rows {
            let contact_id: i64 = row.try_get("owner_id")?;
            let version: i64 = row.try_get("key_version")?;
            let old_id: i64 = row.try_get("master_key_id")?;
            let wrapped: Vec<u8> = row.try_get("wrapped_key")?;
            let key = ring.master(old_id).and_then(|m| {
                DataKey::unwrap_for(owner, m, old_id, contact_id, version, &wrapped).ok()
            });
            let Some(key) = key else {
                // Failed imports' keys are not reported as contacts; they stay as they are.
                if owner == KeyOwner::Contact && !report.failed.contains(&contact_id) {
                    tracing::error!(contact_id, "data key failed to unwrap during rotation");
                    report.failed.push(contact_id);
                } else if owner == KeyOwner::Import {
                    tracing::error!(
                        import_id = contact_id,
                        "import key failed to unwrap during rotation"
                    );
                }
                continue;
            };
            // Conditional: a key destroyed (erased) or re-wrapped meanwhile stays as it is.
            let done = sqlx::query(&format!(
                "UPDATE {table} SET wrapped_key = $1, master_key_id = $2 \
                 WHERE {id_col} = $3 AND master_key_id = $4 AND wrapped_key IS NOT NULL"
            ))
            .bind(key.wrap_for(owner, new_master, target, contact_id))
            .bind(target)
            .bind(contact_id)
            .bind(old_id)
            .execute(&mut **tx)
            .await?;
            report.rewrapped += done.rows_affected();
        }
        tx.commit().await?;
    }
}

async fn remaining(db: &Db, target: i64, failed: &[i64]) -> Result<i64, VaultError> {
    let total: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM contact_keys WHERE master_key_id <> $1 AND wrapped_key IS NOT NULL) \
         + (SELECT COUNT(*) FROM imports WHERE master_key_id <> $1 AND wrapped_key IS NOT NULL)",
    )
    .bind(target)
    .fetch_one(db.pool())
    .await?;
    Ok(total - failed.len() as i64)
}
