//! Restrictions in the database. The contact's state says whether processing is
//! restricted (every reader already honours it; `contacts::store` changes it);
//! `restrictions` keeps why, since when, by whom, and when it was lifted. Only this
//! module writes `restrictions`, besides the erasure, which empties its notes with every
//! other personal column (`erasure::store::erase`).

use serde_json::json;
use sqlx::{AnyConnection, Row};

use super::model::{RestrictionGround, RestrictionStatus};
use crate::contacts::model::ContactState;
use crate::contacts::store::{change_state, open, seal};
use crate::db::now_ms;
use crate::ids::{ContactId, RestrictionId, UserId};
use crate::store_error::{Doing, Refusal, StoreError};
use crate::vault::store::{load_key, tampered};
use crate::vault::{DataKey, Place, Vault};
use crate::webhooks::model::WebhookEvent;

const RESTRICTIONS: &str = "restrictions";

/// Whether a restriction is in force: the contact is restricted, or was and now waits
/// for its erasure request to be decided (the restriction holds meanwhile).
pub async fn in_force(conn: &mut AnyConnection, contact_id: ContactId) -> Result<bool, StoreError> {
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM restrictions r JOIN contacts c ON c.id = r.contact_id \
         WHERE r.contact_id = $1 AND r.lifted_at IS NULL AND c.state <> 'erased'",
    )
    .bind(contact_id)
    .fetch_one(&mut *conn)
    .await
    .doing("checking a contact's restriction")?;
    Ok(open > 0)
}

/// The restriction in force on the contact, its note opened with the contact's `key`.
/// An erased contact has none: nothing is left to restrict.
pub async fn current(
    conn: &mut AnyConnection,
    key: Option<&DataKey>,
    contact_id: ContactId,
) -> Result<Option<RestrictionStatus>, StoreError> {
    let row = sqlx::query(
        "SELECT r.id, r.ground, r.note, r.restricted_at, u.display_name FROM restrictions r \
         JOIN contacts c ON c.id = r.contact_id LEFT JOIN users u ON u.id = r.restricted_by \
         WHERE r.contact_id = $1 AND r.lifted_at IS NULL AND c.state <> 'erased'",
    )
    .bind(contact_id)
    .fetch_optional(&mut *conn)
    .await
    .doing("reading a contact's restriction")?;
    let Some(r) = row else {
        return Ok(None);
    };
    let id: RestrictionId = r.try_get("id")?;
    Ok(Some(RestrictionStatus {
        id,
        ground: RestrictionGround::parse(&r.try_get::<String, _>("ground")?).unwrap_or_default(),
        note: open(
            key,
            Place::new(RESTRICTIONS, "note", id),
            r.try_get("note")?,
        )
        .map_err(tampered)?,
        restricted_by: r.try_get("display_name")?,
        restricted_at: r.try_get("restricted_at")?,
    }))
}

/// Restricts processing of an active contact. The first statement writes, so on SQLite
/// the transaction holds the write lock before anything is read.
pub async fn restrict(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: UserId,
    contact_id: ContactId,
    ground: RestrictionGround,
    note: &str,
) -> Result<RestrictionId, StoreError> {
    if !change_state(
        conn,
        contact_id,
        ContactState::Active,
        ContactState::Restricted,
    )
    .await?
    {
        return Err(refusal(conn, contact_id).await);
    }
    let id: RestrictionId = sqlx::query_scalar(
        "INSERT INTO restrictions (contact_id, ground, restricted_by, restricted_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(contact_id)
    .bind(ground.as_str())
    .bind(user_id)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await
    .doing("recording a restriction")?;
    write_note(
        conn,
        vault,
        contact_id,
        Place::new(RESTRICTIONS, "note", id),
        note,
    )
    .await?;
    let payload = json!({ "contact_id": contact_id, "ground": ground.as_str() });
    crate::webhooks::store::enqueue(conn, WebhookEvent::ProcessingRestricted, &payload).await?;
    Ok(id)
}

/// Lifts the restriction in force. The caller has made sure the person was told
/// (Art. 18(3)); the closed row is the record of it.
pub async fn lift(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: UserId,
    contact_id: ContactId,
    note: &str,
) -> Result<RestrictionId, StoreError> {
    if !change_state(
        conn,
        contact_id,
        ContactState::Restricted,
        ContactState::Active,
    )
    .await?
    {
        return Err(refusal(conn, contact_id).await);
    }
    let id: Option<RestrictionId> = sqlx::query_scalar(
        "UPDATE restrictions SET lifted_by = $1, lifted_at = $2 \
         WHERE contact_id = $3 AND lifted_at IS NULL RETURNING id",
    )
    .bind(user_id)
    .bind(now_ms())
    .bind(contact_id)
    .fetch_optional(&mut *conn)
    .await
    .doing("closing a restriction")?;
    let id = id.ok_or(StoreError::Inconsistent(
        "a restricted contact without an open restriction",
    ))?;
    write_note(
        conn,
        vault,
        contact_id,
        Place::new(RESTRICTIONS, "lift_note", id),
        note,
    )
    .await?;
    let payload = json!({ "contact_id": contact_id });
    crate::webhooks::store::enqueue(conn, WebhookEvent::RestrictionLifted, &payload).await?;
    Ok(id)
}

async fn write_note(
    conn: &mut AnyConnection,
    vault: &Vault,
    contact_id: ContactId,
    place: Place,
    note: &str,
) -> Result<(), StoreError> {
    if note.is_empty() {
        return Ok(());
    }
    let key = load_key(conn, vault, contact_id)
        .await?
        .ok_or(StoreError::Refused(Refusal::ContactErased))?;
    // The column is one of two fixed names, never input.
    let sql = format!(
        "UPDATE restrictions SET {} = $1 WHERE id = $2",
        place.column
    );
    sqlx::query(&sql)
        .bind(seal(&key, place, note))
        .bind(place.row)
        .execute(&mut *conn)
        .await
        .doing("sealing a restriction's note")?;
    Ok(())
}

/// Why a conditional state change found nothing to change.
async fn refusal(conn: &mut AnyConnection, contact_id: ContactId) -> StoreError {
    let state: Result<Option<String>, _> =
        sqlx::query_scalar("SELECT state FROM contacts WHERE id = $1")
            .bind(contact_id)
            .fetch_optional(&mut *conn)
            .await
            .doing("reading a contact's state");
    match state {
        Err(e) => e,
        Ok(None) => StoreError::NotFound,
        Ok(Some(s)) => StoreError::Refused(match s.as_str() {
            "erased" => Refusal::ContactErased,
            "restricted" => Refusal::AlreadyRestricted,
            "erasure_pending" => Refusal::ErasurePendingNoRestriction,
            _ => Refusal::NotRestricted,
        }),
    }
}

/// A contact's restrictions for its activities: (ground, restricted at, by, lifted at, by).
pub type RestrictionEvent = (String, i64, Option<String>, Option<i64>, Option<String>);

pub async fn history(
    conn: &mut AnyConnection,
    contact_id: ContactId,
) -> Result<Vec<RestrictionEvent>, StoreError> {
    sqlx::query_as(
        "SELECT r.ground, r.restricted_at, q.display_name, r.lifted_at, l.display_name \
         FROM restrictions r LEFT JOIN users q ON q.id = r.restricted_by \
         LEFT JOIN users l ON l.id = r.lifted_by WHERE r.contact_id = $1",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await
    .doing("reading a contact's restrictions")
}
