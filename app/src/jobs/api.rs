//! The managers' view of the queue ("Zadania w tle") and their one action on it.

use leptos::prelude::*;

use super::model::JobsView;
use crate::error::AppError;
use crate::ids::JobId;

/// How many jobs the page lists.
pub const PAGE_ROWS: i64 = 200;

/// The counts and the newest jobs (running first, then failed, then waiting), those in
/// `status` only if given (`waiting`, `running`, `done`, `failed`).
#[server(endpoint = "jobs_list", output = crate::codec::JsonText)]
pub async fn jobs_list(status: Option<String>) -> Result<JobsView, AppError> {
    crate::auth::access::serve("jobs_list", |caller| async move {
        let status = match status.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                super::model::JobStatus::parse(s)
                    .ok_or_else(|| AppError::field("status", crate::i18n::Msg::ErrNotFound))?,
            ),
        };
        let mut conn = caller.state.db.pool().acquire().await?;
        Ok(JobsView {
            counts: super::store::counts(&mut conn).await?,
            jobs: super::store::list(&mut conn, status, PAGE_ROWS).await?,
        })
    })
    .await
}

/// "Ponów": a failed job queued again at once with fresh attempts.
#[server(endpoint = "job_retry", output = crate::codec::JsonText)]
pub async fn job_retry(id: JobId) -> Result<(), AppError> {
    crate::auth::access::serve("job_retry", |caller| async move {
        let mut tx = caller.state.db.begin_write().await?;
        super::store::retry(&mut tx, id, crate::db::now_ms()).await?;
        caller
            .audit_in(&mut tx, "job.retried", format!("job:{id}"))
            .await?;
        tx.commit().await?;
        caller.state.jobs_wake.notify_one();
        Ok(())
    })
    .await
}
