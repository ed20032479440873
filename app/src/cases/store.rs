//! Cases in the database. Subject and description may name the person, so they are
//! sealed under the contact's data key; status, channel and assignee stay plain.

use crate::ids::{CaseId, ContactId, UserId};
use crate::store_error::{Doing, Refusal, StoreError};
use sqlx::{AnyConnection, Row};

use super::model::{Assignee, CaseCard, CaseChannel, CaseInput, CaseRow, CaseStatus};
use crate::contacts::store::{open, seal};
use crate::db::now_ms;
use crate::vault::store::{load_key, tampered};
use crate::vault::{DataKey, Place, Vault};

const CASES: &str = "cases";

async fn check_assignee(
    conn: &mut AnyConnection,
    user_id: Option<UserId>,
) -> Result<(), StoreError> {
    let Some(user_id) = user_id else {
        return Ok(());
    };
    let active: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE id = $1 AND disabled = 0 AND kind = 'person'",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    active
        .map(|_| ())
        .ok_or_else(|| StoreError::Refused(Refusal::AssigneeUnknown))
}

/// Every required consent must have a decision before a case of the contact is saved.
async fn require_consents(
    conn: &mut AnyConnection,
    contact_id: ContactId,
) -> Result<(), StoreError> {
    let missing = crate::consents::store::missing_required(conn, contact_id).await?;
    if missing.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Refused(Refusal::ConsentsRequired(missing)))
    }
}

async fn write_texts(
    conn: &mut AnyConnection,
    key: &DataKey,
    id: CaseId,
    input: &CaseInput,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET subject = $1, description = $2 WHERE id = $3")
        .bind(seal(key, Place::new(CASES, "subject", id), &input.subject))
        .bind(seal(
            key,
            Place::new(CASES, "description", id),
            &input.description,
        ))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A live contact's key; an erased contact takes no new personal data.
async fn contact_key(
    conn: &mut AnyConnection,
    vault: &Vault,
    contact_id: ContactId,
) -> Result<DataKey, StoreError> {
    load_key(conn, vault, contact_id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::Refused(Refusal::Missing {
                field: "contact_id",
            }),
            other => other,
        })?
        .ok_or(StoreError::Refused(Refusal::ContactErased))
}

pub async fn insert(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: UserId,
    input: &CaseInput,
) -> Result<CaseId, StoreError> {
    check_assignee(conn, input.assigned_to).await?;
    let key = contact_key(conn, vault, input.contact_id).await?;
    require_consents(conn, input.contact_id).await?;
    let now = now_ms();
    let id: CaseId = sqlx::query_scalar(
        "INSERT INTO cases (contact_id, status, channel, assigned_to, created_by, created_at, \
         updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(input.contact_id)
    .bind(input.status.as_str())
    .bind(input.channel.as_str())
    .bind(input.assigned_to)
    .bind(user_id)
    .bind(now)
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .doing("inserting a case")?;
    write_texts(conn, &key, id, input).await?;
    Ok(id)
}

/// Edits the version the consultant saw. The case stays with its contact.
pub async fn update(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: UserId,
    input: &CaseInput,
    id: CaseId,
) -> Result<(), StoreError> {
    check_assignee(conn, input.assigned_to).await?;
    let contact_id: ContactId = sqlx::query_scalar("SELECT contact_id FROM cases WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .doing("updating a case")?
        .ok_or(StoreError::NotFound)?;
    let key = contact_key(conn, vault, contact_id).await?;
    require_consents(conn, contact_id).await?;
    let done = sqlx::query(
        "UPDATE cases SET status = $1, channel = $2, assigned_to = $3, updated_by = $4, \
         updated_at = $5, version = version + 1 WHERE id = $6 AND version = $7",
    )
    .bind(input.status.as_str())
    .bind(input.channel.as_str())
    .bind(input.assigned_to)
    .bind(user_id)
    .bind(now_ms())
    .bind(id)
    .bind(input.version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Stale);
    }
    write_texts(conn, &key, id, input).await
}

/// The cases of a contact, newest first, with subjects opened under its key.
pub async fn list_for_contact(
    conn: &mut AnyConnection,
    key: Option<&DataKey>,
    contact_id: ContactId,
) -> Result<Vec<CaseRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.id, c.subject, c.status, c.channel, c.updated_at, u.display_name \
         FROM cases c LEFT JOIN users u ON u.id = c.assigned_to \
         WHERE c.contact_id = $1 ORDER BY c.id DESC",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await
    .doing("listing a contact's cases")?;
    rows.into_iter()
        .map(|row| {
            let id: CaseId = row.try_get("id")?;
            let subject = open(
                key,
                Place::new(CASES, "subject", id),
                row.try_get("subject")?,
            )
            .map_err(tampered)?;
            Ok(CaseRow {
                id,
                subject: (!subject.is_empty()).then_some(subject),
                status: CaseStatus::parse(&row.try_get::<String, _>("status")?).unwrap_or_default(),
                channel: CaseChannel::parse(&row.try_get::<String, _>("channel")?)
                    .unwrap_or_default(),
                assignee: row.try_get("display_name")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .collect()
}

/// Cases for the consultant's desk, each with its contact: the subject opened under the
/// contact's key (absent once the contact is erased).
async fn desk_rows(
    conn: &mut AnyConnection,
    vault: &Vault,
    rows: Vec<sqlx::any::AnyRow>,
) -> Result<Vec<(ContactId, CaseRow)>, StoreError> {
    let mut keys: std::collections::HashMap<ContactId, Option<DataKey>> = Default::default();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id: CaseId = row.try_get("id")?;
        let contact_id: ContactId = row.try_get("contact_id")?;
        if let std::collections::hash_map::Entry::Vacant(slot) = keys.entry(contact_id) {
            slot.insert(load_key(conn, vault, contact_id).await?);
        }
        let key = keys.get(&contact_id).and_then(|k| k.as_ref());
        let subject = open(
            key,
            Place::new(CASES, "subject", id),
            row.try_get("subject")?,
        )
        .map_err(tampered)?;
        out.push((
            contact_id,
            CaseRow {
                id,
                subject: (!subject.is_empty()).then_some(subject),
                status: CaseStatus::parse(&row.try_get::<String, _>("status")?).unwrap_or_default(),
                channel: CaseChannel::parse(&row.try_get::<String, _>("channel")?)
                    .unwrap_or_default(),
                assignee: row.try_get("display_name")?,
                updated_at: row.try_get("updated_at")?,
            },
        ));
    }
    Ok(out)
}

const DESK_COLUMNS: &str = "c.id, c.contact_id, c.subject, c.status, c.channel, c.updated_at, \
     u.display_name FROM cases c LEFT JOIN users u ON u.id = c.assigned_to";

/// The open cases assigned to the user, most recently changed first, with their contacts.
pub async fn open_assigned_to(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<(ContactId, CaseRow)>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {DESK_COLUMNS} WHERE c.assigned_to = $1 AND c.status <> 'closed' \
         ORDER BY c.updated_at DESC, c.id DESC LIMIT $2"
    ))
    .bind(user_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    desk_rows(conn, vault, rows).await
}

/// The given cases (those that exist), with their contacts, in no particular order.
pub async fn desk_cases(
    conn: &mut AnyConnection,
    vault: &Vault,
    ids: &[CaseId],
) -> Result<Vec<(ContactId, CaseRow)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::db::placeholders(1, ids.len());
    let sql = format!("SELECT {DESK_COLUMNS} WHERE c.id IN ({list})");
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    desk_rows(conn, vault, rows).await
}

/// The case card: the case, opened, and its contact's card.
pub async fn load(
    conn: &mut AnyConnection,
    vault: &Vault,
    id: CaseId,
) -> Result<CaseCard, StoreError> {
    let row = sqlx::query(
        "SELECT contact_id, subject, description, status, channel, assigned_to, version, \
         created_at, updated_at FROM cases WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .doing("loading a case card")?
    .ok_or(StoreError::NotFound)?;
    let contact_id: ContactId = row.try_get("contact_id")?;
    let (mut contact, key) = crate::contacts::store::load(conn, vault, contact_id).await?;
    contact.cases = list_for_contact(conn, key.as_ref(), contact_id).await?;
    contact.consents = crate::consents::store::statuses(conn, key.as_ref(), contact_id).await?;
    contact.erasure = crate::erasure::store::latest(conn, contact_id).await?;
    let k = key.as_ref();
    let case = CaseInput {
        id: Some(id),
        version: row.try_get("version")?,
        contact_id,
        subject: open(k, Place::new(CASES, "subject", id), row.try_get("subject")?)
            .map_err(tampered)?,
        description: open(
            k,
            Place::new(CASES, "description", id),
            row.try_get("description")?,
        )
        .map_err(tampered)?,
        status: CaseStatus::parse(&row.try_get::<String, _>("status")?).unwrap_or_default(),
        channel: CaseChannel::parse(&row.try_get::<String, _>("channel")?).unwrap_or_default(),
        assigned_to: row.try_get("assigned_to")?,
    };
    Ok(CaseCard {
        case,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        contact,
    })
}

/// Active users, by name: whom a case can be assigned to.
pub async fn assignees(conn: &mut AnyConnection) -> Result<Vec<Assignee>, StoreError> {
    let rows: Vec<(UserId, String)> = sqlx::query_as(
        "SELECT id, display_name FROM users WHERE disabled = 0 AND kind = 'person' \
         ORDER BY display_name, id",
    )
    .fetch_all(&mut *conn)
    .await
    .doing("listing assignees")?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| Assignee { id, name })
        .collect())
}

/// The contact a case belongs to, if the case exists.
pub async fn contact_of(
    conn: &mut AnyConnection,
    case_id: CaseId,
) -> Result<Option<ContactId>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT contact_id FROM cases WHERE id = $1")
            .bind(case_id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}
