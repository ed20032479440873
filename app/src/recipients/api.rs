//! Recipients, processor agreements, sharing scopes and disclosures: the manager part.

use crate::codec::JsonOrForm;
#[cfg(feature = "ssr")]
use crate::ids::ContactId;
use crate::ids::{AgreementId, DisclosureId, RecipientId};
use std::collections::HashMap;

use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use super::model::{Disclosure, Recipient};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::Msg;

#[server(endpoint = "recipients_list", output = crate::codec::JsonText)]
pub async fn recipients_list() -> Result<Vec<Recipient>, AppError> {
    crate::auth::access::serve("recipients_list", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::list(&mut conn).await.map_err(AppError::from)
    })
    .await
}

/// Creates (no `id`) or edits a recipient. `scope[<field>]` names the legal basis on
/// which that field may be shared; empty or absent means it may not.
#[server(endpoint = "recipient_save", output = crate::codec::JsonText)]
pub async fn recipient_save(
    id: Option<RecipientId>,
    name: String,
    nip: Option<String>,
    role: String,
    active: Option<String>,
    scope: Option<HashMap<String, String>>,
    transfer: Option<String>,
) -> Result<RecipientId, AppError> {
    crate::auth::access::serve("recipient_save", |caller| async move {
        use super::model::{RecipientRole, ScopeEntry};
        use crate::consents::model::LegalBasis;
        use crate::history::model::FIELDS;
        let mut checks = crate::domain::text::TextChecks::default();
        let name = checks.line("name", &name, 200, true);
        let transfer = checks.line("transfer", &transfer.unwrap_or_default(), 300, false);
        let nip = nip.unwrap_or_default();
        let nip = if nip.trim().is_empty() {
            String::new()
        } else {
            match crate::domain::Nip::parse(&nip) {
                Ok(n) => n.as_str().to_string(),
                Err(m) => {
                    checks.push("nip", m);
                    String::new()
                }
            }
        };
        let role = RecipientRole::parse(&role)
            .ok_or_else(|| AppError::field("role", Msg::ErrBadRequest))?;
        let mut entries = Vec::new();
        for (field, basis) in scope.unwrap_or_default() {
            if basis.trim().is_empty() {
                continue;
            }
            if !FIELDS.iter().any(|(f, _)| *f == field) {
                return Err(AppError::field("scope", Msg::ErrBadRequest));
            }
            let legal_basis = LegalBasis::parse(&basis)
                .ok_or_else(|| AppError::field("scope", Msg::ErrBadRequest))?;
            entries.push(ScopeEntry { field, legal_basis });
        }
        if !checks.errors.is_empty() {
            return Err(AppError::Validation(checks.errors));
        }
        let recipient = Recipient {
            id: id.unwrap_or_default(),
            name,
            nip,
            role,
            active: active.is_some(),
            scope: entries,
            agreements: Vec::new(),
            transfer,
        };
        let mut tx = caller.state.db.begin_write().await?;
        let id = super::store::save(&mut tx, caller.user_id(), &recipient).await?;
        caller
            .audit_in(&mut tx, "recipient.saved", format!("recipient:{id}"))
            .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Adds a processor agreement (umowa powierzenia) with its signed document (PDF).
#[server(endpoint = "agreement_add", input = MultipartFormData, output = crate::codec::JsonText)]
pub async fn agreement_add(data: MultipartData) -> Result<AgreementId, AppError> {
    crate::auth::access::serve("agreement_add", |caller| async move {
        use super::model::Agreement;
        let form = crate::upload::read(data, "document", 20 * 1024 * 1024).await?;
        let recipient_id = form
            .id("recipient_id")?
            .ok_or_else(|| AppError::field("recipient_id", Msg::ErrBadRequest))?;
        let mut checks = crate::domain::text::TextChecks::default();
        let mut text = |name: &str| checks.text(name, &form.text(name), 5000, true);
        let agreement = Agreement {
            id: AgreementId::default(),
            subject_duration: text("subject_duration"),
            nature_purpose: text("nature_purpose"),
            data_types: text("data_types"),
            subject_categories: text("subject_categories"),
            obligations_rights: text("obligations_rights"),
            signed_on: text("signed_on"),
            document_type: None,
            document_sha256: None,
        };
        if !agreement.signed_on.is_empty() && !crate::time_fmt::is_date(&agreement.signed_on) {
            checks.push("signed_on", Msg::ErrDate);
        }
        let document = match form.file {
            Some((_, bytes)) if bytes.starts_with(b"%PDF-") => {
                Some(super::store::Document { bytes })
            }
            Some(_) => {
                checks.push("document", Msg::ErrDocumentPdf);
                None
            }
            None => None,
        };
        if !checks.errors.is_empty() {
            return Err(AppError::Validation(checks.errors));
        }
        let mut conn = caller.state.db.pool().acquire().await?;
        let id = super::store::add_agreement(
            &mut conn,
            caller.user_id(),
            recipient_id,
            &agreement,
            document,
        )
        .await?;
        caller
            .audit(
                "processor_agreement.added",
                format!("recipient:{recipient_id} agreement:{id}"),
            )
            .await?;
        Ok(id)
    })
    .await
}

/// Records a disclosure of these contacts' fields to a recipient, within its scope.
/// `contact_ids`: ids separated by commas or spaces; `fields[<field>]`: ticked fields.
#[server(
    endpoint = "disclosure_record",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn disclosure_record(
    recipient_id: RecipientId,
    contact_ids: String,
    fields: Option<HashMap<String, String>>,
    purpose: String,
) -> Result<DisclosureId, AppError> {
    crate::auth::access::serve("disclosure_record", |caller| async move {
        let ids: Vec<ContactId> = contact_ids
            .split([',', ' ', ';', '\n'])
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().parse::<ContactId>())
            .collect::<Result<_, _>>()
            .map_err(|_| AppError::field("contact_ids", Msg::ErrContactUnknown))?;
        let mut checks = crate::domain::text::TextChecks::default();
        if ids.is_empty() || ids.len() > 10_000 {
            checks.push("contact_ids", Msg::ErrRequired);
        }
        let mut fields: Vec<String> = fields.unwrap_or_default().into_keys().collect();
        fields.sort_by_key(|f| {
            crate::history::model::FIELDS
                .iter()
                .position(|(name, _)| name == f)
                .unwrap_or(usize::MAX)
        });
        if fields.is_empty() {
            checks.push("fields", Msg::ErrRequired);
        }
        let purpose = checks.line("purpose", &purpose, 500, true);
        if !checks.errors.is_empty() {
            return Err(AppError::Validation(checks.errors));
        }
        let mut tx = caller.state.db.begin_write().await?;
        let new = super::store::NewDisclosure {
            recipient_id,
            contact_ids: &ids,
            fields: &fields,
            purpose: &purpose,
        };
        let id = super::store::disclose(&mut tx, caller.user_id(), &new).await?;
        caller
            .audit_in(
                &mut tx,
                "disclosure.recorded",
                format!("disclosure:{id} recipient:{recipient_id}"),
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// The disclosure log with its filters: a recipient, and days `from`..=`to` (YYYY-MM-DD, UTC).
#[server(endpoint = "disclosures_list", output = crate::codec::JsonText)]
pub async fn disclosures_list(
    recipient_id: Option<RecipientId>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Vec<Disclosure>, AppError> {
    crate::auth::access::serve("disclosures_list", |caller| async move {
        let day = |v: Option<String>, field: &str, end: bool| -> Result<i64, AppError> {
            match v.as_deref().map(str::trim) {
                None | Some("") => Ok(if end { i64::MAX } else { 0 }),
                Some(d) => crate::time_fmt::day_start_ms(d)
                    .map(|ms| if end { ms + 86_400_000 } else { ms })
                    .ok_or_else(|| AppError::field(field, Msg::ErrDate)),
            }
        };
        let (from, to) = (day(from, "from", false)?, day(to, "to", true)?);
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::disclosures(&mut conn, recipient_id.filter(|id| id.get() > 0), from, to)
            .await
            .map_err(AppError::from)
    })
    .await
}
