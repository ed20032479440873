//! The consents' server functions. `can_contact` is the stable endpoint dialers and
//! mailing tools ask before they reach anyone.
// A definition arrives as a plain HTML form: one argument per field, on both sides.
#![allow(clippy::too_many_arguments)]

use crate::ids::{ContactId, DefinitionId};
use leptos::prelude::*;
use leptos::server_fn::codec::{Json, MultipartData, MultipartFormData};

use super::model::{ConsentStatus, ContactCheck, Definition, NumberCheck};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::Msg;

#[server(endpoint = "consent_definitions")]
pub async fn consent_definitions() -> Result<Vec<Definition>, AppError> {
    crate::auth::access::serve("consent_definitions", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::definitions(&mut conn, false)
            .await
            .map_err(AppError::from)
    })
    .await
}

/// Creates (no `id`) or edits a definition. Checkboxes arrive only when ticked.
#[server(endpoint = "consent_definition_save")]
pub async fn consent_definition_save(
    id: Option<DefinitionId>,
    name: String,
    statement: String,
    purpose: String,
    legal_basis: String,
    balancing_note: Option<String>,
    channel: String,
    marketing: Option<String>,
    required: Option<String>,
    active: Option<String>,
    position: Option<String>,
) -> Result<DefinitionId, AppError> {
    crate::auth::access::serve("consent_definition_save", |caller| async move {
        use super::model::{ConsentChannel, LegalBasis};
        let bad = |field: &str| AppError::field(field, Msg::ErrBadRequest);
        let position = match position.as_deref().map(str::trim) {
            None | Some("") => 0,
            Some(p) => p
                .parse()
                .map_err(|_| AppError::field("position", Msg::ErrNotANumber))?,
        };
        let definition = Definition {
            id: id.unwrap_or_default(),
            name,
            statement,
            version: 0,
            purpose,
            legal_basis: LegalBasis::parse(&legal_basis).ok_or_else(|| bad("legal_basis"))?,
            balancing_note: balancing_note.unwrap_or_default(),
            channel: ConsentChannel::parse(&channel).ok_or_else(|| bad("channel"))?,
            marketing: marketing.is_some(),
            required: required.is_some(),
            active: active.is_some(),
            position,
        };
        let valid = super::validate::validate(&definition).map_err(AppError::Validation)?;
        let mut tx = caller.state.db.begin_write().await?;
        let saved = super::store::save_definition(&mut tx, caller.user_id(), &valid).await?;
        caller
            .audit_in(
                &mut tx,
                "consent_definition.saved",
                format!("consent_definition:{saved}"),
            )
            .await?;
        tx.commit().await?;
        Ok(saved)
    })
    .await
}

/// Records a grant, refusal or withdrawal, with optional evidence (a recording or an
/// e-mail). Fields: `contact_id`, `definition_id`, `decision`, `method`, `case_id`
/// (optional), `evidence` (optional file). Answers the contact's consents afterwards.
#[server(endpoint = "consent_record", input = MultipartFormData)]
pub async fn consent_record(data: MultipartData) -> Result<Vec<ConsentStatus>, AppError> {
    crate::auth::access::serve("consent_record", |caller| async move {
        let new = super::upload::read_decision(data).await?;
        let contact_id = new.contact_id;
        let definition_id = new.definition_id;
        let vault = &caller.state.vault;
        let mut tx = caller.state.db.begin_write().await?;
        super::store::record(&mut tx, vault, caller.user_id(), new).await?;
        caller
            .audit_in(
                &mut tx,
                "consent.recorded",
                format!("contact:{contact_id} consent_definition:{definition_id}"),
            )
            .await?;
        tx.commit().await?;
        let mut conn = caller.state.db.pool().acquire().await?;
        let key = crate::vault::store::load_key(&mut conn, vault, contact_id).await?;
        super::store::statuses(&mut conn, key.as_ref(), contact_id)
            .await
            .map_err(AppError::from)
    })
    .await
}

/// The dialer's check by phone number, for one number or up to 10,000 at once: each
/// answered in order with `allowed` and, when not, the reason. A number no contact has
/// answers `no_consent`. `channel` is `call` (default), `sms` or `automated_call`;
/// `purpose` is `marketing` (default) or `service`.
#[server(endpoint = "dialer_check", input = Json)]
pub async fn dialer_check(
    numbers: Vec<String>,
    #[server(default)] channel: Option<String>,
    #[server(default)] purpose: Option<String>,
) -> Result<Vec<NumberCheck>, AppError> {
    crate::auth::access::serve("dialer_check", |caller| async move {
        use super::model::ConsentChannel;
        let (channel, purpose) = super::upload::channel_and_purpose(
            channel.as_deref().unwrap_or("call"),
            purpose.as_deref().unwrap_or("marketing"),
        )?;
        if channel == ConsentChannel::Email {
            return Err(AppError::field("channel", Msg::ErrBadRequest));
        }
        if numbers.len() > super::dialer::MAX_NUMBERS {
            return Err(AppError::field("numbers", Msg::ErrDialerTooMany));
        }
        let mut conn = caller.state.db.pool().acquire().await?;
        let vault = &caller.state.vault;
        let mut answers =
            super::dialer::check_numbers(&mut conn, vault, &numbers, channel, purpose).await?;
        drop(conn);
        if caller.session.grant.is_some() {
            // A token learns whether it may call, not the person's standing (objection,
            // restriction, erasure): a number sweep must not map who asked for what.
            use super::model::BlockReason;
            for answer in answers.iter_mut().filter(|a| !a.allowed) {
                if answer.reason != Some(BlockReason::InvalidNumber) {
                    answer.reason = Some(BlockReason::NoConsent);
                }
            }
        }
        caller
            .audit(
                "dialer.checked",
                format!(
                    "numbers:{} channel:{} purpose:{}",
                    numbers.len(),
                    channel.as_str(),
                    purpose.as_str()
                ),
            )
            .await?;
        Ok(answers)
    })
    .await
}

/// The contact check: allowed, or not with the reason (no consent, withdrawn,
/// objection, erasure pending, erased, restricted, no such channel). A refusal is
/// logged as a blocked attempt.
#[server(endpoint = "can_contact")]
pub async fn can_contact(
    contact_id: ContactId,
    channel: String,
    purpose: String,
) -> Result<ContactCheck, AppError> {
    crate::auth::access::serve("can_contact", |caller| async move {
        let (channel, purpose) = super::upload::channel_and_purpose(&channel, &purpose)?;
        let mut conn = caller.state.db.pool().acquire().await?;
        let check = super::store::check(&mut conn, contact_id, channel, purpose).await?;
        if !check.allowed {
            let entry = super::store::Communication {
                contact_id,
                channel,
                purpose,
                user_id: Some(caller.user_id()),
                note: "",
            };
            super::store::log_communication(&mut conn, None, &entry, &check).await?;
        }
        Ok(check)
    })
    .await
}

/// Logs a call, e-mail or SMS with the contact. Marketing goes through the contact
/// check first: a blocked attempt is logged as such and answered with the reason.
#[server(endpoint = "communication_log")]
pub async fn communication_log(
    contact_id: ContactId,
    channel: String,
    purpose: String,
    note: Option<String>,
) -> Result<ContactCheck, AppError> {
    crate::auth::access::serve("communication_log", |caller| async move {
        let (channel, purpose) = super::upload::channel_and_purpose(&channel, &purpose)?;
        let note = note.unwrap_or_default();
        crate::domain::text::check_plain_text(note.trim(), 2000)
            .map_err(|m| AppError::field("note", m))?;
        let vault = &caller.state.vault;
        let mut conn = caller.state.db.pool().acquire().await?;
        let check = super::store::check(&mut conn, contact_id, channel, purpose).await?;
        let key = crate::vault::store::load_key(&mut conn, vault, contact_id).await?;
        let entry = super::store::Communication {
            contact_id,
            channel,
            purpose,
            user_id: Some(caller.user_id()),
            note: note.trim(),
        };
        super::store::log_communication(&mut conn, key.as_ref(), &entry, &check).await?;
        Ok(check)
    })
    .await
}

/// The person objects to direct marketing (Art. 21(2)), or withdraws the objection.
#[server(endpoint = "marketing_objection_set")]
pub async fn marketing_objection_set(
    contact_id: ContactId,
    objected: bool,
) -> Result<(), AppError> {
    crate::auth::access::serve("marketing_objection_set", |caller| async move {
        let mut tx = caller.state.db.begin_write().await?;
        super::store::set_objection(&mut tx, contact_id, objected).await?;
        let action = if objected {
            "marketing_objection.recorded"
        } else {
            "marketing_objection.withdrawn"
        };
        caller
            .audit_in(&mut tx, action, format!("contact:{contact_id}"))
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
