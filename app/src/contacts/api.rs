//! The contacts' server functions: stable endpoints for the UI and for integrators.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::model::{ContactCard, ContactInput, ContactPage};
use crate::error::AppError;

/// Finds contacts by phone, e-mail, PESEL, NIP or whole words of the name (all words
/// must match); nothing typed lists the newest. `before` is the cursor of the next page.
#[server(endpoint = "contact_search")]
pub async fn contact_search(q: String, before: Option<i64>) -> Result<ContactPage, AppError> {
    let caller = crate::auth::api::Caller::get()?;
    let mut conn = caller.state.db.pool().acquire().await?;
    super::search::search(&mut conn, &caller.state.vault, &q, before).await
}

/// The contact card: the contact's data and its cases.
#[server(endpoint = "contact_get")]
pub async fn contact_get(id: i64) -> Result<ContactCard, AppError> {
    let caller = crate::auth::api::Caller::get()?;
    let mut conn = caller.state.db.pool().acquire().await?;
    super::search::card(&mut conn, &caller.state.vault, id).await
}

/// Creates (no `id`) or edits a contact. Every field is checked before anything is
/// written; an edit of an older version than the stored one is refused.
#[server(endpoint = "contact_save", input = Json)]
pub async fn contact_save(input: ContactInput) -> Result<i64, AppError> {
    let caller = crate::auth::api::Caller::get()?;
    let valid = super::validate::validate(&input.data).map_err(AppError::Validation)?;
    let vault = &caller.state.vault;
    let mut tx = caller.state.db.pool().begin().await?;
    let (id, action) = match input.id {
        None => (
            super::store::insert(&mut tx, vault, Some(caller.user_id()), &valid).await?,
            "contact.created",
        ),
        Some(id) => {
            super::store::update(&mut tx, vault, caller.user_id(), id, input.version, &valid)
                .await?;
            (id, "contact.updated")
        }
    };
    tx.commit().await?;
    caller.audit(action, format!("contact:{id}")).await?;
    Ok(id)
}
