//! A person's copy for integrators (a CRM answering an Art. 15 request): the JSON the
//! card's ZIP holds, on record as a copy handed out.

use crate::codec::JsonOrForm;
use crate::ids::ContactId;
use leptos::prelude::*;

use super::model::SubjectData;
use crate::error::AppError;

/// Everything Zgoda holds about the person (Art. 15 access, Art. 20 portability): the
/// personal data with its sources and history, consents with the statements heard,
/// cases, contacts, disclosures, restriction and erasure. Each call is recorded as a
/// copy handed out.
#[server(
    endpoint = "contact_data_export",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema)
)]
pub async fn contact_data_export(contact_id: ContactId) -> Result<SubjectData, AppError> {
    crate::auth::access::serve("contact_data_export", |caller| async move {
        let state = &caller.state;
        let mut conn = state.db.pool().acquire().await?;
        let data = super::store::gather(&mut conn, &state.vault, contact_id).await?;
        drop(conn);
        let json = serde_json::to_vec(&data).map_err(|_| AppError::Internal)?;
        super::route::hand_out(&caller, contact_id, "json", &json).await?;
        Ok(data)
    })
    .await
}
