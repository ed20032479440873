//! The right to be forgotten: consultants ask (and may take it back), managers approve,
//! refuse or extend, with legal holds that block approval. Every step is audited.

use crate::codec::JsonOrForm;
use crate::ids::{CaseId, ContactId, ErasureRequestId, HoldId};
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
#[server(
    endpoint = "erasure_request",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn erasure_request(
    contact_id: ContactId,
    case_id: Option<CaseId>,
    ground: String,
) -> Result<Option<ErasureStatus>, AppError> {
    crate::auth::access::serve("erasure_request", |caller| async move {
        let ground = super::model::Ground::parse(&ground)
            .ok_or_else(|| AppError::field("ground", Msg::ErrBadRequest))?;
        let mut tx = caller.state.db.begin_write().await?;
        super::rules::case_of_contact(&mut tx, case_id, contact_id).await?;
        let id =
            super::store::request(&mut tx, caller.user_id(), contact_id, case_id, ground).await?;
        caller
            .audit_in(
                &mut tx,
                "erasure.requested",
                format!("contact:{contact_id} erasure_request:{id}"),
            )
            .await?;
        tx.commit().await?;
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::latest(&mut conn, contact_id)
            .await
            .map_err(AppError::from)
    })
    .await
}

/// "Cofnij usunięcie danych osobowych": possible while no manager has decided.
#[server(endpoint = "erasure_withdraw", output = crate::codec::JsonText)]
pub async fn erasure_withdraw(
    request_id: ErasureRequestId,
) -> Result<Option<ErasureStatus>, AppError> {
    crate::auth::access::serve("erasure_withdraw", |caller| async move {
        let mut tx = caller.state.db.begin_write().await?;
        super::rules::may_withdraw(&mut tx, caller.user_id(), caller.role(), request_id).await?;
        let contact_id = super::store::withdraw(&mut tx, caller.user_id(), request_id).await?;
        caller
            .audit_in(
                &mut tx,
                "erasure.withdrawn",
                format!("contact:{contact_id} erasure_request:{request_id}"),
            )
            .await?;
        tx.commit().await?;
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::latest(&mut conn, contact_id)
            .await
            .map_err(AppError::from)
    })
    .await
}

/// "RODO rekordy do zapomnienia": the pending requests.
#[server(endpoint = "erasure_queue", output = crate::codec::JsonText)]
pub async fn erasure_queue() -> Result<Vec<QueueItem>, AppError> {
    crate::auth::access::serve("erasure_queue", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::queue(&mut conn, &caller.state.vault)
            .await
            .map_err(AppError::from)
    })
    .await
}

/// Approves one or several requests, each in its own transaction. One request that
/// cannot be approved is an error with its reason; several get a report.
#[server(endpoint = "erasure_approve", output = crate::codec::JsonText)]
pub async fn erasure_approve(
    request_ids: Vec<ErasureRequestId>,
) -> Result<ApprovalReport, AppError> {
    crate::auth::access::serve("erasure_approve", |caller| async move {
        if request_ids.is_empty() || request_ids.len() > 500 {
            return Err(AppError::field("request_ids", Msg::ErrRequired));
        }
        let single = request_ids.len() == 1;
        let mut report = ApprovalReport::default();
        for id in request_ids {
            // Everything about one request, its commit included, decides only its own line
            // of the report: the ones approved before stay reported as approved.
            let outcome = async {
                let mut tx = caller.state.db.begin_write().await?;
                let contact_id =
                    super::store::approve(&mut tx, &caller.state.vault, caller.user_id(), id)
                        .await?;
                let subject = format!("contact:{contact_id} erasure_request:{id}");
                caller
                    .audit_in(&mut tx, "erasure.approved", subject)
                    .await?;
                tx.commit().await?;
                caller.state.jobs_wake.notify_one();
                Ok::<_, AppError>(contact_id)
            }
            .await;
            match outcome {
                Ok(_) => report.approved.push(id),
                Err(e) if single => return Err(e),
                Err(e) => report.failed.push((
                    id,
                    match e {
                        AppError::Conflict(m) => m,
                        AppError::NotFound => Msg::ErrNotFound,
                        _ => Msg::ErrInternal,
                    },
                )),
            }
        }
        super::store::flush_wal(&caller.state.db).await;
        Ok(report)
    })
    .await
}

/// Art. 12(4): a refusal states its reason; the consultant sees it on the card.
#[server(endpoint = "erasure_refuse", output = crate::codec::JsonText)]
pub async fn erasure_refuse(request_id: ErasureRequestId, reason: String) -> Result<(), AppError> {
    crate::auth::access::serve("erasure_refuse", |caller| async move {
        let text = self::reason("reason", &reason)?;
        let mut tx = caller.state.db.begin_write().await?;
        let contact_id = super::store::refuse(&mut tx, caller.user_id(), request_id, &text).await?;
        let subject = format!("contact:{contact_id} erasure_request:{request_id}");
        caller.audit_in(&mut tx, "erasure.refused", subject).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Art. 12(3): extends the deadline once, by one or two months, with a reason.
#[server(endpoint = "erasure_extend", output = crate::codec::JsonText)]
pub async fn erasure_extend(
    request_id: ErasureRequestId,
    months: i64,
    reason: String,
) -> Result<(), AppError> {
    crate::auth::access::serve("erasure_extend", |caller| async move {
        if !(1..=2).contains(&months) {
            return Err(AppError::field("months", Msg::ErrBadRequest));
        }
        let text = self::reason("reason", &reason)?;
        let mut tx = caller.state.db.begin_write().await?;
        super::store::extend(&mut tx, request_id, months, &text).await?;
        let subject = format!("erasure_request:{request_id}");
        caller
            .audit_in(&mut tx, "erasure.extended", subject)
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

#[server(endpoint = "legal_holds", output = crate::codec::JsonText)]
pub async fn legal_holds() -> Result<Vec<LegalHold>, AppError> {
    crate::auth::access::serve("legal_holds", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::holds(&mut conn).await.map_err(AppError::from)
    })
    .await
}

/// Art. 17(3)(b), (e): a legal obligation or legal claims keep the data until a date.
#[server(endpoint = "legal_hold_add", output = crate::codec::JsonText)]
pub async fn legal_hold_add(
    contact_id: ContactId,
    reason: String,
    until: String,
) -> Result<HoldId, AppError> {
    crate::auth::access::serve("legal_hold_add", |caller| async move {
        let text = self::reason("reason", &reason)?;
        let until = until.trim().to_string();
        if !crate::time_fmt::is_date(&until) {
            return Err(AppError::field("until", Msg::ErrDate));
        }
        let mut tx = caller.state.db.begin_write().await?;
        let id =
            super::store::add_hold(&mut tx, caller.user_id(), contact_id, &text, &until).await?;
        let subject = format!("contact:{contact_id} legal_hold:{id}");
        caller
            .audit_in(&mut tx, "legal_hold.added", subject)
            .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

#[server(endpoint = "legal_hold_release", output = crate::codec::JsonText)]
pub async fn legal_hold_release(hold_id: HoldId) -> Result<(), AppError> {
    crate::auth::access::serve("legal_hold_release", |caller| async move {
        let mut tx = caller.state.db.begin_write().await?;
        super::store::release_hold(&mut tx, caller.user_id(), hold_id).await?;
        let subject = format!("legal_hold:{hold_id}");
        caller
            .audit_in(&mut tx, "legal_hold.released", subject)
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
