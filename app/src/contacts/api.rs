//! The contacts' server functions: stable endpoints for the UI and for integrators.

use crate::codec::JsonOrForm;
use crate::ids::ContactId;
use leptos::prelude::*;

use super::model::{ContactCard, ContactInput, ContactPage};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::history::reads::ReadVia;

/// Finds contacts by phone, e-mail, PESEL, NIP or whole words of the name (all words
/// must match); nothing typed lists the newest. `before` is the cursor of the next page.
#[server(
    endpoint = "contact_search",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn contact_search(q: String, before: Option<i64>) -> Result<ContactPage, AppError> {
    crate::auth::access::serve("contact_search", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        let page = super::search::search(&mut conn, &caller.state.vault, &q, before).await?;
        // A page of results shows names, phones and e-mails: it is a read of each of them.
        caller.state.reads.note_list(
            page.rows.iter().map(|row| row.id).collect(),
            caller.user_id(),
            ReadVia::Search,
        );
        Ok(page)
    })
    .await
}

/// The contact card: the contact's data and its cases.
#[server(
    endpoint = "contact_get",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn contact_get(id: ContactId) -> Result<ContactCard, AppError> {
    crate::auth::access::serve("contact_get", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        let card = super::search::card(&mut conn, &caller.state.vault, id).await?;
        caller.state.reads.note(id, caller.user_id(), ReadVia::Card);
        Ok(card)
    })
    .await
}

/// Creates (no `id`) or edits a contact. Every field is checked before anything is
/// written; an edit of an older version than the stored one is refused.
#[server(
    endpoint = "contact_save",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn contact_save(input: ContactInput) -> Result<ContactId, AppError> {
    crate::auth::access::serve("contact_save", |caller| async move {
        use crate::history::{store::Change, values_of};
        let valid = super::validate::validate(&input.data).map_err(AppError::Validation)?;
        let reason = input.reason.trim();
        crate::domain::text::check_single_line(reason, 500)
            .map_err(|m| AppError::field("reason", m))?;
        let source_id = input.source_id.unwrap_or(crate::sources::CONSULTANT_SOURCE);
        let vault = &caller.state.vault;
        let user = caller.user_id();
        let mut tx = caller.state.db.begin_write().await?;
        crate::sources::store::require_active(&mut tx, source_id).await?;
        // The key unwrapped once serves the edit and its history.
        let (id, key, action, before) = match input.id {
            None => {
                let (id, key) =
                    super::store::insert(&mut tx, vault, Some(user), Some(source_id), &valid)
                        .await?;
                (id, key, "contact.created", Vec::new())
            }
            Some(id) => {
                let (card, key) = super::store::load(&mut tx, vault, id).await?;
                let key = key.ok_or(AppError::Conflict(crate::i18n::Msg::ErrContactErased))?;
                super::store::update(&mut tx, vault, &key, user, id, input.version, &valid).await?;
                (id, key, "contact.updated", values_of(&card.data))
            }
        };
        let change = Change {
            contact_id: id,
            user_id: Some(user),
            source_id,
            reason,
            import_id: None,
        };
        crate::history::store::record(
            &mut tx,
            &key,
            &change,
            &before,
            &values_of(&valid.to_data()),
        )
        .await?;
        caller
            .audit_in(&mut tx, action, format!("contact:{id}"))
            .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}
