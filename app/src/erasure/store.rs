//! The erasure state machine, in the database: every transition is a conditional
//! update, so of two racing actions (undo against approval, two approvals) exactly one
//! changes the row and the other is told the request was already decided.

use crate::ids::{CaseId, ContactId, ErasureRequestId, HoldId, RetentionRuleId, UserId};
use crate::store_error::{Doing, Refusal, StoreError};
use sqlx::{AnyConnection, Row};

use super::model::{AnsweredRequest, ErasureStatus, Ground, LegalHold, QueueItem, RequestState};
use crate::db::{now_ms, Backend, Db};
use crate::time_fmt::add_months;
use crate::vault::{TokenKind, Vault};

const DAY_MS: i64 = 86_400_000;

fn decided() -> StoreError {
    StoreError::Refused(Refusal::ErasureDecided)
}

pub async fn latest(
    conn: &mut AnyConnection,
    contact_id: ContactId,
) -> Result<Option<ErasureStatus>, StoreError> {
    let row = sqlx::query(
        "SELECT r.id, r.state, r.ground, r.requested_at, r.decided_at, r.refusal_reason, \
         r.requested_by, q.display_name AS requested_name, d.display_name AS decided_name FROM erasure_requests r \
         LEFT JOIN users q ON q.id = r.requested_by LEFT JOIN users d ON d.id = r.decided_by \
         WHERE r.contact_id = $1 ORDER BY r.id DESC LIMIT 1",
    )
    .bind(contact_id)
    .fetch_optional(&mut *conn)
    .await
        .doing("reading the latest erasure request")?;
    let Some(r) = row else {
        return Ok(None);
    };
    Ok(Some(ErasureStatus {
        id: r.try_get("id")?,
        state: RequestState::parse(&r.try_get::<String, _>("state")?).unwrap_or_default(),
        ground: Ground::parse(&r.try_get::<String, _>("ground")?).unwrap_or_default(),
        requested_by: r.try_get("requested_name")?,
        requested_by_id: r.try_get("requested_by")?,
        requested_at: r.try_get("requested_at")?,
        decided_by: r.try_get("decided_name")?,
        decided_at: r.try_get("decided_at")?,
        refusal_reason: r.try_get("refusal_reason")?,
    }))
}

/// The user's own requests that a manager refused or extended, latest answer first.
pub async fn answered_for(
    conn: &mut AnyConnection,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<AnsweredRequest>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.id, r.contact_id, r.state, r.requested_at, r.decided_at, r.refusal_reason, \
         r.extended_until, r.extension_reason, d.display_name AS decided_name \
         FROM erasure_requests r LEFT JOIN users d ON d.id = r.decided_by \
         WHERE r.requested_by = $1 AND (r.state = 'refused' \
         OR (r.state = 'pending' AND r.extended_until IS NOT NULL)) \
         ORDER BY r.updated_at DESC, r.id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
    .doing("listing answered erasure requests")?;
    rows.into_iter()
        .map(|r| {
            Ok(AnsweredRequest {
                id: r.try_get("id")?,
                contact_id: r.try_get("contact_id")?,
                state: RequestState::parse(&r.try_get::<String, _>("state")?).unwrap_or_default(),
                requested_at: r.try_get("requested_at")?,
                decided_by: r.try_get("decided_name")?,
                decided_at: r.try_get("decided_at")?,
                refusal_reason: r.try_get("refusal_reason")?,
                extended_until: r.try_get("extended_until")?,
                extension_reason: r.try_get("extension_reason")?,
            })
        })
        .collect()
}

/// Marks the contact's data for erasure; nothing is erased yet. The first statement
/// writes, so on SQLite the transaction takes the write lock at once (a read first
/// would make a racing writer fail instead of wait).
pub async fn request(
    conn: &mut AnyConnection,
    user_id: UserId,
    contact_id: ContactId,
    case_id: Option<CaseId>,
    ground: Ground,
) -> Result<ErasureRequestId, StoreError> {
    open_request(conn, Some(user_id), contact_id, case_id, ground, None).await
}

/// A request the retention job makes for a contact whose every purpose ended under
/// `rule`: in the managers' queue like any other, ground "no longer needed", asked by
/// no one.
pub async fn request_for_retention(
    conn: &mut AnyConnection,
    contact_id: ContactId,
    rule: RetentionRuleId,
) -> Result<ErasureRequestId, StoreError> {
    let ground = Ground::NoLongerNeeded;
    open_request(conn, None, contact_id, None, ground, Some(rule)).await
}

/// Erases a contact whose every purpose ended under a rule that erases without asking:
/// the request is recorded as approved by no one, with the rule, and the erasure is the
/// same as an approval's (webhook, register). A legal hold refuses it.
pub async fn erase_for_retention(
    conn: &mut AnyConnection,
    vault: &Vault,
    contact_id: ContactId,
    rule: RetentionRuleId,
) -> Result<(), StoreError> {
    let now = now_ms();
    let recorded: Option<ErasureRequestId> = sqlx::query_scalar(
        "INSERT INTO erasure_requests (contact_id, ground, state, previous_state, requested_at, \
         deadline_at, decided_at, updated_at, retention_rule_id) \
         SELECT id, 'no_longer_needed', 'approved', state, $1, $2, $3, $4, $5 \
         FROM contacts WHERE id = $6 AND state = 'active' RETURNING id",
    )
    .bind(now)
    .bind(now)
    .bind(now)
    .bind(now)
    .bind(rule)
    .bind(contact_id)
    .fetch_optional(&mut *conn)
    .await?;
    if recorded.is_none() {
        return Err(StoreError::Stale);
    }
    erase_approved(conn, vault, contact_id).await
}

async fn open_request(
    conn: &mut AnyConnection,
    user_id: Option<UserId>,
    contact_id: ContactId,
    case_id: Option<CaseId>,
    ground: Ground,
    rule: Option<RetentionRuleId>,
) -> Result<ErasureRequestId, StoreError> {
    let now = now_ms();
    let inserted: Result<Option<ErasureRequestId>, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO erasure_requests (contact_id, case_id, ground, state, previous_state, requested_by, \
         requested_at, deadline_at, updated_at, retention_rule_id) \
         SELECT id, $1, $2, 'pending', state, $3, $4, $5, $6, $7 \
         FROM contacts WHERE id = $8 AND state IN ('active', 'restricted') RETURNING id",
    )
    .bind(case_id)
    .bind(ground.as_str())
    .bind(user_id)
    .bind(now)
    .bind(add_months(now, 1))
    .bind(now)
    .bind(rule)
    .bind(contact_id)
    .fetch_optional(&mut *conn)
    .await;
    let id = match inserted {
        Ok(Some(id)) => id,
        Ok(None) => {
            let state: Option<String> =
                sqlx::query_scalar("SELECT state FROM contacts WHERE id = $1")
                    .bind(contact_id)
                    .fetch_optional(&mut *conn)
                    .await
                    .doing("recording an erasure request")?;
            return Err(match state.as_deref() {
                None => StoreError::NotFound,
                Some("erased") => StoreError::Refused(Refusal::ContactErased),
                _ => StoreError::Refused(Refusal::ErasureAlreadyRequested),
            });
        }
        // The one-pending-request index: another request won the race.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(StoreError::Refused(Refusal::ErasureAlreadyRequested))
        }
        Err(e) => return Err(e.into()),
    };
    // Only from the state the request recorded: a restriction or its lifting committed
    // in between (PostgreSQL reads before it writes here) would otherwise be lost, and
    // taking the request back would restore the wrong state.
    let moved = sqlx::query(
        "UPDATE contacts SET state = 'erasure_pending' WHERE id = $1 \
         AND state = (SELECT previous_state FROM erasure_requests WHERE id = $2)",
    )
    .bind(contact_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if moved.rows_affected() == 0 {
        return Err(StoreError::Stale);
    }
    Ok(id)
}

/// Closes a pending request as `to` (withdrawn or refused) and gives the contact back its
/// previous state. Returns the contact's id.
async fn close(
    conn: &mut AnyConnection,
    user_id: UserId,
    request_id: ErasureRequestId,
    to: RequestState,
    reason: Option<&str>,
) -> Result<ContactId, StoreError> {
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE erasure_requests SET state = $1, decided_by = $2, decided_at = $3, refusal_reason = $4, \
         updated_at = $5 WHERE id = $6 AND state = 'pending'",
    )
    .bind(to.as_str())
    .bind(user_id)
    .bind(now)
    .bind(reason)
    .bind(now)
    .bind(request_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(missing_or_decided(conn, request_id).await);
    }
    let (contact_id, previous): (ContactId, String) =
        sqlx::query_as("SELECT contact_id, previous_state FROM erasure_requests WHERE id = $1")
            .bind(request_id)
            .fetch_one(&mut *conn)
            .await?;
    sqlx::query("UPDATE contacts SET state = $1 WHERE id = $2 AND state = 'erasure_pending'")
        .bind(previous)
        .bind(contact_id)
        .execute(&mut *conn)
        .await?;
    Ok(contact_id)
}

async fn missing_or_decided(conn: &mut AnyConnection, request_id: ErasureRequestId) -> StoreError {
    let exists: Result<Option<i64>, _> =
        sqlx::query_scalar("SELECT id FROM erasure_requests WHERE id = $1")
            .bind(request_id)
            .fetch_optional(&mut *conn)
            .await;
    match exists {
        Ok(None) => StoreError::NotFound,
        Ok(Some(_)) => decided(),
        Err(e) => e.into(),
    }
}

pub async fn withdraw(
    conn: &mut AnyConnection,
    user_id: UserId,
    request_id: ErasureRequestId,
) -> Result<ContactId, StoreError> {
    close(conn, user_id, request_id, RequestState::Withdrawn, None).await
}

pub async fn refuse(
    conn: &mut AnyConnection,
    user_id: UserId,
    request_id: ErasureRequestId,
    reason: &str,
) -> Result<ContactId, StoreError> {
    close(
        conn,
        user_id,
        request_id,
        RequestState::Refused,
        Some(reason),
    )
    .await
}

/// Art. 12(3): once, by up to two further months, with a reason.
pub async fn extend(
    conn: &mut AnyConnection,
    request_id: ErasureRequestId,
    months: i64,
    reason: &str,
) -> Result<(), StoreError> {
    let deadline: Option<i64> = sqlx::query_scalar(
        "SELECT deadline_at FROM erasure_requests WHERE id = $1 AND state = 'pending' AND extended_until IS NULL",
    )
    .bind(request_id)
    .fetch_optional(&mut *conn)
    .await
        .doing("extending an erasure deadline")?;
    let Some(deadline) = deadline else {
        return Err(StoreError::Refused(Refusal::ErasureExtendedOnce));
    };
    let done = sqlx::query(
        "UPDATE erasure_requests SET extended_until = $1, extension_reason = $2, updated_at = $3 \
         WHERE id = $4 AND state = 'pending' AND extended_until IS NULL",
    )
    .bind(add_months(deadline, months))
    .bind(reason)
    .bind(now_ms())
    .bind(request_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Refused(Refusal::ErasureExtendedOnce));
    }
    Ok(())
}

/// Active legal holds (not released, not past their end date): contact, reason, end date.
async fn active_holds(
    conn: &mut AnyConnection,
    contact_id: Option<ContactId>,
) -> Result<Vec<(ContactId, String, String)>, StoreError> {
    let today = crate::time_fmt::format_utc(now_ms())[..10].to_string();
    Ok(sqlx::query_as(
        "SELECT contact_id, reason, until_date FROM legal_holds WHERE released_at IS NULL \
         AND until_date >= $1 AND ($2 = 0 OR contact_id = $3) ORDER BY id DESC",
    )
    .bind(today)
    .bind(contact_id.map_or(0, ContactId::get))
    .bind(contact_id.map_or(0, ContactId::get))
    .fetch_all(&mut *conn)
    .await?)
}

/// An active legal hold on the contact: its reason and end date.
pub async fn active_hold(
    conn: &mut AnyConnection,
    contact_id: ContactId,
) -> Result<Option<(String, String)>, StoreError> {
    Ok(active_holds(conn, Some(contact_id))
        .await?
        .into_iter()
        .next()
        .map(|(_, reason, until)| (reason, until)))
}

/// Approves a pending request and erases the contact's personal data, in the caller's
/// transaction. The conditional update comes first (see `request`); a legal hold found
/// afterwards rolls the whole transaction back. Returns the contact's id.
pub async fn approve(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: UserId,
    request_id: ErasureRequestId,
) -> Result<ContactId, StoreError> {
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE erasure_requests SET state = 'approved', decided_by = $1, decided_at = $2, updated_at = $3 \
         WHERE id = $4 AND state = 'pending'",
    )
    .bind(user_id)
    .bind(now)
    .bind(now)
    .bind(request_id)
    .execute(&mut *conn)
    .await
        .doing("approving an erasure request")?;
    if done.rows_affected() == 0 {
        return Err(missing_or_decided(conn, request_id).await);
    }
    let contact_id: ContactId =
        sqlx::query_scalar("SELECT contact_id FROM erasure_requests WHERE id = $1")
            .bind(request_id)
            .fetch_one(&mut *conn)
            .await?;
    erase_approved(conn, vault, contact_id).await?;
    Ok(contact_id)
}

/// What every approved erasure does once its request is recorded as approved, in the
/// caller's transaction: a legal hold refuses it (rolling the approval back with it),
/// the webhook is queued, the contact erased.
async fn erase_approved(
    conn: &mut AnyConnection,
    vault: &Vault,
    contact_id: ContactId,
) -> Result<(), StoreError> {
    if active_hold(conn, contact_id).await?.is_some() {
        return Err(StoreError::Refused(Refusal::LegalHold));
    }
    // Queued before the erasure, whose register is written outside the transaction: a
    // failure here must leave nothing erased.
    let payload = serde_json::json!({ "contact_id": contact_id });
    crate::webhooks::store::enqueue(
        conn,
        crate::webhooks::model::WebhookEvent::ErasureApproved,
        &payload,
    )
    .await?;
    erase_contact(conn, vault, contact_id).await
}

/// Erases a contact, whatever asked for it, in the caller's transaction, and records it
/// in the erasure register beside the keyring (synced before the caller commits), so a
/// database restored from an older backup is erased again at its next start.
pub async fn erase_contact(
    conn: &mut AnyConnection,
    vault: &Vault,
    contact_id: ContactId,
) -> Result<(), StoreError> {
    erase(conn, vault, contact_id).await?;
    super::register::append(vault, contact_id, now_ms())
}

/// Everything personal about the contact goes: sealed values everywhere, channels, blind
/// indexes, history values, evidence content, communication notes, case texts, the free
/// texts of its holds, requests and disclosures, and the data key itself, so any copy left
/// (a backup) is unreadable. Non-personal records stay. The phones' and e-mails' tokens
/// move to the suppression list.
pub(super) async fn erase(
    conn: &mut AnyConnection,
    vault: &Vault,
    contact_id: ContactId,
) -> Result<(), StoreError> {
    let (card, _) = crate::contacts::store::load(conn, vault, contact_id).await?;
    let index = vault.index();
    let tokens = card
        .data
        .phones
        .iter()
        .map(|p| index.token(TokenKind::Phone, &p.value))
        .chain(
            card.data
                .emails
                .iter()
                .map(|e| index.token(TokenKind::Email, &e.value)),
        );
    // The day only: an exact time would let the suppression list be matched against
    // the audit trail's approvals and so name the erased contact again.
    let now = now_ms();
    let day = now - now.rem_euclid(DAY_MS);
    for token in tokens {
        sqlx::query("INSERT INTO suppression (token, erased_at) VALUES ($1, $2) ON CONFLICT (token) DO NOTHING")
            .bind(token)
            .bind(day)
            .execute(&mut *conn)
            .await?;
    }
    crate::contacts::tokens::remove(conn, contact_id).await?;
    let statements = [
        "UPDATE contacts SET first_name = NULL, last_name = NULL, company = NULL, street = NULL, \
         postal_code = NULL, city = NULL, pesel = NULL, nip = NULL, notes = NULL, state = 'erased', \
         version = version + 1 WHERE id = $1",
        "DELETE FROM contact_channels WHERE contact_id = $1",
        "UPDATE field_history SET old_value = NULL, new_value = NULL, reason = NULL WHERE contact_id = $1",
        "UPDATE evidence_files SET content = NULL, file_name = NULL WHERE contact_id = $1",
        "UPDATE communications SET note = NULL WHERE contact_id = $1",
        "UPDATE cases SET subject = NULL, description = NULL WHERE contact_id = $1",
        // Free texts typed by staff about this person: a hold's reason (the column is
        // required, so it is emptied), an extension's or a refusal's reason.
        "UPDATE legal_holds SET reason = '' WHERE contact_id = $1",
        "UPDATE erasure_requests SET refusal_reason = NULL, extension_reason = NULL WHERE contact_id = $1",
        "UPDATE restrictions SET note = NULL, lift_note = NULL WHERE contact_id = $1",
        // A disclosure's purpose may name whom it concerned; it goes once every person
        // the disclosure covered is erased (for others it still documents their data).
        "UPDATE disclosures SET purpose = '' WHERE id IN \
         (SELECT disclosure_id FROM disclosure_contacts WHERE contact_id = $1) AND NOT EXISTS \
         (SELECT 1 FROM disclosure_contacts dc JOIN contacts c ON c.id = dc.contact_id \
          WHERE dc.disclosure_id = disclosures.id AND c.state <> 'erased')",
    ];
    for sql in statements {
        sqlx::query(sql)
            .bind(contact_id)
            .execute(&mut *conn)
            .await?;
    }
    crate::vault::store::destroy_key(conn, contact_id).await?;
    Ok(())
}

/// How long one checkpoint attempt waits for readers before it is retried.
const CHECKPOINT_WAIT_MS: i64 = 250;
const CHECKPOINT_ATTEMPTS: u32 = 12;

/// After an erasure on SQLite, old page images can linger in the WAL until the next
/// checkpoint; this writes them back and empties the WAL (with `secure_delete` the freed
/// space is zeroed). A reader in the middle of a long query keeps the checkpoint from
/// finishing, so one short attempt runs here and, if it was blocked, the retries go on in
/// the background, without holding up the request.
pub async fn flush_wal(db: &Db) {
    if db.backend() != Backend::Sqlite || checkpoint_once(db).await {
        return;
    }
    let db = db.clone();
    tokio::spawn(async move {
        checkpoint_wal(&db).await;
    });
}

/// `wal_checkpoint(TRUNCATE)` until it completes, with backoff (about a minute in all).
/// True once it completed (always on PostgreSQL, which has no WAL file of its own).
pub async fn checkpoint_wal(db: &Db) -> bool {
    if db.backend() != Backend::Sqlite {
        return true;
    }
    let mut pause = std::time::Duration::from_millis(100);
    for _ in 0..CHECKPOINT_ATTEMPTS {
        if checkpoint_once(db).await {
            return true;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(std::time::Duration::from_secs(10));
    }
    tracing::warn!(
        attempts = CHECKPOINT_ATTEMPTS,
        "the WAL checkpoint after an erasure kept being blocked; the next one empties the WAL"
    );
    false
}

async fn checkpoint_once(db: &Db) -> bool {
    let attempt = async {
        let mut conn = db.pool().acquire().await?;
        sqlx::query(&format!("PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}"))
            .execute(&mut *conn)
            .await?;
        // (busy, frames in the WAL, frames checkpointed): busy = 1 means readers or a
        // writer kept it from completing.
        let outcome: Result<(i64, i64, i64), sqlx::Error> =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&mut *conn)
                .await;
        let reset = sqlx::query("PRAGMA busy_timeout = 5000")
            .execute(&mut *conn)
            .await;
        if reset.is_err() {
            conn.close_on_drop();
        }
        Ok::<_, sqlx::Error>(outcome?.0 == 0)
    };
    match attempt.await {
        Ok(done) => done,
        Err(e) => {
            tracing::warn!(error = %e, "WAL checkpoint after an erasure failed");
            false
        }
    }
}

/// Pending requests, oldest first, with the contact's name and the countdown.
pub async fn queue(conn: &mut AnyConnection, vault: &Vault) -> Result<Vec<QueueItem>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.id, r.contact_id, r.ground, r.requested_at, r.updated_at, r.deadline_at, r.extended_until, \
         u.display_name, k.name AS rule_name FROM erasure_requests r \
         LEFT JOIN users u ON u.id = r.requested_by LEFT JOIN retention_rules k ON k.id = r.retention_rule_id \
         WHERE r.state = 'pending' ORDER BY r.requested_at, r.id LIMIT 1000",
    )
    .fetch_all(&mut *conn)
    .await
        .doing("reading the erasure queue")?;
    let ids: Vec<ContactId> = rows
        .iter()
        .map(|r| r.try_get("contact_id"))
        .collect::<Result<_, _>>()?;
    let names = crate::contacts::store::rows(conn, vault, &ids).await?;
    let holds = active_holds(conn, None).await?;
    let now = now_ms();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let contact_id: ContactId = r.try_get("contact_id")?;
        let extended: Option<i64> = r.try_get("extended_until")?;
        let deadline = extended.unwrap_or(r.try_get("deadline_at")?);
        out.push(QueueItem {
            id: r.try_get("id")?,
            contact_id,
            contact_name: names
                .iter()
                .find(|n| n.id == contact_id)
                .and_then(|n| n.name.clone()),
            ground: Ground::parse(&r.try_get::<String, _>("ground")?).unwrap_or_default(),
            requested_by: r.try_get("display_name")?,
            retention_rule: r.try_get("rule_name")?,
            requested_at: r.try_get("requested_at")?,
            updated_at: r.try_get("updated_at")?,
            deadline_at: deadline,
            extended: extended.is_some(),
            days_left: (deadline - now).div_euclid(DAY_MS),
            hold: holds
                .iter()
                .find(|(c, _, _)| *c == contact_id)
                .map(|(_, reason, until)| (reason.clone(), until.clone())),
        });
    }
    Ok(out)
}

pub async fn holds(conn: &mut AnyConnection) -> Result<Vec<LegalHold>, StoreError> {
    let rows: Vec<(HoldId, ContactId, String, String)> = sqlx::query_as(
        "SELECT id, contact_id, reason, until_date FROM legal_holds WHERE released_at IS NULL ORDER BY id DESC",
    )
    .fetch_all(&mut *conn)
    .await
        .doing("listing legal holds")?;
    Ok(rows
        .into_iter()
        .map(|(id, contact_id, reason, until_date)| LegalHold {
            id,
            contact_id,
            reason,
            until_date,
        })
        .collect())
}

pub async fn add_hold(
    conn: &mut AnyConnection,
    user_id: UserId,
    contact_id: ContactId,
    reason: &str,
    until: &str,
) -> Result<HoldId, StoreError> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_optional(&mut *conn)
        .await
        .doing("adding a legal hold")?;
    if exists.is_none() {
        return Err(StoreError::Refused(Refusal::UnknownContact {
            field: "contact_id",
        }));
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO legal_holds (contact_id, reason, until_date, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(contact_id)
    .bind(reason)
    .bind(until)
    .bind(user_id)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?)
}

pub async fn release_hold(
    conn: &mut AnyConnection,
    user_id: UserId,
    hold_id: HoldId,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE legal_holds SET released_by = $1, released_at = $2 WHERE id = $3 AND released_at IS NULL",
    )
    .bind(user_id)
    .bind(now_ms())
    .bind(hold_id)
    .execute(&mut *conn)
    .await
        .doing("releasing a legal hold")?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
