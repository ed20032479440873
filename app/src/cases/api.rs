//! The cases' server functions.

use crate::ids::CaseId;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::model::{Assignee, CaseCard, CaseInput};
use crate::error::AppError;

#[server(endpoint = "case_get", output = crate::codec::JsonText)]
pub async fn case_get(id: CaseId) -> Result<CaseCard, AppError> {
    crate::auth::access::serve("case_get", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        let card = super::store::load(&mut conn, &caller.state.vault, id).await?;
        // The case card carries its contact's data.
        caller
            .state
            .reads
            .note_case(card.case.contact_id, id, caller.user_id());
        Ok(card)
    })
    .await
}

/// Creates (no `id`) or edits a case of a contact.
#[server(endpoint = "case_save", input = Json, output = crate::codec::JsonText)]
pub async fn case_save(input: CaseInput) -> Result<CaseId, AppError> {
    crate::auth::access::serve("case_save", |caller| async move {
        let valid = super::validate::validate(&input).map_err(AppError::Validation)?;
        let vault = &caller.state.vault;
        let mut tx = caller.state.db.begin_write().await?;
        let (id, action) = match valid.id {
            None => (
                super::store::insert(&mut tx, vault, caller.user_id(), &valid).await?,
                "case.created",
            ),
            Some(id) => {
                super::store::update(&mut tx, vault, caller.user_id(), &valid, id).await?;
                (id, "case.updated")
            }
        };
        caller
            .audit_in(&mut tx, action, format!("case:{id}"))
            .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

#[server(endpoint = "case_assignees", output = crate::codec::JsonText)]
pub async fn case_assignees() -> Result<Vec<Assignee>, AppError> {
    crate::auth::access::serve("case_assignees", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::assignees(&mut conn)
            .await
            .map_err(AppError::from)
    })
    .await
}
