//! Turning a thousand prepared rows into what the writer stores: duplicates and people
//! erased before looked up by their phone and e-mail tokens, ids reserved, every value
//! sealed under a fresh data key per contact. Runs on the reading thread, so sealing
//! overlaps the writer's work on the previous batch.

use crate::ids::{ContactId, MasterKeyId};
use std::collections::{HashMap, HashSet};

use sqlx::Row;

use super::model::{Counters, DuplicateMode};
use super::prepare::{Candidate, Note, Outcome};
use crate::bulk::{blob_literal, IdPool};
use crate::contacts::store::{channel_tokens, other_tokens, seal};
use crate::contacts::validate::ValidContact;
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::vault::{BlindIndex, DataKey, Place, Vault};

/// A row of the file after `prepare`, with its line and text.
pub struct Read {
    pub line: i64,
    pub raw: String,
    pub outcome: Outcome,
}

pub struct NewContact {
    pub id: ContactId,
    pub kind: &'static str,
    pub master_id: MasterKeyId,
    pub wrapped_key: Vec<u8>,
    /// Kept until the batch is stored, to wrap it again should a rotation retire
    /// `master_id` between sealing and writing.
    pub key: DataKey,
    /// The sealed personal columns, in `contacts::store`'s order.
    pub personal: Vec<Option<Vec<u8>>>,
    pub channels: Vec<SealedChannel>,
    /// Blind-index tokens, each with whether it is a phone's or an e-mail's.
    pub tokens: Vec<(Vec<u8>, bool)>,
    pub event_ids: Vec<i64>,
}

pub struct SealedChannel {
    pub id: i64,
    pub kind: &'static str,
    pub value: Vec<u8>,
    pub call: bool,
    pub sms: bool,
    pub email: bool,
    pub flagged: bool,
}

/// A row's phone and e-mail tokens, each with the column it came from.
type Lookups = Vec<(Vec<u8>, String)>;

struct Looked {
    line: i64,
    candidate: Box<Candidate>,
    tokens: Lookups,
}

pub struct Update {
    pub contact_id: ContactId,
    pub line: i64,
    pub valid: ValidContact,
}

pub struct Reject {
    pub line: i64,
    pub note: Note,
    pub imported: bool,
    /// The row as read, kept sealed for the download; `None` when it must not be kept.
    pub raw: Option<String>,
}

pub struct Batch {
    /// Records consumed from the file so far, header included: the checkpoint.
    pub rows_done: i64,
    pub bytes_done: i64,
    pub counters: Counters,
    pub new: Vec<NewContact>,
    pub updates: Vec<Update>,
    pub rejects: Vec<Reject>,
}

/// The phone and e-mail tokens of the contacts this import added, so a later row of the
/// same file is found as their duplicate: they reach `contact_index` only when the import
/// ends (`contacts::tokens::merge`). Keyed by the token's first 16 bytes (a collision of
/// two HMAC-SHA-256 values there is as unlikely as one of the whole), about 40 bytes a
/// token: 80 MB for a million rows with a phone and an e-mail each.
pub struct InFlight {
    seen: HashMap<u128, i64>,
    contacts: IdPool,
    channels: IdPool,
    events: IdPool,
    /// The reading side's own connection, with a larger cache for the lookups.
    conn: Option<sqlx::pool::PoolConnection<sqlx::Any>>,
}

impl Default for InFlight {
    fn default() -> Self {
        Self {
            seen: HashMap::new(),
            contacts: IdPool::new("contacts"),
            channels: IdPool::new("contact_channels"),
            events: IdPool::new("consent_events"),
            conn: None,
        }
    }
}

fn key(token: &[u8]) -> u128 {
    let mut head = [0u8; 16];
    let n = token.len().min(16);
    head[..n].copy_from_slice(&token[..n]);
    u128::from_le_bytes(head)
}

impl InFlight {
    fn get(&self, token: &[u8]) -> Option<i64> {
        self.seen.get(&key(token)).copied()
    }

    fn add(&mut self, token: &[u8], contact_id: i64) {
        self.seen.entry(key(token)).or_insert(contact_id);
    }

    /// A resumed import: the tokens its earlier run staged.
    pub async fn resume(
        &mut self,
        db: &Db,
        import_id: crate::ids::ImportId,
    ) -> Result<(), AppError> {
        let mut seen = std::mem::take(&mut self.seen);
        let conn = self.conn(db).await?;
        crate::contacts::tokens::staged_lookups(conn, import_id, |token, contact_id| {
            seen.entry(key(token)).or_insert(contact_id);
        })
        .await?;
        self.seen = seen;
        Ok(())
    }

    /// The states of those of these contacts that are no longer active.
    async fn inactive(
        &mut self,
        db: &Db,
        ids: &HashSet<i64>,
    ) -> Result<HashMap<i64, String>, AppError> {
        let mut out = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let ids: Vec<i64> = ids.iter().copied().collect();
        let conn = self.conn(db).await?;
        for part in ids.chunks(500) {
            // Our own ids, written inline.
            let list: Vec<String> = part.iter().map(i64::to_string).collect();
            let sql = format!(
                "SELECT id, state FROM contacts WHERE id IN ({}) AND state <> 'active'",
                list.join(",")
            );
            let rows: Vec<(i64, String)> = sqlx::query_as(&sql)
                .persistent(false)
                .fetch_all(&mut *conn)
                .await?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// The reading side's own connection, with a larger cache for the lookups.
    async fn conn(&mut self, db: &Db) -> Result<&mut sqlx::AnyConnection, AppError> {
        if self.conn.is_none() {
            let mut conn = db.pool().acquire().await?;
            if db.backend() == crate::db::Backend::Sqlite {
                sqlx::query("PRAGMA cache_size = -32768")
                    .execute(&mut *conn)
                    .await?;
                // The larger cache stays with this import, not with the pool.
                conn.close_on_drop();
            }
            self.conn = Some(conn);
        }
        Ok(self.conn.as_mut().ok_or(AppError::Internal)?)
    }
}

pub struct BatchContext<'a> {
    pub db: &'a Db,
    pub vault: &'a Vault,
    pub duplicates: DuplicateMode,
    pub consents: usize,
}

fn lookup_tokens(index: &BlindIndex, c: &Candidate) -> Lookups {
    let mut tokens = channel_tokens(index, &c.valid);
    let emails = tokens.split_off(c.valid.phones.len());
    let phones = tokens.into_iter().zip(c.phone_columns.iter().cloned());
    phones
        .chain(emails.into_iter().zip(c.email_columns.iter().cloned()))
        .collect()
}

/// Which of the tokens belong to stored contacts (and in what state), and which to
/// people erased before.
async fn look_up(
    db: &Db,
    in_flight: &mut InFlight,
    tokens: &[Vec<u8>],
) -> Result<(HashMap<Vec<u8>, (i64, String)>, HashSet<Vec<u8>>), AppError> {
    let mut found = HashMap::new();
    let mut suppressed = HashSet::new();
    let conn = in_flight.conn(db).await?;
    for part in tokens.chunks(500) {
        // Tokens are HMACs of our making: written inline (see `bulk`), not as parameters.
        let mut list = String::with_capacity(part.len() * 72);
        for (i, t) in part.iter().enumerate() {
            if i > 0 {
                list.push(',');
            }
            blob_literal(db.backend(), t, &mut list);
        }
        let sql = format!(
            "SELECT i.token, i.contact_id, c.state FROM contact_index i \
             JOIN contacts c ON c.id = i.contact_id WHERE i.token IN ({list}) ORDER BY i.contact_id"
        );
        for row in sqlx::query(&sql)
            .persistent(false)
            .fetch_all(&mut *conn)
            .await?
        {
            let token: Vec<u8> = row.try_get("token")?;
            found
                .entry(token)
                .or_insert((row.try_get("contact_id")?, row.try_get("state")?));
        }
        let sql = format!("SELECT token FROM suppression WHERE token IN ({list})");
        suppressed.extend(
            sqlx::query_scalar::<_, Vec<u8>>(&sql)
                .persistent(false)
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok((found, suppressed))
}

enum Decision {
    Add,
    Update(i64),
    Duplicate,
    Refuse(String, Msg),
}

pub async fn build(
    ctx: &BatchContext<'_>,
    rows: Vec<Read>,
    in_flight: &mut InFlight,
    rows_done: i64,
    bytes_done: i64,
) -> Result<Batch, AppError> {
    let mut counters = Counters {
        rows_read: rows.len() as i64,
        ..Counters::default()
    };
    let mut rejects = Vec::new();
    let mut candidates: Vec<Looked> = Vec::new();
    let index = ctx.vault.index();
    for row in rows {
        match row.outcome {
            Outcome::Rejected(notes) => {
                counters.rejected += 1;
                for note in notes {
                    rejects.push(Reject {
                        line: row.line,
                        note,
                        imported: false,
                        raw: Some(row.raw.clone()).filter(|r| !r.is_empty()),
                    });
                }
            }
            Outcome::Contact(c) => {
                let tokens = lookup_tokens(&index, &c);
                candidates.push(Looked {
                    line: row.line,
                    candidate: c,
                    tokens,
                });
            }
        }
    }
    let all: Vec<Vec<u8>> = candidates
        .iter()
        .flat_map(|l| l.tokens.iter().map(|(tok, _)| tok.clone()))
        .collect();
    let (mut stored, suppressed) = look_up(ctx.db, in_flight, &all).await?;
    // A contact this import added before is not in the index yet: if it was restricted
    // or put up for erasure since, its tokens join the stored ones with that state, and
    // the row is refused as for any stored contact.
    let earlier: HashSet<i64> = all
        .iter()
        .filter(|t| !stored.contains_key(*t))
        .filter_map(|t| in_flight.get(t))
        .collect();
    let inactive = in_flight.inactive(ctx.db, &earlier).await?;
    for token in &all {
        if let Some((id, state)) = in_flight
            .get(token)
            .and_then(|id| inactive.get(&id).map(|s| (id, s)))
        {
            stored
                .entry(token.clone())
                .or_insert_with(|| (id, state.clone()));
        }
    }

    // Decide every row first: ids are reserved for the added ones only.
    let mut decided: Vec<(Looked, Decision)> = Vec::new();
    let mut this_batch: HashMap<Vec<u8>, usize> = HashMap::new();
    for looked in candidates {
        let toks = &looked.tokens;
        let decision = if let Some((_, col)) = toks.iter().find(|(t, _)| suppressed.contains(t)) {
            Decision::Refuse(col.clone(), Msg::ErrImportErasedBefore)
        } else if let Some((tok, col)) = toks
            .iter()
            .find(|(t, _)| stored.get(t).is_some_and(|(_, s)| s != "active"))
        {
            let restricted = stored.get(tok).is_some_and(|(_, s)| s == "restricted");
            let why = if restricted {
                Msg::ErrImportRestricted
            } else {
                Msg::ErrImportErasurePending
            };
            Decision::Refuse(col.clone(), why)
        } else {
            let earlier = toks.iter().find_map(|(t, _)| {
                stored
                    .get(t)
                    .map(|(id, _)| Earlier::Stored(*id))
                    .or_else(|| in_flight.get(t).map(Earlier::Stored))
                    .or_else(|| this_batch.get(t).map(|i| Earlier::ThisBatch(*i)))
            });
            match (earlier, ctx.duplicates) {
                (None, _) | (Some(_), DuplicateMode::Add) => Decision::Add,
                (Some(_), DuplicateMode::Skip) => Decision::Duplicate,
                (Some(Earlier::Stored(id)), DuplicateMode::Update) => Decision::Update(id),
                // Resolved to an id once this batch's ids are reserved.
                (Some(Earlier::ThisBatch(i)), DuplicateMode::Update) => {
                    Decision::Update(-(i as i64) - 1)
                }
            }
        };
        if matches!(decision, Decision::Add) {
            let position = decided.len();
            for (t, _) in toks {
                this_batch.entry(t.clone()).or_insert(position);
            }
        }
        decided.push((looked, decision));
    }

    let adds = decided
        .iter()
        .filter(|(_, d)| matches!(d, Decision::Add))
        .count();
    let channel_count: usize = decided
        .iter()
        .filter(|(_, d)| matches!(d, Decision::Add))
        .map(|(l, _)| {
            let c = &l.candidate;
            c.valid.phones.len() + c.valid.emails.len() + c.flagged.len()
        })
        .sum();
    let contact_ids = in_flight.contacts.take(ctx.db, adds).await?;
    let channel_ids = in_flight.channels.take(ctx.db, channel_count).await?;
    let event_ids = in_flight.events.take(ctx.db, adds * ctx.consents).await?;
    let mut next_contact = contact_ids.into_iter();
    let mut next_channel = channel_ids.into_iter();
    let mut next_event = event_ids.into_iter();
    // Position in `decided` → reserved contact id, for updates of rows added just before.
    let mut id_at: HashMap<usize, i64> = HashMap::new();

    let ring = ctx.vault.fresh_ring();
    let (master_id, master) = ring.current_master();
    let mut new = Vec::with_capacity(adds);
    let mut updates = Vec::new();
    for (position, (looked, decision)) in decided.into_iter().enumerate() {
        let Looked {
            line,
            candidate: c,
            tokens: toks,
        } = looked;
        match decision {
            Decision::Refuse(column, reason) => {
                // Nothing of a person erased before, waiting for erasure or whose
                // processing is restricted (Art. 18) is kept.
                counters.erased_skipped += 1;
                rejects.push(Reject {
                    line,
                    note: Note { column, reason },
                    imported: false,
                    raw: None,
                });
                continue;
            }
            Decision::Duplicate => {
                counters.duplicates += 1;
                continue;
            }
            Decision::Update(id) => {
                let contact_id = if id < 0 {
                    id_at[&((-id - 1) as usize)]
                } else {
                    id
                };
                updates.push(Update {
                    contact_id: ContactId(contact_id),
                    line,
                    valid: c.valid.clone(),
                });
            }
            Decision::Add => {
                let id = next_contact.next().ok_or(AppError::Internal)?;
                id_at.insert(position, id);
                for (t, _) in &toks {
                    in_flight.add(t, id);
                }
                new.push(seal_contact(
                    &c,
                    &toks,
                    ContactId(id),
                    master_id,
                    master,
                    &index,
                    &mut next_channel,
                    &mut next_event,
                    ctx.consents,
                )?);
            }
        }
        counters.phones_repaired += c.repaired;
        counters.phones_flagged += c
            .notes
            .iter()
            .filter(|n| {
                matches!(
                    n.reason,
                    Msg::ErrImportPhoneDropped | Msg::ErrImportPhoneFlagged
                )
            })
            .count() as i64;
        for note in c.notes {
            rejects.push(Reject {
                line,
                note,
                imported: true,
                raw: None,
            });
        }
    }
    counters.added = new.len() as i64;
    Ok(Batch {
        rows_done,
        bytes_done,
        counters,
        new,
        updates,
        rejects,
    })
}

enum Earlier {
    Stored(i64),
    ThisBatch(usize),
}

/// All the contact's tokens (as `contacts::store::tokens`), the phone and e-mail ones
/// marked: those were computed for the lookup already.
fn index_tokens(index: &BlindIndex, v: &ValidContact, lookups: &Lookups) -> Vec<(Vec<u8>, bool)> {
    let channels: Vec<Vec<u8>> = if lookups.len() == v.phones.len() + v.emails.len() {
        lookups.iter().map(|(t, _)| t.clone()).collect()
    } else {
        channel_tokens(index, v)
    };
    let mut out: Vec<(Vec<u8>, bool)> = channels.into_iter().map(|t| (t, true)).collect();
    out.extend(other_tokens(index, v).into_iter().map(|t| (t, false)));
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

#[allow(clippy::too_many_arguments)]
fn seal_contact(
    c: &Candidate,
    lookups: &Lookups,
    id: ContactId,
    master_id: MasterKeyId,
    master: &crate::vault::keyring::Key32,
    index: &BlindIndex,
    next_channel: &mut impl Iterator<Item = i64>,
    next_event: &mut impl Iterator<Item = i64>,
    consents: usize,
) -> Result<NewContact, AppError> {
    let key = DataKey::generate(1);
    let v = &c.valid;
    let personal = crate::contacts::store::personal_columns(v)
        .into_iter()
        .map(|(col, value)| seal(&key, Place::new("contacts", col, id), &value))
        .collect();
    let mut channels = Vec::new();
    let rows = v
        .phones
        .iter()
        .map(|p| {
            (
                "phone",
                p.value.as_str(),
                p.for_call,
                p.for_sms,
                false,
                false,
            )
        })
        .chain(
            c.flagged
                .iter()
                .map(|f| ("phone", f.as_str(), false, false, false, true)),
        )
        .chain(
            v.emails
                .iter()
                .map(|e| ("email", e.value.as_str(), false, false, e.for_email, false)),
        );
    for (kind, value, call, sms, email, flagged) in rows {
        let id = next_channel.next().ok_or(AppError::Internal)?;
        channels.push(SealedChannel {
            id,
            kind,
            value: key.seal_text(Place::new("contact_channels", "value", id), value),
            call,
            sms,
            email,
            flagged,
        });
    }
    let event_ids = (0..consents)
        .map(|_| next_event.next().ok_or(AppError::Internal))
        .collect::<Result<_, _>>()?;
    Ok(NewContact {
        id,
        kind: v.kind.as_str(),
        master_id,
        wrapped_key: key.wrap(master, master_id, id),
        key,
        personal,
        channels,
        tokens: index_tokens(index, v, lookups),
        event_ids,
    })
}
