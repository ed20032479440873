//! Which feature does the work of each kind of job. Every handler may be run again
//! after a node died in the middle of it: imports resume from their checkpoint, exports
//! start their file afresh, a delivery may reach its receiver twice (it carries its id),
//! and the recurring kinds look at the database as it is.

use super::model::JobKind;
use super::runner::Outcome;
use super::store::{Claimed, Next};
use crate::db::now_ms;
use crate::error::AppError;
use crate::state::AppState;

const DAY_MS: i64 = 86_400_000;
/// Finished jobs stay on the job page for a week, failed ones for a month.
const KEEP_DONE_MS: i64 = 7 * DAY_MS;
const KEEP_FAILED_MS: i64 = 30 * DAY_MS;

pub async fn run(state: AppState, job: Claimed) -> Outcome {
    match job.kind {
        JobKind::Import => crate::imports::runner::run_job(&state, &job).await,
        JobKind::Export => crate::exports::job::run_job(&state, &job).await,
        JobKind::Webhook => crate::webhooks::deliver::run_job(&state, &job).await,
        JobKind::Retention => crate::retention::job::run_job(&state, &job).await,
        JobKind::KeyRotation => key_rotation(&state, &job).await,
        JobKind::Purge => purge(&state).await,
        JobKind::SearchBackfill => {
            use crate::search::backfill::{run, BATCH};
            let n = run(&state.db, &state.vault, BATCH).await?;
            if n > 0 {
                tracing::info!(contacts = n, "city and postal-code tokens added");
            }
            Ok(Next::Done)
        }
    }
}

/// A job given up after its last attempt: its feature's record says so (the import's
/// report "failed", its uploaded file deleted; the export failed, its key dropped).
pub async fn give_up(state: &AppState, job: &Claimed) -> Result<(), AppError> {
    match (job.kind, job.subject) {
        (JobKind::Import, Some(id)) => {
            crate::imports::claims::abandon(&state.db, crate::ids::ImportId(id)).await?;
        }
        (JobKind::Export, Some(id)) => {
            crate::exports::store::fail(&state.db, crate::ids::ExportId(id)).await?;
        }
        _ => {}
    }
    Ok(())
}

/// Queues the jobs every installation has: the recurring ones, and the search backfill
/// (it ends at once when nothing is left), and adopts work an earlier version queued
/// without a job. Run by every node at start; a job already waiting or running is left
/// as it is.
pub async fn schedule_standing(state: &AppState) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    let mut kinds = vec![JobKind::Retention, JobKind::Purge, JobKind::SearchBackfill];
    if state.security.key_rotation.is_some() {
        kinds.push(JobKind::KeyRotation);
    }
    for kind in kinds {
        super::store::ensure_one(&mut tx, kind, now).await?;
    }
    let adopted = super::store::adopt_orphans(&mut tx, now).await?;
    tx.commit().await?;
    if adopted > 0 {
        tracing::info!(jobs = adopted, "work queued by an earlier version adopted");
    }
    Ok(())
}

async fn key_rotation(state: &AppState, job: &Claimed) -> Outcome {
    // A node configured without rotation leaves the check to the others' next period.
    let Some(policy) = state.security.key_rotation else {
        return Ok(Next::Done);
    };
    let done =
        crate::vault::epochs::scheduled(&state.db, &state.vault, policy, &job.owner, now_ms())
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "the scheduled key rotation failed");
                AppError::Internal
            })?;
    if let Some(done) = done.filter(|d| d.rotated_to.is_some() || !d.retired.is_empty()) {
        tracing::info!(
            rotated_to = ?done.rotated_to,
            rewrapped = done.rewrapped,
            retired = ?done.retired,
            "scheduled key rotation; back up the keyring again"
        );
    }
    Ok(Next::Done)
}

/// What is kept for a limited time: rejected rows of old imports and abandoned drafts,
/// files of old exports, the webhook delivery log, finished jobs.
async fn purge(state: &AppState) -> Outcome {
    use crate::imports::store::KEEP_REJECTED_DAYS;
    let db = &state.db;
    let now = now_ms();
    let imports =
        crate::imports::store::purge(db, now - KEEP_REJECTED_DAYS * DAY_MS, now - DAY_MS).await?;
    let exports = crate::exports::store::purge(db, now - crate::exports::store::KEEP_MS).await?;
    let moved = crate::contacts::tokens::merge_leftovers(db).await?;
    if moved > 0 {
        tracing::warn!(
            imports = moved,
            "staged tokens left by given-up imports moved"
        );
    }
    let (deliveries, jobs) = {
        let mut tx = db.begin_write().await?;
        let deliveries = crate::webhooks::store::purge_finished(
            &mut tx,
            now - crate::webhooks::deliver::KEEP_MS,
        )
        .await?;
        let jobs = super::store::purge(&mut tx, now - KEEP_DONE_MS, now - KEEP_FAILED_MS).await?;
        tx.commit().await?;
        (deliveries, jobs)
    };
    if imports + exports as u64 + deliveries + jobs > 0 {
        tracing::info!(imports, exports, deliveries, jobs, "old data destroyed");
    }
    Ok(Next::Done)
}
