//! The register of erased contacts: a file beside the keyring, outside the database,
//! so that a database restored from a backup made before an erasure is brought back in
//! line at the next start (`reapply`) instead of serving the person again.
//!
//! One line per erasure, `erased <contact id> <unix ms> <mac>`: ids and times only, no
//! personal data. Lines are only ever appended and each is synced to disk before the
//! erasure commits. The MAC (HMAC-SHA-256 under the keyring's index key, truncated) makes
//! a line written by anyone without the keyring, or a line edited, visible: such lines,
//! and a last line torn by a crash, are ignored and counted, never acted on.

use crate::ids::ContactId;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::db::{now_ms, placeholders, Db};
use crate::error::AppError;
use crate::store_error::StoreError;
use crate::vault::keyring::Key32;
use crate::vault::Vault;

const HEADER: &str =
    "# Zgoda erasure register: ids of erased contacts and when (no personal data).\n\
# Append-only. Keep it with the keyring: a restored database is re-erased from it.\n";

fn mac(key: &Key32, contact_id: ContactId, at: i64) -> String {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key.bytes()).expect("HMAC takes a key of any length");
    mac.update(format!("zgoda erased register:{contact_id}:{at}").as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

fn write_failed(source: std::io::Error) -> StoreError {
    StoreError::File {
        doing: "appending to the erasure register",
        source,
    }
}

/// Appends one erasure and syncs it. Called inside the erasure's transaction, before it
/// commits: a crash after the commit must not lose the entry. An entry whose transaction
/// then fails is carried out at the next start (the manager approved it), unless the
/// database records a later undo or refusal.
pub fn append(vault: &Vault, contact_id: ContactId, at: i64) -> Result<(), StoreError> {
    let Some(path) = vault.erased_register() else {
        tracing::warn!("no erasure register configured: a restored backup cannot be re-erased");
        return Ok(());
    };
    let line = format!(
        "erased {contact_id} {at} {}\n",
        mac(vault.ring().index_key(), contact_id, at)
    );
    append_line(path, &line).map_err(write_failed)
}

fn append_line(path: &Path, line: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true).append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    let len = file.metadata()?.len();
    let mut text = String::new();
    if len == 0 {
        text.push_str(HEADER);
    } else {
        // A line torn by a crash stays on its own and is ignored when read.
        let mut last = [0u8; 1];
        file.seek(SeekFrom::Start(len - 1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            text.push('\n');
        }
    }
    text.push_str(line);
    // One write with O_APPEND: concurrent appends of this process never interleave.
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    if len == 0 {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The new file's directory entry must survive a crash too.
            std::fs::File::open(dir)?.sync_all()?;
        }
    }
    Ok(())
}

/// The register as read: entries (contact, when), and lines ignored (torn or not
/// authentic).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Entries {
    pub erased: Vec<(ContactId, i64)>,
    pub ignored: usize,
}

pub fn read(vault: &Vault) -> Result<Entries, AppError> {
    let Some(path) = vault.erased_register() else {
        return Ok(Entries::default());
    };
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Entries::default()),
        Err(e) => {
            tracing::error!(error = %e, "the erasure register could not be read");
            return Err(AppError::Internal);
        }
    };
    Ok(parse(&text, vault.ring().index_key()))
}

fn parse(text: &str, key: &Key32) -> Entries {
    let mut out = Entries::default();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split(' ').collect();
        let entry = match words.as_slice() {
            ["erased", id, at, tag] => id
                .parse::<ContactId>()
                .ok()
                .zip(at.parse::<i64>().ok())
                .filter(|(id, at)| mac(key, *id, *at) == *tag),
            _ => None,
        };
        match entry {
            Some(entry) => out.erased.push(entry),
            None => out.ignored += 1,
        }
    }
    out
}

/// What the start found to do.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Reapplied {
    /// Contacts the register names that this database still held readable: erased now.
    pub erased: u64,
    /// Register lines ignored (torn or not authentic).
    pub ignored: usize,
    /// Contacts left alone because this database records a later undo or refusal.
    pub kept: u64,
}

/// Brings the database in line with the register before serving: every contact it names
/// that is still readable here is erased again, by the same code as an approval; a
/// pending request for it is closed as approved at the register's time.
pub async fn reapply(db: &Db, vault: &Vault) -> Result<Reapplied, AppError> {
    let entries = read(vault)?;
    let mut when = std::collections::BTreeMap::new();
    for (id, at) in entries.erased {
        when.entry(id)
            .and_modify(|t: &mut i64| *t = (*t).min(at))
            .or_insert(at);
    }
    let mut out = Reapplied {
        ignored: entries.ignored,
        ..Reapplied::default()
    };
    let ids: Vec<ContactId> = when.keys().copied().collect();
    let mut readable = Vec::new();
    for part in ids.chunks(500) {
        let sql = format!(
            "SELECT contact_id FROM contact_keys WHERE wrapped_key IS NOT NULL AND contact_id IN ({})",
            placeholders(1, part.len())
        );
        let mut query = sqlx::query_scalar::<_, ContactId>(&sql);
        for id in part {
            query = query.bind(*id);
        }
        readable.extend(query.fetch_all(db.pool()).await?);
    }
    for contact_id in readable {
        let at = when[&contact_id];
        let mut tx = db.begin_write().await?;
        let later: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM erasure_requests WHERE contact_id = $1 \
             AND state IN ('withdrawn', 'refused') AND decided_at > $2",
        )
        .bind(contact_id)
        .bind(at)
        .fetch_one(&mut **tx)
        .await?;
        if later > 0 {
            out.kept += 1;
            continue;
        }
        sqlx::query(
            "UPDATE erasure_requests SET state = 'approved', decided_at = $1, updated_at = $2 \
             WHERE contact_id = $3 AND state = 'pending'",
        )
        .bind(at)
        .bind(now_ms())
        .bind(contact_id)
        .execute(&mut **tx)
        .await?;
        super::store::erase(&mut tx, vault, contact_id).await?;
        let event = crate::audit::store::Event::new(
            "erasure.reapplied",
            crate::audit::store::Outcome::Success,
        )
        .subject(format!("contact:{contact_id}"))
        .source("startup");
        // Recorded in the erasure's own transaction, as every action is.
        crate::audit::store::append_in(&mut tx, db.backend(), &event).await?;
        tx.commit().await?;
        out.erased += 1;
    }
    if out.erased > 0 {
        super::store::flush_wal(db).await;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torn_and_forged_lines_are_ignored() {
        let key = Key32::generate();
        let good = format!(
            "erased 7 1700000000000 {}",
            mac(&key, ContactId(7), 1_700_000_000_000)
        );
        let forged = format!(
            "erased 8 1700000000000 {}",
            mac(&key, ContactId(7), 1_700_000_000_000)
        );
        let text = format!("{HEADER}{good}\n{forged}\nerased 9 17000");
        let entries = parse(&text, &key);
        assert_eq!(entries.erased, vec![(ContactId(7), 1_700_000_000_000)]);
        assert_eq!(entries.ignored, 2);
    }

    #[test]
    fn an_append_after_a_torn_line_starts_a_line_of_its_own() {
        let dir = std::env::temp_dir().join(format!("zgoda-register-{}", rand::random::<u64>()));
        let path = dir.join("erased");
        append_line(&path, "erased 1 2 x\n").unwrap();
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"erased 3 4").unwrap();
        append_line(&path, "erased 5 6 y\n").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(HEADER));
        assert!(
            text.ends_with("erased 1 2 x\nerased 3 4\nerased 5 6 y\n"),
            "{text}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
