use crate::ids::{SourceId, UserId};
use crate::store_error::{Refusal, StoreError};
use sqlx::{AnyConnection, Row};

use super::model::{DataSource, SourceKind};
use crate::db::now_ms;

pub async fn list(conn: &mut AnyConnection) -> Result<Vec<DataSource>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, name, kind, seller, acquired_on, acquisition_basis, active FROM data_sources ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DataSource {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                kind: SourceKind::parse(&r.try_get::<String, _>("kind")?).unwrap_or_default(),
                seller: r.try_get("seller")?,
                acquired_on: r.try_get("acquired_on")?,
                acquisition_basis: r.try_get("acquisition_basis")?,
                active: r.try_get::<i64, _>("active")? == 1,
            })
        })
        .collect()
}

pub async fn save(
    conn: &mut AnyConnection,
    user_id: UserId,
    s: &DataSource,
) -> Result<SourceId, StoreError> {
    if s.id == SourceId::default() {
        Ok(sqlx::query_scalar(
            "INSERT INTO data_sources (name, kind, seller, acquired_on, acquisition_basis, active, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&s.name)
        .bind(s.kind.as_str())
        .bind(&s.seller)
        .bind(&s.acquired_on)
        .bind(&s.acquisition_basis)
        .bind(i64::from(s.active))
        .bind(user_id)
        .bind(now_ms())
        .fetch_one(&mut *conn)
        .await?)
    } else {
        let done = sqlx::query(
            "UPDATE data_sources SET name = $1, kind = $2, seller = $3, acquired_on = $4, \
             acquisition_basis = $5, active = $6 WHERE id = $7",
        )
        .bind(&s.name)
        .bind(s.kind.as_str())
        .bind(&s.seller)
        .bind(&s.acquired_on)
        .bind(&s.acquisition_basis)
        .bind(i64::from(s.active))
        .bind(s.id)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(s.id)
    }
}

/// An active source, or the field error for it.
pub async fn require_active(conn: &mut AnyConnection, id: SourceId) -> Result<(), StoreError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM data_sources WHERE id = $1 AND active = 1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    found
        .map(|_| ())
        .ok_or_else(|| StoreError::Refused(Refusal::Missing { field: "source_id" }))
}
