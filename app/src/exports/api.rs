//! The export page's server functions: what the filter finds before the manager chooses,
//! and a background export's progress. The export itself is a file route (`route.rs`):
//! a download is not a server function's answer.

use crate::ids::ExportId;
use leptos::prelude::*;

use super::model::{ExportJob, ExportSummary};
use crate::error::AppError;

/// How many contacts the filter finds and how many of them are held back without the
/// override; the consent definitions that can become columns. Counts only: no personal
/// value is read.
#[server(endpoint = "export_preview", output = crate::codec::JsonText)]
pub async fn export_preview(filter: String) -> Result<ExportSummary, AppError> {
    crate::auth::access::serve("export_preview", |caller| async move {
        let filter = crate::search::model::SearchFilter::from_query(&filter)?;
        let mut conn = caller.state.db.pool().acquire().await?;
        let found =
            crate::search::store::matching_ids(&mut conn, &caller.state.vault, &filter).await?;
        let inactive = super::store::inactive(&mut conn).await?;
        let (kept, held_back) = super::store::admissible(found, &inactive, false);
        let definitions: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, name FROM consent_definitions WHERE active = 1 ORDER BY position, id",
        )
        .fetch_all(&mut *conn)
        .await?;
        Ok(ExportSummary {
            matching: (kept.len() + held_back) as i64,
            held_back: held_back as i64,
            definitions,
            background_over: caller.state.security.export_background_rows as i64,
        })
    })
    .await
}

/// A background export's progress, and whether its file is ready.
#[server(endpoint = "export_status", output = crate::codec::JsonText)]
pub async fn export_status(id: ExportId) -> Result<ExportJob, AppError> {
    crate::auth::access::serve("export_status", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::job(&mut conn, id)
            .await
            .map_err(AppError::from)
    })
    .await
}
