//! Facts about the running instance, for the manager part and for health checks.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::codec::JsonOrForm;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InstanceInfo {
    pub version: String,
    pub database: String,
}

/// The running instance: Zgoda's version and the database it stores in (`sqlite` or
/// `postgres`). Answers only when the database does, so it serves as a health check.
#[server(
    endpoint = "system_info",
    input = JsonOrForm,
    input_derive = (Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema),
    output = crate::codec::JsonText,
)]
pub async fn system_info() -> Result<InstanceInfo, AppError> {
    crate::auth::access::serve_public("system_info", |visitor| async move {
        visitor.state.db.ping().await?;
        Ok(InstanceInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            database: visitor.state.db.backend().name().to_string(),
        })
    })
    .await
}
