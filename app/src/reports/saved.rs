//! Saved reports (this feature's own table) and the accounts the "user" filter offers.

use sqlx::{AnyConnection, Row};

use super::model::SavedReport;
use crate::i18n::Msg;
use crate::ids::UserId;
use crate::store_error::{Refusal, StoreError};

/// Every saved report, by name.
pub async fn saved_list(conn: &mut AnyConnection) -> Result<Vec<SavedReport>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.id, r.name, r.query, u.display_name, r.created_at FROM saved_reports r \
         LEFT JOIN users u ON u.id = r.created_by ORDER BY r.name, r.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SavedReport {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                query: r.try_get(2)?,
                created_by: r.try_get(3)?,
                created_at: r.try_get(4)?,
            })
        })
        .collect()
}

/// Saves a report under a name; a name already taken is refused.
pub async fn saved_insert(
    conn: &mut AnyConnection,
    user: UserId,
    name: &str,
    query: &str,
) -> Result<i64, StoreError> {
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM saved_reports WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
    if taken.is_some() {
        return Err(StoreError::Refused(Refusal::Field {
            field: "name",
            msg: Msg::ReportNameTaken,
        }));
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO saved_reports (name, query, created_by, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(query)
    .bind(user.get())
    .bind(crate::db::now_ms())
    .fetch_one(&mut *conn)
    .await?)
}

/// Deletes a saved report; an unknown id is not found.
pub async fn saved_delete(conn: &mut AnyConnection, id: i64) -> Result<(), StoreError> {
    let done = sqlx::query("DELETE FROM saved_reports WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Every account by display name, for the "user" filter.
pub async fn people(conn: &mut AnyConnection) -> Result<Vec<(UserId, String)>, StoreError> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, display_name FROM users ORDER BY display_name, id")
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (UserId(id), name))
        .collect())
}
