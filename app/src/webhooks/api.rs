//! The administrators' server functions for webhooks ("Integracje").

use leptos::prelude::*;

use super::model::{DeliveryRow, IssuedWebhook, WebhookRow};
use crate::error::AppError;
use crate::ids::WebhookId;

#[server(endpoint = "webhooks_list", output = crate::codec::JsonText)]
pub async fn webhooks_list() -> Result<Vec<WebhookRow>, AppError> {
    crate::auth::access::serve("webhooks_list", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        Ok(super::store::list(&mut conn).await?)
    })
    .await
}

/// Subscribes an address to events and shows its signing secret once. Each event is a
/// checkbox of the form (`consent_withdrawn`, `marketing_objection`, `erasure_approved`,
/// `processing_restricted`, `restriction_lifted`).
#[server(endpoint = "webhook_create", output = crate::codec::JsonText)]
pub async fn webhook_create(
    name: String,
    url: String,
    consent_withdrawn: Option<String>,
    marketing_objection: Option<String>,
    erasure_approved: Option<String>,
    processing_restricted: Option<String>,
    restriction_lifted: Option<String>,
) -> Result<IssuedWebhook, AppError> {
    crate::auth::access::serve("webhook_create", |caller| async move {
        use super::model::WebhookEvent;
        let events: Vec<WebhookEvent> = [
            (consent_withdrawn, WebhookEvent::ConsentWithdrawn),
            (marketing_objection, WebhookEvent::MarketingObjection),
            (erasure_approved, WebhookEvent::ErasureApproved),
            (processing_restricted, WebhookEvent::ProcessingRestricted),
            (restriction_lifted, WebhookEvent::RestrictionLifted),
        ]
        .into_iter()
        .filter_map(|(ticked, event)| ticked.is_some().then_some(event))
        .collect();
        let new = super::rules::check(&name, &url, &events).map_err(AppError::Validation)?;
        let salt = super::sign::new_salt();
        let mut tx = caller.state.db.begin_write().await?;
        let id = super::store::create(&mut tx, caller.user_id(), &new, &salt).await?;
        caller
            .audit_in(&mut tx, "webhook.created", format!("webhook:{id}"))
            .await?;
        tx.commit().await?;
        Ok(IssuedWebhook {
            id,
            name: new.name,
            secret: super::sign::secret(&caller.state.vault.index(), id, &salt),
        })
    })
    .await
}

/// "Wyłącz" / "Włącz": a switched-off subscription gets nothing, and what was waiting
/// for it is dropped.
#[server(endpoint = "webhook_set_active", output = crate::codec::JsonText)]
pub async fn webhook_set_active(id: WebhookId, active: bool) -> Result<(), AppError> {
    crate::auth::access::serve("webhook_set_active", |caller| async move {
        let mut tx = caller.state.db.begin_write().await?;
        super::store::set_active(&mut tx, id, active).await?;
        let action = if active {
            "webhook.enabled"
        } else {
            "webhook.disabled"
        };
        caller
            .audit_in(&mut tx, action, format!("webhook:{id}"))
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// The newest 100 deliveries, for the log.
#[server(endpoint = "webhook_deliveries", output = crate::codec::JsonText)]
pub async fn webhook_deliveries() -> Result<Vec<DeliveryRow>, AppError> {
    crate::auth::access::serve("webhook_deliveries", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        Ok(super::store::deliveries(&mut conn, 100).await?)
    })
    .await
}
