//! Personal data at rest. Each contact has a data key of its own (XChaCha20-Poly1305),
//! stored wrapped by a master key from the keyring; lookups go through blind indexes
//! under a separate key. Destroying a contact's data key makes every copy of its
//! personal data unreadable, in the database and in its backups.

use crate::ids::{ContactId, MasterKeyId};
pub mod blind;
pub mod cipher;
pub mod epochs;
pub mod keyring;
pub mod rotate;
pub mod store;

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

pub use crate::domain::words::name_words;
pub use blind::{BlindIndex, TokenKind};
pub use cipher::{DataKey, KeyOwner, Place, Tampered};
pub use keyring::{KeySource, Keyring, KeyringError};

use crate::db::Db;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error(transparent)]
    Keyring(#[from] KeyringError),
    #[error("this database holds encrypted personal data but the keyring {0} is missing; restore it from its backup")]
    Missing(String),
    #[error("the keyring {0} does not belong to this database (its index key differs)")]
    Foreign(String),
    #[error("master key {id} in the keyring {source_name} differs from the one this database was written with")]
    MasterMismatch {
        id: MasterKeyId,
        source_name: String,
    },
    #[error("data keys are wrapped under master key {id}, which the keyring {source_name} lacks; restore the keyring from its backup")]
    MasterMissing {
        id: MasterKeyId,
        source_name: String,
    },
    #[error("the database could not be read: {0}")]
    Db(String),
}

impl From<sqlx::Error> for VaultError {
    fn from(e: sqlx::Error) -> Self {
        VaultError::Db(e.to_string())
    }
}

struct Loaded {
    ring: Arc<Keyring>,
    /// Modification time and length of the file it was read from.
    stamp: Option<(SystemTime, u64)>,
}

/// The keyring in force, re-read when its file changes (after `zgoda keys rotate`), so
/// a running server follows a rotation without a restart.
pub struct Vault {
    source: KeySource,
    loaded: RwLock<Loaded>,
    /// The register of erased contacts, kept beside the keyring and outside the
    /// database, so a restored database can be brought back in line with it.
    erased_register: Option<PathBuf>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("source", &self.source.describe())
            .finish_non_exhaustive()
    }
}

/// What opening the vault did, for the start-up message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    Existing,
    /// A new keyring was generated at this path: the administrator must back it up.
    Created(String),
}

impl Vault {
    /// A vault over a keyring already in hand (tests, benchmarks).
    pub fn with_keyring(source: KeySource, ring: Keyring) -> Self {
        let stamp = file_stamp(&source);
        let erased_register = match &source {
            KeySource::File(path) => Some(beside(path, "erased")),
            KeySource::Env(_) => None,
        };
        Self {
            source,
            loaded: RwLock::new(Loaded {
                ring: Arc::new(ring),
                stamp,
            }),
            erased_register,
        }
    }

    /// Names the erased-contacts register (by default `erased` beside a keyring file;
    /// none for `ZGODA_KEYRING` unless configured).
    pub fn with_erased_register(mut self, path: PathBuf) -> Self {
        self.erased_register = Some(path);
        self
    }

    pub fn erased_register(&self) -> Option<&Path> {
        self.erased_register.as_deref()
    }

    /// Loads the keyring and checks it against the database. The first start of an
    /// empty database with a file source generates the keyring; a database that already
    /// holds encrypted data never gets a new one silently.
    pub async fn open(source: KeySource, db: &Db) -> Result<(Self, Opened), VaultError> {
        let known = store::stored_check(db, store::INDEX_CHECK).await?;
        let (ring, opened) = match &source {
            KeySource::Env(text) => (Keyring::parse(text)?, Opened::Existing),
            KeySource::File(path) if path.exists() => (keyring::read_file(path)?, Opened::Existing),
            KeySource::File(path) => {
                if known.is_some() {
                    return Err(VaultError::Missing(source.describe()));
                }
                let ring = Keyring::generate();
                keyring::write_file(path, &ring)?;
                (ring, Opened::Created(path.display().to_string()))
            }
        };
        store::check_keyring(db, &ring, &source.describe()).await?;
        epochs::register(db, &ring, crate::db::now_ms()).await?;
        Ok((Self::with_keyring(source, ring), opened))
    }

    pub fn source(&self) -> &KeySource {
        &self.source
    }

    /// The keyring as it is now.
    pub fn ring(&self) -> Arc<Keyring> {
        self.loaded.read().expect("keyring lock").ring.clone()
    }

    /// The keyring after re-reading its file if it changed since it was read.
    pub fn fresh_ring(&self) -> Arc<Keyring> {
        let KeySource::File(path) = &self.source else {
            return self.ring();
        };
        let stamp = file_stamp(&self.source);
        if stamp == self.loaded.read().expect("keyring lock").stamp {
            return self.ring();
        }
        self.read_file(path, stamp)
    }

    /// The keyring read again whatever its stamp says: a writer that finds its current
    /// master key retired by another process must not trust a stamp that may not have
    /// moved (same size, same coarse modification time).
    pub fn reload(&self) -> Arc<Keyring> {
        match &self.source {
            KeySource::File(path) => self.read_file(path, file_stamp(&self.source)),
            KeySource::Env(_) => self.ring(),
        }
    }

    fn read_file(&self, path: &Path, stamp: Option<(SystemTime, u64)>) -> Arc<Keyring> {
        match keyring::read_file(path) {
            Ok(ring) => {
                let mut loaded = self.loaded.write().expect("keyring lock");
                loaded.ring = Arc::new(ring);
                loaded.stamp = stamp;
                tracing::info!("keyring re-read after a change of its file");
                loaded.ring.clone()
            }
            Err(e) => {
                // Mid-rename or damaged: keep serving with the keys in hand.
                tracing::warn!(error = %e, "keyring file changed but could not be read");
                self.ring()
            }
        }
    }

    pub fn index(&self) -> BlindIndex {
        BlindIndex::new(self.ring().index_key().clone())
    }

    /// The data key of a contact, from its stored row; `None` once it was destroyed.
    pub fn unwrap(
        &self,
        contact_id: ContactId,
        master_id: MasterKeyId,
        version: i64,
        wrapped: Option<&[u8]>,
    ) -> Result<Option<DataKey>, Tampered> {
        let Some(wrapped) = wrapped else {
            return Ok(None);
        };
        let mut ring = self.ring();
        if ring.master(master_id).is_none() {
            ring = self.fresh_ring();
        }
        let master = ring.master(master_id).ok_or_else(|| {
            tracing::error!(
                contact_id = contact_id.get(),
                master_id = master_id.get(),
                "no master key with this id in the keyring"
            );
            Tampered
        })?;
        DataKey::unwrap(master, master_id, contact_id, version, wrapped)
            .map(Some)
            .inspect_err(|_| {
                tracing::error!(contact_id = contact_id.get(), "a data key failed to unwrap")
            })
    }
}

/// A file in the same directory as `path`.
pub fn beside(path: &Path, name: &str) -> PathBuf {
    path.parent()
        .map(|dir| dir.join(name))
        .unwrap_or_else(|| PathBuf::from(name))
}

fn file_stamp(source: &KeySource) -> Option<(SystemTime, u64)> {
    match source {
        KeySource::File(path) => std::fs::metadata(path)
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len()))),
        KeySource::Env(_) => None,
    }
}
