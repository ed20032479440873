//! The cases' server functions.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::model::{Assignee, CaseCard, CaseInput};
use crate::error::AppError;

#[server(endpoint = "case_get")]
pub async fn case_get(id: i64) -> Result<CaseCard, AppError> {
    let caller = crate::auth::api::Caller::get()?;
    let mut conn = caller.state.db.pool().acquire().await?;
    super::store::load(&mut conn, &caller.state.vault, id).await
}

/// Creates (no `id`) or edits a case of a contact.
#[server(endpoint = "case_save", input = Json)]
pub async fn case_save(input: CaseInput) -> Result<i64, AppError> {
    let caller = crate::auth::api::Caller::get()?;
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
    tx.commit().await?;
    caller.audit(action, format!("case:{id}")).await?;
    Ok(id)
}

#[server(endpoint = "case_assignees")]
pub async fn case_assignees() -> Result<Vec<Assignee>, AppError> {
    let caller = crate::auth::api::Caller::get()?;
    let mut conn = caller.state.db.pool().acquire().await?;
    super::store::assignees(&mut conn).await
}
