//! The administrators' server functions for API tokens ("Integracje").

use leptos::prelude::*;

use super::model::{IssuedToken, TokenRow};
use crate::error::AppError;
use crate::ids::ApiTokenId;

#[server(endpoint = "api_tokens_list", output = crate::codec::JsonText)]
pub async fn api_tokens_list() -> Result<Vec<TokenRow>, AppError> {
    crate::auth::access::serve("api_tokens_list", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        Ok(super::store::list(&mut conn).await?)
    })
    .await
}

/// Creates a token and shows it once. Empty fields take the defaults: every integrator
/// endpoint the role may call, any address, no expiry, 50 requests a second.
#[server(endpoint = "api_token_create", output = crate::codec::JsonText)]
pub async fn api_token_create(
    name: String,
    role: String,
    endpoints: Option<String>,
    allowed_addresses: Option<String>,
    valid_days: Option<String>,
    rate_per_sec: Option<String>,
) -> Result<IssuedToken, AppError> {
    crate::auth::access::serve("api_token_create", |caller| async move {
        let new = super::rules::check(
            &name,
            &role,
            endpoints.as_deref().unwrap_or(""),
            allowed_addresses.as_deref().unwrap_or(""),
            valid_days.as_deref().unwrap_or(""),
            rate_per_sec.as_deref().unwrap_or(""),
        )
        .map_err(AppError::Validation)?;
        let mut tx = caller.state.db.begin_write().await?;
        let issued = super::store::create(&mut tx, Some(caller.user_id()), &new).await?;
        caller
            .audit_in(
                &mut tx,
                "api_token.created",
                format!("api_token:{}", issued.id),
            )
            .await?;
        tx.commit().await?;
        Ok(issued)
    })
    .await
}

/// "Unieważnij": the token stops working at its next request.
#[server(endpoint = "api_token_revoke", output = crate::codec::JsonText)]
pub async fn api_token_revoke(id: ApiTokenId) -> Result<(), AppError> {
    crate::auth::access::serve("api_token_revoke", |caller| async move {
        let mut tx = caller.state.db.begin_write().await?;
        super::store::revoke(&mut tx, caller.user_id(), id).await?;
        caller
            .audit_in(&mut tx, "api_token.revoked", format!("api_token:{id}"))
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
