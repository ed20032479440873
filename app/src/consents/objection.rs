//! Objections under Art. 21(1) GDPR: the person objects to one purpose based on
//! legitimate interest. Each is a row that opens when recorded and closes when the
//! person withdraws it or a manager records compelling legitimate grounds; while open,
//! the contact check stops that purpose.

use std::collections::HashMap;

use crate::ids::{ContactId, DefinitionId, UserId};
use crate::store_error::{Refusal, StoreError};
use sqlx::{AnyConnection, Row};

use super::model::{LegalBasis, ObjectionLift};
use crate::db::now_ms;
use crate::i18n::Msg;

/// The open objections of a contact: purpose and since when.
pub async fn open_for(
    conn: &mut AnyConnection,
    contact_id: ContactId,
) -> Result<HashMap<DefinitionId, i64>, StoreError> {
    let rows: Vec<(DefinitionId, i64)> = sqlx::query_as(
        "SELECT definition_id, recorded_at FROM purpose_objections \
         WHERE contact_id = $1 AND lifted_at IS NULL",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().collect())
}

pub async fn in_force(
    conn: &mut AnyConnection,
    contact_id: ContactId,
    definition_id: DefinitionId,
) -> Result<bool, StoreError> {
    let open: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM purpose_objections \
         WHERE contact_id = $1 AND definition_id = $2 AND lifted_at IS NULL",
    )
    .bind(contact_id)
    .bind(definition_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(open.is_some())
}

/// Records an objection; `Ok(false)` when one is already in force (saying it again
/// changes nothing). Only a purpose based on legitimate interest can be objected to
/// this way: consent is withdrawn, direct marketing has its own objection (Art. 21(2)).
pub async fn record(
    conn: &mut AnyConnection,
    user_id: UserId,
    contact_id: ContactId,
    definition_id: DefinitionId,
) -> Result<bool, StoreError> {
    crate::contacts::store::require_not_erased(conn, contact_id).await?;
    let basis: Option<String> =
        sqlx::query_scalar("SELECT legal_basis FROM consent_definitions WHERE id = $1")
            .bind(definition_id)
            .fetch_optional(&mut *conn)
            .await?;
    match basis.as_deref().map(LegalBasis::parse) {
        None => {
            return Err(StoreError::Refused(Refusal::Missing {
                field: "definition_id",
            }))
        }
        Some(Some(LegalBasis::LegitimateInterest)) => {}
        Some(_) => {
            return Err(StoreError::Refused(Refusal::Field {
                field: "definition_id",
                msg: Msg::ErrObjectionLegitimateInterestOnly,
            }))
        }
    }
    // The partial unique index keeps one open objection per purpose, also when two
    // consultants record it at once.
    let done = sqlx::query(
        "INSERT INTO purpose_objections (contact_id, definition_id, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(contact_id)
    .bind(definition_id)
    .bind(user_id)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Closes the open objection to this purpose, on this ground.
pub async fn lift(
    conn: &mut AnyConnection,
    user_id: UserId,
    contact_id: ContactId,
    definition_id: DefinitionId,
    ground: ObjectionLift,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE purpose_objections SET lifted_at = $1, lifted_by = $2, lift_ground = $3 \
         WHERE contact_id = $4 AND definition_id = $5 AND lifted_at IS NULL",
    )
    .bind(now_ms())
    .bind(user_id)
    .bind(ground.as_str())
    .bind(contact_id)
    .bind(definition_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Refused(Refusal::Field {
            field: "definition_id",
            msg: Msg::ErrObjectionNotInForce,
        }));
    }
    Ok(())
}

/// One objection as the person's activities show it.
pub struct ObjectionEntry {
    pub purpose: String,
    pub recorded_at: i64,
    pub recorded_by: Option<String>,
    pub lifted: Option<(i64, Option<String>, ObjectionLift)>,
}

/// Every objection of a contact, newest first, with the purpose's name.
pub async fn history(
    conn: &mut AnyConnection,
    contact_id: ContactId,
) -> Result<Vec<ObjectionEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT d.name, o.recorded_at, r.display_name AS recorded_name, o.lifted_at, \
         l.display_name AS lifted_name, o.lift_ground FROM purpose_objections o \
         JOIN consent_definitions d ON d.id = o.definition_id \
         LEFT JOIN users r ON r.id = o.recorded_by LEFT JOIN users l ON l.id = o.lifted_by \
         WHERE o.contact_id = $1 ORDER BY o.id DESC",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let lifted = match r.try_get::<Option<i64>, _>("lifted_at")? {
            Some(at) => Some((
                at,
                r.try_get("lifted_name")?,
                r.try_get::<Option<String>, _>("lift_ground")?
                    .as_deref()
                    .and_then(ObjectionLift::parse)
                    .unwrap_or_default(),
            )),
            None => None,
        };
        out.push(ObjectionEntry {
            purpose: r.try_get("name")?,
            recorded_at: r.try_get("recorded_at")?,
            recorded_by: r.try_get("recorded_name")?,
            lifted,
        });
    }
    Ok(out)
}
