//! The audit trail: security and personal-data events, append-only and hash-chained.

mod page;
#[cfg(feature = "ssr")]
pub mod store;

pub use page::AuditPage;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One row as shown to an administrator. Holds no secret or personal-data value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_login: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    pub source: Option<String>,
    pub outcome: String,
}

pub const PAGE_SIZE: i64 = 50;

/// The newest entries, a page at a time (`before`: the smallest id already shown).
#[server(endpoint = "audit_list", output = crate::codec::JsonText)]
pub async fn audit_list(before: Option<i64>) -> Result<Vec<AuditEntry>, AppError> {
    crate::auth::access::serve("audit_list", |caller| async move {
        store::list(&caller.state.db, before, PAGE_SIZE)
            .await
            .map_err(AppError::from)
    })
    .await
}
