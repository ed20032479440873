//! The right to be forgotten: consultants ask (and may take it back), managers approve,
//! refuse or extend, with legal holds that block approval. Every step is audited.

use leptos::prelude::*;

use super::model::{ApprovalReport, ErasureStatus, LegalHold, QueueItem};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::Msg;

#[cfg(feature = "ssr")]
fn reason(field: &str, text: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::field(field, Msg::ErrRequired));
    }
    crate::domain::text::check_single_line(text, 1000).map_err(|m| AppError::field(field, m))?;
    Ok(text.to_string())
}

/// "Usuń dane osobowe" → "TAK": the record is marked for erasure; nothing is erased yet.
#[server(endpoint = "erasure_request")]
pub async fn erasure_request(
    contact_id: i64,
    case_id: Option<i64>,
    ground: String,
) -> Result<Option<ErasureStatus>, AppError> {
    let caller = crate::auth::api::Caller::get()?;
    let ground = super::model::Ground::parse(&ground)
        .ok_or_else(|| AppError::field("ground", Msg::ErrBadRequest))?;
    let mut tx = caller.state.db.begin_write().await?;
    let id = super::store::request(&mut tx, caller.user_id(), contact_id, case_id, ground).await?;
    tx.commit().await?;
    caller
        .audit(
            "erasure.requested",
            format!("contact:{contact_id} erasure_request:{id}"),
        )
        .await?;
    let mut conn = caller.state.db.pool().acquire().await?;
    super::store::latest(&mut conn, contact_id).await
}

/// "Cofnij usunięcie danych osobowych": possible while no manager has decided.
#[server(endpoint = "erasure_withdraw")]
pub async fn erasure_withdraw(request_id: i64) -> Result<Option<ErasureStatus>, AppError> {
    let caller = crate::auth::api::Caller::get()?;
    let mut tx = caller.state.db.begin_write().await?;
    let contact_id = super::store::withdraw(&mut tx, caller.user_id(), request_id).await?;
    tx.commit().await?;
    caller
        .audit(
            "erasure.withdrawn",
            format!("contact:{contact_id} erasure_request:{request_id}"),
        )
        .await?;
    let mut conn = caller.state.db.pool().acquire().await?;
    super::store::latest(&mut conn, contact_id).await
}

/// "RODO rekordy do zapomnienia": the pending requests.
#[server(endpoint = "erasure_queue")]
pub async fn erasure_queue() -> Result<Vec<QueueItem>, AppError> {
    let caller = crate::auth::api::Caller::get()?;
    let mut conn = caller.state.db.pool().acquire().await?;
    super::store::queue(&mut conn, &caller.state.vault).await
}

/// Approves one or several requests, each in its own transaction. One request that
/// cannot be approved is an error with its reason; several get a report.
#[server(endpoint = "erasure_approve")]
pub async fn erasure_approve(request_ids: Vec<i64>) -> Result<ApprovalReport, AppError> {
    let caller = crate::auth::api::Caller::get()?;
    if request_ids.is_empty() || request_ids.len() > 500 {
        return Err(AppError::field("request_ids", Msg::ErrRequired));
    }
    let single = request_ids.len() == 1;
    let mut report = ApprovalReport::default();
    for id in request_ids {
        let mut tx = caller.state.db.begin_write().await?;
        match super::store::approve(&mut tx, &caller.state.vault, caller.user_id(), id).await {
            Ok(contact_id) => {
                tx.commit().await?;
                caller
                    .audit(
                        "erasure.approved",
                        format!("contact:{contact_id} erasure_request:{id}"),
                    )
                    .await?;
                report.approved.push(id);
            }
            Err(e) => {
                drop(tx);
                if single {
                    return Err(e);
                }
                let msg = match e {
                    AppError::Conflict(m) => m,
                    AppError::NotFound => Msg::ErrNotFound,
                    _ => Msg::ErrInternal,
                };
                report.failed.push((id, msg));
            }
        }
    }
    super::store::flush_wal(&caller.state.db).await;
    Ok(report)
}

/// Art. 12(4): a refusal states its reason; the consultant sees it on the card.
#[server(endpoint = "erasure_refuse")]
pub async fn erasure_refuse(request_id: i64, reason: String) -> Result<(), AppError> {
    let caller = crate::auth::api::Caller::get()?;
    let text = self::reason("reason", &reason)?;
    let mut tx = caller.state.db.begin_write().await?;
    let contact_id = super::store::refuse(&mut tx, caller.user_id(), request_id, &text).await?;
    tx.commit().await?;
    caller
        .audit(
            "erasure.refused",
            format!("contact:{contact_id} erasure_request:{request_id}"),
        )
        .await
}

/// Art. 12(3): extends the deadline once, by one or two months, with a reason.
#[server(endpoint = "erasure_extend")]
pub async fn erasure_extend(request_id: i64, months: i64, reason: String) -> Result<(), AppError> {
    let caller = crate::auth::api::Caller::get()?;
    if !(1..=2).contains(&months) {
        return Err(AppError::field("months", Msg::ErrBadRequest));
    }
    let text = self::reason("reason", &reason)?;
    let mut conn = caller.state.db.pool().acquire().await?;
    super::store::extend(&mut conn, request_id, months, &text).await?;
    caller
        .audit("erasure.extended", format!("erasure_request:{request_id}"))
        .await
}

#[server(endpoint = "legal_holds")]
pub async fn legal_holds() -> Result<Vec<LegalHold>, AppError> {
    let caller = crate::auth::api::Caller::get()?;
    let mut conn = caller.state.db.pool().acquire().await?;
    super::store::holds(&mut conn).await
}

/// Art. 17(3)(b), (e): a legal obligation or legal claims keep the data until a date.
#[server(endpoint = "legal_hold_add")]
pub async fn legal_hold_add(
    contact_id: i64,
    reason: String,
    until: String,
) -> Result<i64, AppError> {
    let caller = crate::auth::api::Caller::get()?;
    let text = self::reason("reason", &reason)?;
    let until = until.trim().to_string();
    if !crate::time_fmt::is_date(&until) {
        return Err(AppError::field("until", Msg::ErrDate));
    }
    let mut conn = caller.state.db.pool().acquire().await?;
    let id = super::store::add_hold(&mut conn, caller.user_id(), contact_id, &text, &until).await?;
    caller
        .audit(
            "legal_hold.added",
            format!("contact:{contact_id} legal_hold:{id}"),
        )
        .await?;
    Ok(id)
}

#[server(endpoint = "legal_hold_release")]
pub async fn legal_hold_release(hold_id: i64) -> Result<(), AppError> {
    let caller = crate::auth::api::Caller::get()?;
    let mut conn = caller.state.db.pool().acquire().await?;
    super::store::release_hold(&mut conn, caller.user_id(), hold_id).await?;
    caller
        .audit("legal_hold.released", format!("legal_hold:{hold_id}"))
        .await
}
