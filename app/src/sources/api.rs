use crate::codec::JsonOrForm;
use crate::ids::SourceId;
use leptos::prelude::*;

use super::model::DataSource;
use crate::error::AppError;

/// Every source, for pickers (consultants) and the register (managers).
#[server(
    endpoint = "data_sources",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn data_sources() -> Result<Vec<DataSource>, AppError> {
    crate::auth::access::serve("data_sources", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::list(&mut conn).await.map_err(AppError::from)
    })
    .await
}

/// Creates (no `id`) or edits a source. `active` arrives only when ticked.
#[server(endpoint = "data_source_save", output = crate::codec::JsonText)]
pub async fn data_source_save(
    id: Option<SourceId>,
    name: String,
    kind: String,
    seller: Option<String>,
    acquired_on: Option<String>,
    acquisition_basis: Option<String>,
    active: Option<String>,
) -> Result<SourceId, AppError> {
    crate::auth::access::serve("data_source_save", |caller| async move {
        use super::model::{validate, SourceKind};
        let source = DataSource {
            id: id.unwrap_or_default(),
            name,
            kind: SourceKind::parse(&kind)
                .ok_or_else(|| AppError::field("kind", crate::i18n::Msg::ErrBadRequest))?,
            seller: seller.unwrap_or_default(),
            acquired_on: acquired_on.unwrap_or_default(),
            acquisition_basis: acquisition_basis.unwrap_or_default(),
            active: active.is_some(),
        };
        let valid = validate(&source).map_err(AppError::Validation)?;
        let mut tx = caller.state.db.begin_write().await?;
        let id = super::store::save(&mut tx, caller.user_id(), &valid).await?;
        caller
            .audit_in(&mut tx, "data_source.saved", format!("data_source:{id}"))
            .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}
