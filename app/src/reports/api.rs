//! The server functions of "Raporty": run a report from its URL query, the choices its
//! filters offer, and the reports the managers saved by name.

use leptos::prelude::*;

use super::model::{ReportResult, SavedReport};
use crate::error::AppError;
use crate::ids::UserId;

/// The result of the report described by `query` (the page's URL query).
#[server(endpoint = "report_run", output = crate::codec::JsonText)]
pub async fn report_run(query: String) -> Result<ReportResult, AppError> {
    crate::auth::access::serve("report_run", |caller| async move {
        let q = super::model::ReportQuery::from_query(&query)?;
        if q.dataset == super::model::Dataset::Reads {
            // Card reads are written in batches; a report counts those of a moment ago.
            if let Err(e) = caller.state.reads.flush(&caller.state.db).await {
                tracing::warn!(error = %e, "pending card reads could not be written");
            }
        }
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::run(&mut conn, &q, crate::db::now_ms())
            .await
            .map_err(AppError::from)
    })
    .await
}

/// The people a report can be filtered by: every account, sign-in or API token, by name.
#[server(endpoint = "report_people", output = crate::codec::JsonText)]
pub async fn report_people() -> Result<Vec<(UserId, String)>, AppError> {
    crate::auth::access::serve("report_people", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::saved::people(&mut conn)
            .await
            .map_err(AppError::from)
    })
    .await
}

/// Every saved report, by name.
#[server(endpoint = "reports_saved", output = crate::codec::JsonText)]
pub async fn reports_saved() -> Result<Vec<SavedReport>, AppError> {
    crate::auth::access::serve("reports_saved", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::saved::saved_list(&mut conn)
            .await
            .map_err(AppError::from)
    })
    .await
}

pub const NAME_MAX: usize = 100;

/// Saves the report of `query` under `name` for every manager to run again. The query
/// is kept as `to_query` writes it, so it never holds a filter its dataset ignores.
#[server(endpoint = "report_save", output = crate::codec::JsonText)]
pub async fn report_save(name: String, query: String) -> Result<i64, AppError> {
    crate::auth::access::serve("report_save", |caller| async move {
        use crate::i18n::Msg;
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(AppError::field("name", Msg::ErrRequired));
        }
        crate::domain::text::check_single_line(&name, NAME_MAX)
            .map_err(|m| AppError::field("name", m))?;
        let q = super::model::ReportQuery::from_query(&query)?;
        let mut tx = caller.state.db.begin_write().await?;
        let id =
            super::saved::saved_insert(&mut tx, caller.user_id(), &name, &q.to_query()).await?;
        caller
            .audit_in(&mut tx, "report.saved", format!("report:{id}"))
            .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Deletes a saved report.
#[server(endpoint = "report_delete", output = crate::codec::JsonText)]
pub async fn report_delete(id: i64) -> Result<(), AppError> {
    crate::auth::access::serve("report_delete", |caller| async move {
        let mut tx = caller.state.db.begin_write().await?;
        super::saved::saved_delete(&mut tx, id).await?;
        caller
            .audit_in(&mut tx, "report.deleted", format!("report:{id}"))
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// What waits for a manager: undecided erasure requests (those due within 7 days and
/// those overdue among them), exports being prepared, imports with rejected rows.
#[server(endpoint = "manager_counters", output = crate::codec::JsonText)]
pub async fn manager_counters() -> Result<super::model::ManagerCounters, AppError> {
    crate::auth::access::serve("manager_counters", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::counters::counters(&mut conn, crate::db::now_ms())
            .await
            .map_err(AppError::from)
    })
    .await
}
