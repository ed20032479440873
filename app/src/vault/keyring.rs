//! The keyring: the master keys that wrap every contact's data key, and the separate key
//! of the blind indexes. It lives in a file (generated on the first start of the
//! embedded setup) or in an environment variable, in one line-based format:
//!
//! ```text
//! index  <base64 of 32 bytes>
//! master 1 <base64 of 32 bytes>
//! master 2 <base64 of 32 bytes>
//! ```
//!
//! The master key with the highest id wraps new data keys; older ones stay until
//! `zgoda keys rotate` has re-wrapped everything under the newest.

use crate::ids::MasterKeyId;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand::RngCore;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// 32 secret bytes; never printed, wiped when dropped.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Key32(pub(crate) [u8; 32]);

impl Key32 {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn from_b64(text: &str) -> Result<Self, KeyringError> {
        let raw = B64
            .decode(text.trim())
            .map_err(|_| KeyringError::Format("a key is not valid base64".into()))?;
        let bytes: [u8; 32] = raw
            .try_into()
            .map_err(|_| KeyringError::Format("a key is not 32 bytes long".into()))?;
        Ok(Self(bytes))
    }
}

impl std::fmt::Debug for Key32 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key32(<redacted>)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    #[error("the keyring is malformed: {0}")]
    Format(String),
    #[error("cannot read the keyring {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("cannot write the keyring {path}: {reason}")]
    Write { path: String, reason: String },
}

#[derive(Clone, PartialEq, Eq)]
pub struct Keyring {
    pub(crate) index: Key32,
    pub(crate) masters: BTreeMap<MasterKeyId, Key32>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("master_ids", &self.masters.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Keyring {
    pub fn generate() -> Self {
        Self {
            index: Key32::generate(),
            masters: BTreeMap::from([(MasterKeyId(1), Key32::generate())]),
        }
    }

    /// Parses the line format; `;` also separates entries, so the whole keyring fits
    /// in one environment variable.
    pub fn parse(text: &str) -> Result<Self, KeyringError> {
        let mut index = None;
        let mut masters = BTreeMap::new();
        for entry in text.split(['\n', ';']) {
            let entry = entry.trim();
            if entry.is_empty() || entry.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = entry.split_whitespace().collect();
            match words.as_slice() {
                ["index", key] => {
                    if index.replace(Key32::from_b64(key)?).is_some() {
                        return Err(KeyringError::Format("two index keys".into()));
                    }
                }
                ["master", id, key] => {
                    let id = id
                        .parse()
                        .ok()
                        .filter(|id| *id > 0)
                        .map(MasterKeyId)
                        .ok_or_else(|| {
                            KeyringError::Format("a master key id is not a positive number".into())
                        })?;
                    if masters.insert(id, Key32::from_b64(key)?).is_some() {
                        return Err(KeyringError::Format(format!(
                            "master key {id} appears twice"
                        )));
                    }
                }
                _ => {
                    return Err(KeyringError::Format(
                        "each entry is `index <key>` or `master <id> <key>`".into(),
                    ))
                }
            }
        }
        let index = index.ok_or_else(|| KeyringError::Format("no index key".into()))?;
        if masters.is_empty() {
            return Err(KeyringError::Format("no master key".into()));
        }
        Ok(Self { index, masters })
    }

    pub fn render(&self) -> String {
        let mut out = String::from(
            "# Zgoda keyring. Without it no personal data in the database can be read.\n\
             # Back it up, and keep the copy apart from the database backups.\n",
        );
        out.push_str(&format!("index {}\n", B64.encode(self.index.0)));
        for (id, key) in &self.masters {
            out.push_str(&format!("master {id} {}\n", B64.encode(key.0)));
        }
        out
    }

    /// The master key that wraps new data keys.
    pub fn current_master(&self) -> (MasterKeyId, &Key32) {
        let (id, key) = self.masters.iter().next_back().expect("never empty");
        (*id, key)
    }

    pub fn master(&self, id: MasterKeyId) -> Option<&Key32> {
        self.masters.get(&id)
    }

    pub fn index_key(&self) -> &Key32 {
        &self.index
    }

    pub fn master_ids(&self) -> Vec<MasterKeyId> {
        self.masters.keys().copied().collect()
    }

    /// A new master key, next in line, which becomes the current one.
    pub fn with_new_master(&self) -> Self {
        let mut next = self.clone();
        let id = MasterKeyId(self.current_master().0.get() + 1);
        next.masters.insert(id, Key32::generate());
        next
    }

    /// Drops master keys no data key is wrapped under any more.
    pub fn retain_masters(&mut self, keep: impl Fn(MasterKeyId) -> bool) {
        let current = self.current_master().0;
        self.masters.retain(|id, _| *id == current || keep(*id));
    }
}

/// Where the keyring comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    File(PathBuf),
    /// The text of `ZGODA_KEYRING`; it cannot be rewritten by Zgoda.
    Env(String),
}

impl KeySource {
    pub fn describe(&self) -> String {
        match self {
            KeySource::File(path) => path.display().to_string(),
            KeySource::Env(_) => "ZGODA_KEYRING".to_string(),
        }
    }
}

pub fn read_file(path: &Path) -> Result<Keyring, KeyringError> {
    let text = std::fs::read_to_string(path).map_err(|e| KeyringError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    Keyring::parse(&text)
}

/// Writes through a temporary file and a rename, so a reader never sees half a keyring;
/// readable by its owner only.
pub fn write_file(path: &Path, ring: &Keyring) -> Result<(), KeyringError> {
    let fail = |e: std::io::Error| KeyringError::Write {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    if let Some(dir) = path.parent() {
        private_dir(dir).map_err(fail)?;
    }
    // A name of our own, created new: a file or link planted at a predictable name
    // (with wider permissions, or pointing elsewhere) is never written through.
    let tmp = path.with_extension(format!(
        "tmp.{}.{:016x}",
        std::process::id(),
        rand::random::<u64>()
    ));
    {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp).map_err(fail)?;
        let written = file
            .write_all(ring.render().as_bytes())
            .and_then(|()| file.sync_all());
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(fail(e));
        }
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

/// Creates a directory (and its parents) readable by its owner only.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn written_owner_only_never_through_a_planted_file() {
        use std::os::unix::fs::PermissionsExt;
        let root = std::env::temp_dir().join(format!("zgoda-keyring-{}", rand::random::<u64>()));
        let dir = root.join("data");
        let path = dir.join("keyring");
        private_dir(&dir).unwrap();
        // Someone plants the old temporary name as a link to a file of theirs.
        let victim = root.join("victim");
        std::fs::write(&victim, "untouched").unwrap();
        std::os::unix::fs::symlink(&victim, path.with_extension("tmp")).unwrap();
        let ring = Keyring::generate();
        write_file(&path, &ring).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
        assert_eq!(
            Keyring::parse(&std::fs::read_to_string(&path).unwrap()).unwrap(),
            ring
        );
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir), 0o700);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn renders_and_parses_back() {
        let ring = Keyring::generate().with_new_master();
        let back = Keyring::parse(&ring.render()).unwrap();
        assert_eq!(back, ring);
        assert_eq!(back.current_master().0, MasterKeyId(2));
        let one_line = ring.render().replace('\n', ";");
        assert_eq!(Keyring::parse(&one_line).unwrap(), ring);
    }

    #[test]
    fn malformed_keyrings_are_refused() {
        let key = B64.encode([7u8; 32]);
        assert!(Keyring::parse("").is_err());
        assert!(
            Keyring::parse(&format!("index {key}")).is_err(),
            "no master"
        );
        assert!(
            Keyring::parse(&format!("master 1 {key}")).is_err(),
            "no index"
        );
        assert!(Keyring::parse(&format!("index {key}\nmaster 0 {key}")).is_err());
        assert!(Keyring::parse(&format!("index {key}\nmaster 1 c2hvcnQ=")).is_err());
        assert!(Keyring::parse(&format!("index {key}\nmaster 1 {key}\nmaster 1 {key}")).is_err());
    }

    #[test]
    fn debug_never_shows_keys() {
        let ring = Keyring::generate();
        let printed = format!("{ring:?} {:?}", ring.index_key());
        assert!(!printed.contains(&B64.encode(ring.index.0)), "{printed}");
    }

    #[test]
    fn old_masters_can_be_dropped_but_never_the_current() {
        let mut ring = Keyring::generate().with_new_master().with_new_master();
        ring.retain_masters(|_| false);
        assert_eq!(ring.master_ids(), vec![MasterKeyId(3)]);
    }
}
