//! An import as a background job: the job queue decides which node runs it (and hands
//! it to another when that node dies); the import's own `owner` fences its batches, so
//! a node that stalled and lost the job rolls its next batch back instead of writing it
//! twice. A run resumes from the last checkpoint.

use crate::error::AppError;
use crate::ids::ImportId;
use crate::jobs::runner::Outcome;
use crate::jobs::store::{Claimed, Next};
use crate::state::AppState;

pub async fn run_job(state: &AppState, job: &Claimed) -> Outcome {
    let id = ImportId(job.subject.ok_or(AppError::NotFound)?);
    if !super::claims::take(&state.db, id, &job.owner).await? {
        // Finished, failed or discarded meanwhile: nothing left to do.
        return Ok(Next::Done);
    }
    // An error leaves the import running for the next attempt, which resumes from the
    // checkpoint; after the last one the runner has the report say it failed.
    super::engine::run(&state.db, &state.vault, id, &job.owner).await?;
    Ok(Next::Done)
}
