use crate::codec::JsonOrForm;
use crate::ids::ContactId;
use leptos::prelude::*;

use super::model::ContactTimeline;
use crate::error::AppError;

/// The contact's field history, its activities and who read its card.
#[server(
    endpoint = "contact_history",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn contact_history(contact_id: ContactId) -> Result<ContactTimeline, AppError> {
    crate::auth::access::serve("contact_history", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        let key = crate::vault::store::load_key(&mut conn, &caller.state.vault, contact_id).await?;
        let changes = super::store::changes(&mut conn, key.as_ref(), contact_id).await?;
        let activities = super::store::activities(&mut conn, &changes, contact_id).await?;
        caller
            .state
            .reads
            .note(contact_id, caller.user_id(), super::reads::ReadVia::History);
        // Reads noted a moment ago count too.
        let _ = caller.state.reads.flush(&caller.state.db).await;
        let readers = super::store::readers(&mut conn, contact_id).await?;
        Ok(ContactTimeline {
            changes,
            activities,
            readers,
        })
    })
    .await
}
