//! Facts about the running instance, for the manager part and for health checks.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceInfo {
    pub version: String,
    pub database: String,
}

#[server(endpoint = "system_info")]
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
