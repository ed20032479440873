//! Cases in the database. Subject and description may name the person, so they are
//! sealed under the contact's data key; status, channel and assignee stay plain.

use sqlx::{AnyConnection, Row};

use super::model::{Assignee, CaseCard, CaseChannel, CaseInput, CaseRow, CaseStatus};
use crate::contacts::store::{open, seal};
use crate::db::now_ms;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::vault::store::{load_key, tampered};
use crate::vault::{DataKey, Place, Vault};

const CASES: &str = "cases";

async fn check_assignee(conn: &mut AnyConnection, user_id: Option<i64>) -> Result<(), AppError> {
    let Some(user_id) = user_id else {
        return Ok(());
    };
    let active: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND disabled = 0")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    active
        .map(|_| ())
        .ok_or_else(|| AppError::field("assigned_to", Msg::ErrAssigneeUnknown))
}

/// Every required consent must have a decision before a case of the contact is saved.
async fn require_consents(conn: &mut AnyConnection, contact_id: i64) -> Result<(), AppError> {
    let missing = crate::consents::store::missing_required(conn, contact_id).await?;
    if missing.is_empty() {
        Ok(())
    } else {
        Err(AppError::ConsentsRequired(missing))
    }
}

async fn write_texts(
    conn: &mut AnyConnection,
    key: &DataKey,
    id: i64,
    input: &CaseInput,
) -> Result<(), AppError> {
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
    contact_id: i64,
) -> Result<DataKey, AppError> {
    load_key(conn, vault, contact_id)
        .await
        .map_err(|e| match e {
            AppError::NotFound => AppError::field("contact_id", Msg::ErrNotFound),
            other => other,
        })?
        .ok_or(AppError::Conflict(Msg::ErrContactErased))
}

pub async fn insert(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: i64,
    input: &CaseInput,
) -> Result<i64, AppError> {
    check_assignee(conn, input.assigned_to).await?;
    let key = contact_key(conn, vault, input.contact_id).await?;
    require_consents(conn, input.contact_id).await?;
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
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
    .await?;
    write_texts(conn, &key, id, input).await?;
    Ok(id)
}

/// Edits the version the consultant saw. The case stays with its contact.
pub async fn update(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: i64,
    input: &CaseInput,
    id: i64,
) -> Result<(), AppError> {
    check_assignee(conn, input.assigned_to).await?;
    let contact_id: i64 = sqlx::query_scalar("SELECT contact_id FROM cases WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
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
        return Err(AppError::Conflict(Msg::ErrStaleRecord));
    }
    write_texts(conn, &key, id, input).await
}

/// The cases of a contact, newest first, with subjects opened under its key.
pub async fn list_for_contact(
    conn: &mut AnyConnection,
    key: Option<&DataKey>,
    contact_id: i64,
) -> Result<Vec<CaseRow>, AppError> {
    let rows = sqlx::query(
        "SELECT c.id, c.subject, c.status, c.channel, c.updated_at, u.display_name \
         FROM cases c LEFT JOIN users u ON u.id = c.assigned_to \
         WHERE c.contact_id = $1 ORDER BY c.id DESC",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
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
) -> Result<Vec<(i64, CaseRow)>, AppError> {
    let mut keys: std::collections::HashMap<i64, Option<DataKey>> = Default::default();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let contact_id: i64 = row.try_get("contact_id")?;
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
    user_id: i64,
    limit: i64,
) -> Result<Vec<(i64, CaseRow)>, AppError> {
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
    ids: &[i64],
) -> Result<Vec<(i64, CaseRow)>, AppError> {
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
pub async fn load(conn: &mut AnyConnection, vault: &Vault, id: i64) -> Result<CaseCard, AppError> {
    let row = sqlx::query(
        "SELECT contact_id, subject, description, status, channel, assigned_to, version, \
         created_at, updated_at FROM cases WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let contact_id: i64 = row.try_get("contact_id")?;
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
pub async fn assignees(conn: &mut AnyConnection) -> Result<Vec<Assignee>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, display_name FROM users WHERE disabled = 0 ORDER BY display_name, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| Assignee { id, name })
        .collect())
}

/// The contact a case belongs to, if the case exists.
pub async fn contact_of(conn: &mut AnyConnection, case_id: i64) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT contact_id FROM cases WHERE id = $1")
            .bind(case_id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}
