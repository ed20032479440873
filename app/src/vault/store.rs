//! The `contact_keys` table and the keyring's check values in `settings`.

use crate::ids::{ContactId, MasterKeyId};
use crate::store_error::StoreError;
use std::sync::Arc;

use sqlx::{AnyConnection, Row};

use super::blind::BlindIndex;
use super::cipher::{DataKey, Tampered};
use super::keyring::Keyring;
use super::{Vault, VaultError};
use crate::db::{now_ms, Db};

pub const INDEX_CHECK: &str = "vault.index_check";

fn master_check_key(id: MasterKeyId) -> String {
    format!("vault.master_check.{id}")
}

pub async fn stored_check(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM settings WHERE setting_key = $1")
        .bind(key)
        .fetch_optional(db.pool())
        .await
}

/// Records the first check value of a key, or compares with the recorded one.
async fn check_or_record(db: &Db, key: &str, value: &str) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO settings (setting_key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (setting_key) DO NOTHING",
    )
    .bind(key)
    .bind(value)
    .bind(now_ms())
    .execute(db.pool())
    .await?;
    Ok(stored_check(db, key).await?.as_deref() == Some(value))
}

/// A keyring fits a database when its index key and every master key it shares with
/// the database are the ones the data was written with, and no data key is wrapped
/// under a master key it lacks.
pub async fn check_keyring(db: &Db, ring: &Keyring, source_name: &str) -> Result<(), VaultError> {
    let index_check = BlindIndex::fingerprint(ring.index_key(), "index");
    if !check_or_record(db, INDEX_CHECK, &index_check).await? {
        return Err(VaultError::Foreign(source_name.to_string()));
    }
    for id in ring.master_ids() {
        let key = ring.master(id).expect("listed");
        let check = BlindIndex::fingerprint(key, &format!("master-{id}"));
        if !check_or_record(db, &master_check_key(id), &check).await? {
            return Err(VaultError::MasterMismatch {
                id,
                source_name: source_name.to_string(),
            });
        }
    }
    let in_use: Vec<MasterKeyId> = sqlx::query_scalar(
        "SELECT DISTINCT master_key_id FROM contact_keys WHERE wrapped_key IS NOT NULL \
         UNION SELECT DISTINCT master_key_id FROM imports WHERE wrapped_key IS NOT NULL",
    )
    .fetch_all(db.pool())
    .await?;
    if let Some(id) = in_use.into_iter().find(|id| ring.master(*id).is_none()) {
        return Err(VaultError::MasterMissing {
            id,
            source_name: source_name.to_string(),
        });
    }
    Ok(())
}

/// A read-only form of `check_keyring` for the readiness probe, asked every few seconds:
/// the stored check values of the index key and of each master key the keyring holds
/// still match. (Whether a data key is wrapped under a master key the keyring lacks is
/// left to the start: it reads every data key.)
pub async fn keyring_fits(db: &Db, ring: &Keyring) -> Result<bool, sqlx::Error> {
    let stored: Vec<(String, String)> =
        sqlx::query_as("SELECT setting_key, value FROM settings WHERE setting_key LIKE 'vault.%'")
            .fetch_all(db.pool())
            .await?;
    let stored = |key: &str| {
        stored
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let index = BlindIndex::fingerprint(ring.index_key(), "index");
    if stored(INDEX_CHECK) != Some(index.as_str()) {
        return Ok(false);
    }
    Ok(ring.master_ids().into_iter().all(|id| {
        let key = ring.master(id).expect("listed");
        let check = BlindIndex::fingerprint(key, &format!("master-{id}"));
        stored(&master_check_key(id)).is_none_or(|v| v == check)
    }))
}

/// The master key to wrap a new data key under, confirmed in the writer's transaction
/// (see `epochs::may_wrap`): the keyring's current key, or, when another process retired
/// it since this one read the keyring, the newer key the file names now.
pub async fn wrapping_master(
    conn: &mut AnyConnection,
    vault: &Vault,
) -> Result<(MasterKeyId, Arc<Keyring>), StoreError> {
    let mut ring = vault.fresh_ring();
    for _ in 0..3 {
        let id = ring.current_master().0;
        if super::epochs::may_wrap(conn, id).await? {
            return Ok((id, ring));
        }
        ring = vault.reload();
    }
    tracing::error!(
        master_id = ring.current_master().0.get(),
        "the keyring's newest master key is retired; add a new one (zgoda keys rotate)"
    );
    Err(StoreError::Inconsistent("the newest master key is retired"))
}

/// Gives a new contact its data key, wrapped under the current master key.
pub async fn create_key(
    conn: &mut AnyConnection,
    vault: &Vault,
    contact_id: ContactId,
) -> Result<DataKey, StoreError> {
    let (master_id, ring) = wrapping_master(conn, vault).await?;
    let master = ring
        .master(master_id)
        .expect("the current key is in its ring");
    let key = DataKey::generate(1);
    sqlx::query(
        "INSERT INTO contact_keys (contact_id, key_version, master_key_id, wrapped_key, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(contact_id)
    .bind(key.version())
    .bind(master_id)
    .bind(key.wrap(master, master_id, contact_id))
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(key)
}

/// Wraps again, under the master key in force, data keys just stored under a master key
/// retired meanwhile (an import batch sealed before a rotation).
pub async fn rewrap_new(
    conn: &mut AnyConnection,
    vault: &Vault,
    keys: &[(ContactId, DataKey)],
) -> Result<(), StoreError> {
    let (master_id, ring) = wrapping_master(conn, vault).await?;
    let master = ring
        .master(master_id)
        .expect("the current key is in its ring");
    for (contact_id, key) in keys {
        sqlx::query(
            "UPDATE contact_keys SET master_key_id = $1, wrapped_key = $2 WHERE contact_id = $3",
        )
        .bind(master_id)
        .bind(key.wrap(master, master_id, *contact_id))
        .bind(contact_id)
        .execute(&mut *conn)
        .await?;
    }
    tracing::info!(
        keys = keys.len(),
        "data keys sealed under a master key retired meanwhile were wrapped again"
    );
    Ok(())
}

/// The contact's data key; `None` once destroyed (its data reads as erased).
pub async fn load_key(
    conn: &mut AnyConnection,
    vault: &Vault,
    contact_id: ContactId,
) -> Result<Option<DataKey>, StoreError> {
    let row = sqlx::query(
        "SELECT master_key_id, key_version, wrapped_key FROM contact_keys WHERE contact_id = $1",
    )
    .bind(contact_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let wrapped: Option<Vec<u8>> = row.try_get("wrapped_key")?;
    vault
        .unwrap(
            contact_id,
            row.try_get("master_key_id")?,
            row.try_get("key_version")?,
            wrapped.as_deref(),
        )
        .map_err(tampered)
}

/// Crypto-shredding: without its data key, no copy of the contact's personal data can
/// be read again.
pub async fn destroy_key(
    conn: &mut AnyConnection,
    contact_id: ContactId,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE contact_keys SET wrapped_key = NULL, destroyed_at = $1 \
         WHERE contact_id = $2 AND wrapped_key IS NOT NULL",
    )
    .bind(now_ms())
    .bind(contact_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A ciphertext that fails authentication is damage or tampering: logged (without any
/// value) and reported as an internal error, never shown as garbage.
pub fn tampered(_: Tampered) -> StoreError {
    StoreError::Inconsistent("personal data failed authentication: damaged or tampered ciphertext")
}

/// Wrapped data keys of new contacts, gathered for one write (the import).
#[derive(Default)]
pub struct KeyRows(Vec<Vec<crate::bulk::Val>>);

impl KeyRows {
    pub fn key(
        &mut self,
        contact_id: ContactId,
        master_key_id: MasterKeyId,
        wrapped: Vec<u8>,
        at: i64,
    ) {
        use crate::bulk::Val;
        self.0.push(vec![
            contact_id.into(),
            Val::Int(1),
            master_key_id.into(),
            Val::Blob(wrapped),
            Val::Int(at),
        ]);
    }

    pub async fn insert(
        self,
        conn: &mut AnyConnection,
        backend: crate::db::Backend,
    ) -> Result<(), StoreError> {
        const COLUMNS: [&str; 5] = [
            "contact_id",
            "key_version",
            "master_key_id",
            "wrapped_key",
            "created_at",
        ];
        crate::bulk::insert(conn, backend, "contact_keys", &COLUMNS, self.0).await
    }
}

/// The data key of a file kept sealed (an import's upload, an export's result), from the
/// owner's row: its `master_key_id`, `key_version` and `wrapped_key`. `None` once the key
/// was destroyed (the file purged).
pub fn unwrap_file_key(
    vault: &Vault,
    owner: super::KeyOwner,
    owner_id: impl Into<i64>,
    row: &sqlx::any::AnyRow,
) -> Result<Option<DataKey>, StoreError> {
    let Some(wrapped) = row.try_get::<Option<Vec<u8>>, _>("wrapped_key")? else {
        return Ok(None);
    };
    let master_id: MasterKeyId = row.try_get("master_key_id")?;
    let ring = vault.fresh_ring();
    let master = ring.master(master_id).ok_or_else(|| {
        tracing::error!(
            master_id = master_id.get(),
            "a file key is wrapped under a master key the keyring lacks"
        );
        StoreError::Inconsistent("a file key under a master key the keyring lacks")
    })?;
    DataKey::unwrap_for(
        owner,
        master,
        master_id,
        owner_id,
        row.try_get("key_version")?,
        &wrapped,
    )
    .map(Some)
    .map_err(tampered)
}
