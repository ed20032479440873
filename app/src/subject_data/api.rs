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
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
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

/// The person's requests for a copy of their data, newest first, with their deadlines.
#[server(endpoint = "access_requests", output = crate::codec::JsonText)]
pub async fn access_requests(
    contact_id: ContactId,
) -> Result<Vec<super::model::AccessRequest>, AppError> {
    crate::auth::access::serve("access_requests", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::requests::of_contact(&mut conn, contact_id, crate::db::now_ms())
            .await
            .map_err(AppError::from)
    })
    .await
}

/// Records that the person asked for a copy of their data (`access`, Art. 15) or for
/// their data to take elsewhere (`portability`, Art. 20); the answer is due within a
/// month (Art. 12(3)). Handing out the copy delivers it.
#[server(endpoint = "access_request_record", output = crate::codec::JsonText)]
pub async fn access_request_record(contact_id: ContactId, kind: String) -> Result<i64, AppError> {
    crate::auth::access::serve("access_request_record", |caller| async move {
        let kind = super::model::AccessKind::parse(&kind)
            .ok_or_else(|| AppError::field("kind", crate::i18n::Msg::ErrBadRequest))?;
        let mut tx = caller.state.db.begin_write().await?;
        let id = super::requests::record(
            &mut tx,
            caller.user_id(),
            contact_id,
            kind,
            crate::db::now_ms(),
        )
        .await?;
        caller
            .audit_in(
                &mut tx,
                "contact.access_requested",
                format!("contact:{contact_id} kind:{}", kind.as_str()),
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}
