//! Requests for a copy of one's data, with their Art. 12(3) deadline (a month from the
//! request). A copy handed out, whichever way it leaves, delivers every open request of
//! the person.

use sqlx::{AnyConnection, Row};

use super::model::{AccessKind, AccessRequest};
use crate::ids::{ContactId, UserId};
use crate::store_error::StoreError;
use crate::time_fmt::add_months;

/// Records a request; a request of the same kind still open is the same request.
pub async fn record(
    conn: &mut AnyConnection,
    user: UserId,
    contact_id: ContactId,
    kind: AccessKind,
    now: i64,
) -> Result<i64, StoreError> {
    crate::contacts::store::require_not_erased(conn, contact_id).await?;
    let open: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM access_requests WHERE contact_id = $1 AND kind = $2 \
         AND delivered_at IS NULL",
    )
    .bind(contact_id)
    .bind(kind.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = open {
        return Ok(id);
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO access_requests (contact_id, kind, requested_by, requested_at, deadline_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(contact_id)
    .bind(kind.as_str())
    .bind(user.get())
    .bind(now)
    .bind(add_months(now, 1))
    .fetch_one(&mut *conn)
    .await?)
}

/// Marks every open request of the person delivered by the copy just handed out.
pub async fn deliver(
    conn: &mut AnyConnection,
    user: UserId,
    contact_id: ContactId,
    now: i64,
) -> Result<u64, StoreError> {
    Ok(sqlx::query(
        "UPDATE access_requests SET delivered_at = $1, delivered_by = $2 \
         WHERE contact_id = $3 AND delivered_at IS NULL",
    )
    .bind(now)
    .bind(user.get())
    .bind(contact_id)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

/// The person's requests, newest first.
pub async fn of_contact(
    conn: &mut AnyConnection,
    contact_id: ContactId,
    now: i64,
) -> Result<Vec<AccessRequest>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.id, r.kind, r.requested_at, r.deadline_at, r.delivered_at, u.display_name \
         FROM access_requests r LEFT JOIN users u ON u.id = r.requested_by \
         WHERE r.contact_id = $1 ORDER BY r.requested_at DESC, r.id DESC",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let deadline_at: i64 = r.try_get(3)?;
            let delivered_at: Option<i64> = r.try_get(4)?;
            Ok(AccessRequest {
                id: r.try_get(0)?,
                kind: AccessKind::parse(&r.try_get::<String, _>(1)?).unwrap_or_default(),
                requested_at: r.try_get(2)?,
                deadline_at,
                delivered_at,
                requested_by: r.try_get(5)?,
                overdue: delivered_at.is_none() && now > deadline_at,
            })
        })
        .collect()
}
