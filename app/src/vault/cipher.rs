//! XChaCha20-Poly1305 for every personal value. A ciphertext is
//! `[format version][24-byte random nonce][sealed bytes + 16-byte tag]`, and its
//! associated data names the table, column, row and data-key version it belongs to, so
//! a value copied to another place fails to open instead of showing there.

use crate::ids::{ContactId, MasterKeyId};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::keyring::Key32;

const FORMAT: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// A ciphertext failed authentication: damaged, tampered with, or moved from its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a ciphertext failed authentication")]
pub struct Tampered;

/// Where a value lives; bound to its ciphertext as associated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub table: &'static str,
    pub column: &'static str,
    pub row: i64,
}

impl Place {
    pub fn new(table: &'static str, column: &'static str, row: impl Into<i64>) -> Self {
        Self {
            table,
            column,
            row: row.into(),
        }
    }

    fn aad(&self, key_version: i64) -> Vec<u8> {
        format!(
            "zgoda/v1/{}/{}/{}/{}",
            self.table, self.column, self.row, key_version
        )
        .into_bytes()
    }
}

/// One contact's data key, with its version. Wiped when dropped; never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DataKey {
    key: [u8; 32],
    #[zeroize(skip)]
    version: i64,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey(v{}, <redacted>)", self.version)
    }
}

impl DataKey {
    pub fn generate(version: i64) -> Self {
        let mut key = [0u8; 32];
        // ThreadRng: ChaCha12 seeded and periodically reseeded from the OS, a CSPRNG,
        // without a system call per key (an import creates a million of them).
        rand::thread_rng().fill_bytes(&mut key);
        Self { key, version }
    }

    pub fn version(&self) -> i64 {
        self.version
    }

    pub fn seal(&self, place: Place, plain: &[u8]) -> Vec<u8> {
        seal_with(&self.key, &place.aad(self.version), plain)
    }

    pub fn open(&self, place: Place, sealed: &[u8]) -> Result<Vec<u8>, Tampered> {
        open_with(&self.key, &place.aad(self.version), sealed)
    }

    pub fn seal_text(&self, place: Place, text: &str) -> Vec<u8> {
        self.seal(place, text.as_bytes())
    }

    pub fn open_text(&self, place: Place, sealed: &[u8]) -> Result<String, Tampered> {
        String::from_utf8(self.open(place, sealed)?).map_err(|_| Tampered)
    }

    /// The data key sealed under a master key, bound to its contact and both versions.
    pub fn wrap(&self, master: &Key32, master_id: MasterKeyId, contact_id: ContactId) -> Vec<u8> {
        self.wrap_for(KeyOwner::Contact, master, master_id, contact_id)
    }

    pub fn unwrap(
        master: &Key32,
        master_id: MasterKeyId,
        contact_id: ContactId,
        version: i64,
        wrapped: &[u8],
    ) -> Result<Self, Tampered> {
        Self::unwrap_for(
            KeyOwner::Contact,
            master,
            master_id,
            contact_id,
            version,
            wrapped,
        )
    }

    /// The data key sealed under a master key, bound to its owner (a contact or an
    /// import) and both versions, so a wrapped key moved to another row fails.
    pub fn wrap_for(
        &self,
        owner: KeyOwner,
        master: &Key32,
        master_id: MasterKeyId,
        id: impl Into<i64>,
    ) -> Vec<u8> {
        let id = id.into();
        seal_with(
            master.bytes(),
            &wrap_aad(owner, id, self.version, master_id),
            &self.key,
        )
    }

    pub fn unwrap_for(
        owner: KeyOwner,
        master: &Key32,
        master_id: MasterKeyId,
        id: impl Into<i64>,
        version: i64,
        wrapped: &[u8],
    ) -> Result<Self, Tampered> {
        let id = id.into();
        let mut plain = open_with(
            master.bytes(),
            &wrap_aad(owner, id, version, master_id),
            wrapped,
        )?;
        let key: Result<[u8; 32], _> = plain.as_slice().try_into();
        plain.zeroize();
        Ok(Self {
            key: key.map_err(|_| Tampered)?,
            version,
        })
    }
}

/// What a data key protects: one contact's data, one import's file and rejected rows, or
/// one export's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOwner {
    Contact,
    Import,
    /// A background export's finished file, kept sealed for a day.
    Export,
}

impl KeyOwner {
    /// The table holding the wrapped keys and the column naming their owner.
    pub fn table(self) -> (&'static str, &'static str) {
        match self {
            KeyOwner::Contact => ("contact_keys", "contact_id"),
            KeyOwner::Import => ("imports", "id"),
            KeyOwner::Export => ("exports", "id"),
        }
    }
}

fn wrap_aad(owner: KeyOwner, id: i64, version: i64, master_id: MasterKeyId) -> Vec<u8> {
    format!(
        "zgoda/v1/{}/{id}/{version}/master-{master_id}",
        owner.table().0
    )
    .into_bytes()
}

fn seal_with(key: &[u8; 32], aad: &[u8], plain: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let mut nonce = [0u8; NONCE_LEN];
    // Random 192-bit nonces from the thread's CSPRNG (see `DataKey::generate`).
    rand::thread_rng().fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad })
        .expect("XChaCha20-Poly1305 encrypts any message below 256 GiB");
    let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
    out.push(FORMAT);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

fn open_with(key: &[u8; 32], aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Tampered> {
    if sealed.len() < 1 + NONCE_LEN + TAG_LEN || sealed[0] != FORMAT {
        return Err(Tampered);
    }
    let (nonce, body) = sealed[1..].split_at(NONCE_LEN);
    XChaCha20Poly1305::new(key.into())
        .decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad })
        .map_err(|_| Tampered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HERE: Place = Place {
        table: "contacts",
        column: "first_name",
        row: 7,
    };

    #[test]
    fn a_value_opens_only_in_its_own_place() {
        let key = DataKey::generate(1);
        let sealed = key.seal_text(HERE, "Zażółć");
        assert_eq!(key.open_text(HERE, &sealed).unwrap(), "Zażółć");
        for elsewhere in [
            Place::new("contacts", "first_name", 8),
            Place::new("contacts", "last_name", 7),
            Place::new("cases", "first_name", 7),
        ] {
            assert_eq!(key.open_text(elsewhere, &sealed), Err(Tampered));
        }
        let other_version = DataKey {
            key: key.key,
            version: 2,
        };
        assert_eq!(other_version.open_text(HERE, &sealed), Err(Tampered));
        assert_eq!(DataKey::generate(1).open_text(HERE, &sealed), Err(Tampered));
    }

    #[test]
    fn the_same_value_seals_differently_each_time() {
        let key = DataKey::generate(1);
        assert_ne!(key.seal_text(HERE, "Jan"), key.seal_text(HERE, "Jan"));
    }

    #[test]
    fn wrapping_binds_the_contact_and_the_master_key() {
        let master = Key32::generate();
        let key = DataKey::generate(1);
        let (m1, m2) = (MasterKeyId(1), MasterKeyId(2));
        let (c42, c43) = (ContactId(42), ContactId(43));
        let wrapped = key.wrap(&master, m1, c42);
        let back = DataKey::unwrap(&master, m1, c42, 1, &wrapped).unwrap();
        assert_eq!(back.key, key.key);
        assert!(DataKey::unwrap(&master, m1, c43, 1, &wrapped).is_err());
        assert!(DataKey::unwrap(&master, m2, c42, 1, &wrapped).is_err());
        assert!(DataKey::unwrap(&Key32::generate(), m1, c42, 1, &wrapped).is_err());
    }

    #[test]
    fn debug_hides_the_key() {
        let key = DataKey::generate(3);
        assert_eq!(format!("{key:?}"), "DataKey(v3, <redacted>)");
    }

    proptest! {
        #[test]
        fn any_single_byte_change_is_detected(
            text in ".{0,40}",
            position in any::<prop::sample::Index>(),
            flip in 1u8..=255,
        ) {
            let key = DataKey::generate(1);
            let mut sealed = key.seal_text(HERE, &text);
            let i = position.index(sealed.len());
            sealed[i] ^= flip;
            prop_assert_eq!(key.open_text(HERE, &sealed), Err(Tampered));
        }

        #[test]
        fn truncation_is_detected(text in ".{0,40}", cut in 1usize..60) {
            let key = DataKey::generate(1);
            let sealed = key.seal_text(HERE, &text);
            let keep = sealed.len().saturating_sub(cut);
            prop_assert_eq!(key.open_text(HERE, &sealed[..keep]), Err(Tampered));
        }
    }
}
