//! Restricting processing and lifting it: for consultants, managers and integrations
//! (a CRM that takes the person's request). Each step is audited and announced to
//! webhooks in the same transaction.

use crate::codec::JsonOrForm;
use crate::ids::ContactId;
use leptos::prelude::*;

use super::model::{RestrictionGround, RestrictionStatus};
use crate::error::AppError;

#[cfg(feature = "ssr")]
fn checked_note(text: &str) -> Result<String, AppError> {
    let text = text.trim();
    crate::domain::text::check_plain_text(text, 2000).map_err(|m| AppError::field("note", m))?;
    Ok(text.to_string())
}

/// "Ogranicz przetwarzanie" (Art. 18(1)): the contact's data stays and can be read, but
/// it is not changed, disclosed, exported or used to contact the person until lifted.
/// Answers the restriction now in force.
#[server(
    endpoint = "contact_restrict",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn contact_restrict(
    contact_id: ContactId,
    ground: RestrictionGround,
    #[server(default)] note: String,
) -> Result<RestrictionStatus, AppError> {
    crate::auth::access::serve("contact_restrict", |caller| async move {
        let note = checked_note(&note)?;
        let vault = &caller.state.vault;
        let mut tx = caller.state.db.begin_write().await?;
        let id =
            super::store::restrict(&mut tx, vault, caller.user_id(), contact_id, ground, &note)
                .await?;
        caller
            .audit_in(
                &mut tx,
                "contact.restricted",
                format!("contact:{contact_id} restriction:{id}"),
            )
            .await?;
        let key = crate::vault::store::load_key(&mut tx, vault, contact_id).await?;
        let status = super::store::current(&mut tx, key.as_ref(), contact_id)
            .await?
            .ok_or(AppError::Internal)?;
        tx.commit().await?;
        Ok(status)
    })
    .await
}

/// "Znieś ograniczenie": only once the person has been told (Art. 18(3)), which the
/// caller confirms with `person_informed`; the contact is active again.
#[server(
    endpoint = "contact_restriction_lift",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn contact_restriction_lift(
    contact_id: ContactId,
    person_informed: bool,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    crate::auth::access::serve("contact_restriction_lift", |caller| async move {
        if !person_informed {
            return Err(AppError::field(
                "person_informed",
                crate::i18n::Msg::ErrRestrictionInformed,
            ));
        }
        let note = checked_note(&note)?;
        let mut tx = caller.state.db.begin_write().await?;
        let id = super::store::lift(
            &mut tx,
            &caller.state.vault,
            caller.user_id(),
            contact_id,
            &note,
        )
        .await?;
        caller
            .audit_in(
                &mut tx,
                "contact.restriction_lifted",
                format!("contact:{contact_id} restriction:{id}"),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
