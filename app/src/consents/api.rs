//! The consents' server functions. `can_contact` is the stable endpoint dialers and
//! mailing tools ask before they reach anyone.

// A definition arrives as a plain HTML form: one argument per field, on both sides.
#![allow(clippy::too_many_arguments)]

use crate::codec::JsonOrForm;
use crate::ids::{ContactId, DefinitionId};
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use super::model::{ConsentStatus, ContactCheck, Definition, NumberCheck};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::Msg;

/// The consent definitions in use: each one's name, statement (the text read to the
/// person, with its version), purpose, channel and legal basis, and whether a case needs
/// a decision on it. Their ids are what `consent_record` and the checks take.
#[server(
    endpoint = "consent_definitions",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
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
#[server(endpoint = "consent_definition_save", output = crate::codec::JsonText)]
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
    #[server(default)] sharing: Option<String>,
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
            sharing: sharing.is_some(),
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

/// Adds the example set of consents (`consents::examples`) while none is defined yet.
#[server(endpoint = "consent_examples_adopt", output = crate::codec::JsonText)]
pub async fn consent_examples_adopt() -> Result<Vec<DefinitionId>, AppError> {
    crate::auth::access::serve("consent_examples_adopt", |caller| async move {
        let mut tx = caller.state.db.begin_write().await?;
        let set = super::examples::examples();
        let backend = caller.state.db.backend();
        let ids = super::store::define_first(&mut tx, backend, caller.user_id(), &set)
            .await?
            .ok_or(AppError::Conflict(Msg::ErrConsentExamplesNotEmpty))?;
        caller
            .audit_in(
                &mut tx,
                "consent_definition.examples_adopted",
                format!("consent_definitions:{}", ids.len()),
            )
            .await?;
        tx.commit().await?;
        Ok(ids)
    })
    .await
}

/// Records a grant, refusal or withdrawal, with optional evidence (a recording or an
/// e-mail). Fields: `contact_id`, `definition_id`, `decision`, `method`, `case_id`
/// (optional), `statement_version` (optional), `evidence` (optional file). Answers the
/// contact's consents afterwards.
#[server(endpoint = "consent_record", input = MultipartFormData, output = crate::codec::JsonText)]
pub async fn consent_record(data: MultipartData) -> Result<Vec<ConsentStatus>, AppError> {
    crate::auth::access::serve("consent_record", |caller| async move {
        let new = super::upload::read_decision(data).await?;
        record_and_answer(&caller, new).await
    })
    .await
}

/// A consent given on a web form, sent by the form's server with what proves it: the
/// statement version the form showed, the page's address, the person's IP address and
/// browser. The decision is recorded on that version, with a JSON evidence document
/// sealed under the contact's key. Answers the contact's consents afterwards.
#[server(
    endpoint = "consent_web_form",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn consent_web_form(
    form: super::web_form::WebFormConsent,
) -> Result<Vec<ConsentStatus>, AppError> {
    crate::auth::access::serve("consent_web_form", |caller| async move {
        use super::web_form::{evidence_document, validate, Relay};
        let now = crate::db::now_ms();
        validate(&form, now).map_err(AppError::Validation)?;
        let statement = {
            let mut conn = caller.state.db.pool().acquire().await?;
            super::store::statement_version(
                &mut conn,
                form.definition_id,
                Some(form.statement_version),
            )
            .await?
        };
        let relay = Relay {
            definition: &statement.definition_name,
            statement: &statement.text,
            relayed_by: &caller.session.user.display_name,
            relayed_from: &caller.ip,
            received_at_ms: now,
        };
        let new = super::store::NewDecision {
            contact_id: form.contact_id,
            definition_id: form.definition_id,
            decision: form.decision,
            method: super::model::Method::WebForm,
            case_id: None,
            statement_version: Some(form.statement_version),
            evidence: Some(super::store::Evidence {
                file_name: "formularz-www.json".to_string(),
                media_type: super::sniff::WEB_FORM,
                bytes: evidence_document(&form, &relay),
            }),
        };
        record_and_answer(&caller, new).await
    })
    .await
}

/// Records a decision in one transaction with its audit entry, then reads the contact's
/// consents back.
#[cfg(feature = "ssr")]
async fn record_and_answer(
    caller: &crate::auth::access::Caller,
    new: super::store::NewDecision,
) -> Result<Vec<ConsentStatus>, AppError> {
    let contact_id = new.contact_id;
    let definition_id = new.definition_id;
    let vault = &caller.state.vault;
    let mut tx = caller.state.db.begin_write().await?;
    super::store::record(&mut tx, vault, Some(caller.user_id()), new).await?;
    caller
        .audit_in(
            &mut tx,
            "consent.recorded",
            format!("contact:{contact_id} consent_definition:{definition_id}"),
        )
        .await?;
    tx.commit().await?;
    caller.state.jobs_wake.notify_one();
    statuses_of(caller, contact_id).await
}

/// The contact's consents as the panel shows them, after a change.
#[cfg(feature = "ssr")]
async fn statuses_of(
    caller: &crate::auth::access::Caller,
    contact_id: ContactId,
) -> Result<Vec<ConsentStatus>, AppError> {
    let mut conn = caller.state.db.pool().acquire().await?;
    let key = crate::vault::store::load_key(&mut conn, &caller.state.vault, contact_id).await?;
    super::store::statuses(&mut conn, key.as_ref(), contact_id)
        .await
        .map_err(AppError::from)
}

/// The dialer's check by phone number, for one number or up to 10,000 at once: each
/// answered in order with `allowed` and, when not, the reason. A number no contact has
/// answers `no_consent`. `channel` is `call` (default), `sms` or `automated_call`;
/// `purpose` is `marketing` (default) or `service`.
#[server(
    endpoint = "dialer_check",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
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
#[server(
    endpoint = "can_contact",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn can_contact(
    contact_id: ContactId,
    channel: String,
    purpose: String,
    /// Optional: the purpose as a consent definition (its id from `consent_definitions`).
    /// Then that purpose decides too: an objection to it (Art. 21(1)) or, for a purpose
    /// based on consent, that consent not granted.
    #[server(default)]
    definition_id: Option<DefinitionId>,
) -> Result<ContactCheck, AppError> {
    crate::auth::access::serve("can_contact", |caller| async move {
        let (channel, purpose) = super::upload::channel_and_purpose(&channel, &purpose)?;
        let mut conn = caller.state.db.pool().acquire().await?;
        let (check, purpose) = match definition_id {
            Some(definition_id) => {
                super::check::check_purpose(&mut conn, contact_id, channel, purpose, definition_id)
                    .await?
            }
            None => (
                super::check::check(&mut conn, contact_id, channel, purpose).await?,
                purpose,
            ),
        };
        if !check.allowed {
            let entry = super::store::Communication {
                contact_id,
                channel,
                purpose,
                user_id: Some(caller.user_id()),
                note: "",
            };
            // In the write turn: on SQLite a write outside it waits on the file lock's
            // coarse retries instead of in line (hundreds of ms under load).
            drop(conn);
            let mut tx = caller.state.db.begin_write().await?;
            super::store::log_communication(&mut tx, None, &entry, &check).await?;
            tx.commit().await?;
        }
        Ok(check)
    })
    .await
}

/// Logs a call, e-mail or SMS with the contact. Marketing goes through the contact
/// check first: a blocked attempt is logged as such and answered with the reason.
#[server(
    endpoint = "communication_log",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
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
        let check = super::check::check(&mut conn, contact_id, channel, purpose).await?;
        let key = crate::vault::store::load_key(&mut conn, vault, contact_id).await?;
        let entry = super::store::Communication {
            contact_id,
            channel,
            purpose,
            user_id: Some(caller.user_id()),
            note: note.trim(),
        };
        drop(conn);
        let mut tx = caller.state.db.begin_write().await?;
        super::store::log_communication(&mut tx, key.as_ref(), &entry, &check).await?;
        tx.commit().await?;
        Ok(check)
    })
    .await
}

/// The person objects to direct marketing (Art. 21(2)), or withdraws the objection.
#[server(
    endpoint = "marketing_objection_set",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
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
        caller.state.jobs_wake.notify_one();
        Ok(())
    })
    .await
}

/// The person objects to one purpose based on legitimate interest (Art. 21(1)): the
/// purpose stops for them until the objection is lifted. Saying it again changes nothing.
#[server(
    endpoint = "purpose_objection_record",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn purpose_objection_record(
    contact_id: ContactId,
    definition_id: DefinitionId,
) -> Result<Vec<ConsentStatus>, AppError> {
    crate::auth::access::serve("purpose_objection_record", |caller| async move {
        let mut tx = caller.state.db.begin_write().await?;
        let new =
            super::objection::record(&mut tx, caller.user_id(), contact_id, definition_id).await?;
        if new {
            caller
                .audit_in(
                    &mut tx,
                    "purpose_objection.recorded",
                    format!("contact:{contact_id} consent_definition:{definition_id}"),
                )
                .await?;
        }
        tx.commit().await?;
        statuses_of(&caller, contact_id).await
    })
    .await
}

/// Lifts an objection to a purpose: `ground` is `withdrawn` (the person withdrew it) or
/// `compelling_grounds` (the controller showed compelling legitimate grounds that
/// override it, Art. 21(1); managers only).
#[server(
    endpoint = "purpose_objection_lift",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn purpose_objection_lift(
    contact_id: ContactId,
    definition_id: DefinitionId,
    ground: String,
) -> Result<Vec<ConsentStatus>, AppError> {
    crate::auth::access::serve("purpose_objection_lift", |caller| async move {
        use super::model::ObjectionLift;
        let ground = ObjectionLift::parse(&ground)
            .ok_or_else(|| AppError::field("ground", Msg::ErrBadRequest))?;
        // Overriding a person's objection is the controller's decision, not a call's.
        if ground == ObjectionLift::CompellingGrounds && !caller.role().sees_manager_part() {
            return Err(AppError::field("ground", Msg::ErrObjectionOverrideManagers));
        }
        let mut tx = caller.state.db.begin_write().await?;
        super::objection::lift(&mut tx, caller.user_id(), contact_id, definition_id, ground)
            .await?;
        caller
            .audit_in(
                &mut tx,
                "purpose_objection.lifted",
                format!(
                    "contact:{contact_id} consent_definition:{definition_id} ground:{}",
                    ground.as_str()
                ),
            )
            .await?;
        tx.commit().await?;
        statuses_of(&caller, contact_id).await
    })
    .await
}

/// A link for the person to withdraw this consent with one button, for e-mails sent
/// under it: `{"path": "/wycofanie-zgody/…", "url": "https://…"}` (`url` when Zgoda's
/// public address is configured).
/// The link does not expire (the person may keep the e-mail for years; withdrawing is
/// a right at any time) and shows no personal data.
#[server(
    endpoint = "consent_withdrawal_link",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn consent_withdrawal_link(
    contact_id: ContactId,
    definition_id: DefinitionId,
) -> Result<super::withdrawal::WithdrawalLink, AppError> {
    crate::auth::access::serve("consent_withdrawal_link", |caller| async move {
        let vault = &caller.state.vault;
        let mut conn = caller.state.db.pool().acquire().await?;
        crate::vault::store::load_key(&mut conn, vault, contact_id)
            .await?
            .ok_or(AppError::Conflict(Msg::ErrContactErased))?;
        super::store::decision_on(&mut conn, contact_id, definition_id).await?;
        drop(conn);
        caller
            .audit(
                "consent.withdrawal_link_issued",
                format!("contact:{contact_id} consent_definition:{definition_id}"),
            )
            .await?;
        let token = super::withdrawal::token(&vault.index(), contact_id, definition_id);
        let path = format!("{}{token}", super::withdrawal::PAGE_PREFIX);
        let url = caller
            .state
            .security
            .public_url
            .as_ref()
            .map(|base| format!("{base}{path}"));
        Ok(super::withdrawal::WithdrawalLink { path, url })
    })
    .await
}

/// The withdrawal page's content for a link: the consent and whether it is granted.
#[server(endpoint = "withdrawal_page", output = crate::codec::JsonText)]
pub async fn withdrawal_page(token: String) -> Result<super::withdrawal::LinkPage, AppError> {
    crate::auth::access::serve_public("withdrawal_page", |visitor| async move {
        let (contact_id, definition_id) =
            super::withdrawal::verify(&visitor.state.vault.index(), &token)
                .ok_or(AppError::NotFound)?;
        let mut conn = visitor.state.db.pool().acquire().await?;
        link_page(&mut conn, &visitor.state.vault, contact_id, definition_id).await
    })
    .await
}

/// The button of the withdrawal page: withdraws the consent of the link, recorded as
/// the person's own decision (no user), with the time, address and browser as evidence.
#[server(endpoint = "withdraw_by_link", output = crate::codec::JsonText)]
pub async fn withdraw_by_link(token: String) -> Result<super::withdrawal::LinkPage, AppError> {
    crate::auth::access::serve_public("withdraw_by_link", |visitor| async move {
        use crate::audit::store::{append_in, Event, Outcome};
        let vault = &visitor.state.vault;
        let (contact_id, definition_id) =
            super::withdrawal::verify(&vault.index(), &token).ok_or(AppError::NotFound)?;
        let mut tx = visitor.state.db.begin_write().await?;
        let page = link_page(&mut tx, vault, contact_id, definition_id).await?;
        // Two clicks at once withdraw once: the second waits for the first's row.
        if !page.granted || !super::store::lock_granted(&mut tx, contact_id, definition_id).await? {
            return Ok(super::withdrawal::LinkPage {
                granted: false,
                ..page
            });
        }
        let user_agent = use_context::<http::request::Parts>().and_then(|p| {
            p.headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|v| {
                    v.chars()
                        .take(super::web_form::MAX_USER_AGENT_CHARS)
                        .collect::<String>()
                })
        });
        let now = crate::db::now_ms();
        let bytes = super::withdrawal::evidence_document(
            &page.consent,
            &visitor.ip,
            user_agent.as_deref(),
            now,
        );
        let new = super::store::NewDecision {
            contact_id,
            definition_id,
            decision: super::model::Decision::Withdrawn,
            method: super::model::Method::Email,
            case_id: None,
            statement_version: None,
            evidence: Some(super::store::Evidence {
                file_name: "wycofanie-przez-link.json".to_string(),
                media_type: super::sniff::WEB_FORM,
                bytes,
            }),
        };
        super::store::record(&mut tx, vault, None, new).await?;
        let event = Event::new("consent.withdrawn_by_link", Outcome::Success)
            .subject(format!(
                "contact:{contact_id} consent_definition:{definition_id}"
            ))
            .source(&visitor.ip);
        append_in(&mut tx, visitor.state.db.backend(), &event).await?;
        tx.commit().await?;
        visitor.state.jobs_wake.notify_one();
        Ok(super::withdrawal::LinkPage {
            granted: false,
            ..page
        })
    })
    .await
}

#[cfg(feature = "ssr")]
async fn link_page(
    conn: &mut sqlx::AnyConnection,
    vault: &crate::vault::Vault,
    contact_id: ContactId,
    definition_id: DefinitionId,
) -> Result<super::withdrawal::LinkPage, AppError> {
    let statement = super::store::statement_version(conn, definition_id, None).await?;
    let (channel, decision) = super::store::decision_on(conn, contact_id, definition_id).await?;
    // An erased contact has nothing left to withdraw (its key is gone).
    let erased = match crate::vault::store::load_key(conn, vault, contact_id).await {
        Ok(key) => key.is_none(),
        Err(crate::store_error::StoreError::NotFound) => true,
        Err(err) => return Err(err.into()),
    };
    Ok(super::withdrawal::LinkPage {
        consent: statement.definition_name,
        statement: statement.text,
        channel,
        granted: !erased && decision == Some(super::model::Decision::Granted),
    })
}
