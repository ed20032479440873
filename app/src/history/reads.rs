//! Reads of personal data are noted in memory and written in batches, so opening a card
//! costs no extra write on the request's path. A card, a case card (which carries its
//! contact's data), the history tab and an evidence download each count as a read of
//! one contact; a page of search results is one entry listing every contact it showed.

use crate::ids::{CaseId, ContactId, UserId};
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

use crate::db::{now_ms, Db};

plain_enum!(
    /// What showed the contact's data.
    ReadVia {
        Card = "card",
        Case = "case",
        History = "history",
        Evidence = "evidence",
        Search = "search",
        /// The consultant's desk: recent contacts, own cases and requests.
        Desk = "desk",
        /// Exported to a file ("Eksportuj"): one entry per export with every contact in it.
        Export = "export",
        /// A copy of the person's own data (Art. 15 and 20), from the card or the API.
        SubjectExport = "subject_export",
    }
);

/// Contacts per INSERT of a bulk read's list.
const BULK_PIECE: usize = 5000;

struct BulkRead {
    user_id: UserId,
    at: i64,
    via: ReadVia,
    contacts: Vec<ContactId>,
}

#[derive(Default)]
struct Pending {
    /// Contact, case (for a case card), user, time, what showed it.
    single: Vec<(ContactId, Option<CaseId>, UserId, i64, ReadVia)>,
    bulk: Vec<BulkRead>,
}

#[derive(Default)]
pub struct ReadLog {
    pending: Mutex<Pending>,
}

impl std::fmt::Debug for ReadLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadLog").finish_non_exhaustive()
    }
}

impl ReadLog {
    pub fn note(&self, contact_id: ContactId, user_id: UserId, via: ReadVia) {
        if let Ok(mut pending) = self.pending.lock() {
            pending
                .single
                .push((contact_id, None, user_id, now_ms(), via));
        }
    }

    /// A case card: a read of its contact, remembered with the case it was for.
    pub fn note_case(&self, contact_id: ContactId, case_id: CaseId, user_id: UserId) {
        if let Ok(mut pending) = self.pending.lock() {
            pending
                .single
                .push((contact_id, Some(case_id), user_id, now_ms(), ReadVia::Case));
        }
    }

    /// Several contacts shown at once: one entry with the list.
    pub fn note_list(&self, contacts: Vec<ContactId>, user_id: UserId, via: ReadVia) {
        if contacts.is_empty() {
            return;
        }
        if let Ok(mut pending) = self.pending.lock() {
            pending.bulk.push(BulkRead {
                user_id,
                at: now_ms(),
                via,
                contacts,
            });
        }
    }

    /// Writes what is pending in one transaction; returns how many entries.
    pub async fn flush(&self, db: &Db) -> Result<usize, sqlx::Error> {
        let batch = match self.pending.lock() {
            Ok(mut pending) => std::mem::take(&mut *pending),
            Err(_) => return Ok(0),
        };
        let count = batch.single.len() + batch.bulk.len();
        if count == 0 {
            return Ok(0);
        }
        let mut tx = db.begin_write().await?;
        for (contact_id, case_id, user_id, at, via) in &batch.single {
            sqlx::query(
                "INSERT INTO card_reads (contact_id, case_id, user_id, read_at, via) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(contact_id)
            .bind(case_id)
            .bind(user_id)
            .bind(at)
            .bind(via.as_str())
            .execute(&mut **tx)
            .await?;
        }
        for read in &batch.bulk {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO bulk_reads (user_id, read_at, via, contact_count) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(read.user_id)
            .bind(read.at)
            .bind(read.via.as_str())
            .bind(read.contacts.len() as i64)
            .fetch_one(&mut **tx)
            .await?;
            // Ids are integers from our own query: literals keep it a few statements, and
            // pieces of a few thousand keep an export of a million contacts from becoming
            // one statement of tens of megabytes.
            for piece in read.contacts.chunks(BULK_PIECE) {
                let values: Vec<String> = piece
                    .iter()
                    .map(|contact| format!("({id}, {contact})"))
                    .collect();
                sqlx::query(&format!(
                    "INSERT INTO bulk_read_contacts (bulk_read_id, contact_id) VALUES {} \
                     ON CONFLICT DO NOTHING",
                    values.join(", ")
                ))
                .execute(&mut **tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(count)
    }
}

/// A contact card or a case card the user opened, at its latest opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecentRead {
    pub contact_id: ContactId,
    pub case_id: Option<CaseId>,
    pub read_at: i64,
}

/// The contact and case cards this user opened, newest first, each once. Only the
/// user's own reads: the desk shows nobody else's trail.
pub async fn recent_for_user(
    conn: &mut sqlx::AnyConnection,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<RecentRead>, sqlx::Error> {
    let rows: Vec<(ContactId, Option<CaseId>, i64)> = sqlx::query_as(
        "SELECT contact_id, case_id, MAX(read_at) AS last_read FROM card_reads \
         WHERE user_id = $1 AND via IN ('card', 'case') GROUP BY contact_id, case_id \
         ORDER BY last_read DESC, contact_id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(contact_id, case_id, read_at)| RecentRead {
            contact_id,
            case_id,
            read_at,
        })
        .collect())
}
