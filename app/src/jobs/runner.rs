//! Each node's job workers: claim a due job, renew its lease while the handler works,
//! end it with the handler's outcome. Several workers per node, so a long import does
//! not hold up a webhook delivery; several nodes on one PostgreSQL share the queue.

use std::sync::Arc;
use std::time::Duration;

use super::model::JobKind;
use super::store::{self, Claimed, Next};
use crate::db::now_ms;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::state::AppState;

/// How long an idle worker waits before looking again when nothing woke it (SQLite has
/// no `NOTIFY`, and a job may become due by its time alone).
const POLL: Duration = Duration::from_secs(2);

/// This node's name on the jobs it holds: the machine's name, for the people reading
/// the job page, and a random part per process, so a restarted node does not mistake
/// its predecessor's leases for its own.
pub fn node_name() -> String {
    use rand::Rng;
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| {
            h.trim()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
                .take(40)
                .collect::<String>()
        })
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "node".into());
    format!("{host}-{:08x}", rand::thread_rng().gen::<u32>())
}

/// Starts `workers` workers taking jobs of `kinds` (every kind in production; tests
/// leave out the kinds they run by hand). One of them takes short kinds only
/// (`JobKind::is_short`), so imports and exports never hold up every worker. Returns this
/// node's name.
pub fn spawn(state: &AppState, kinds: &[JobKind], workers: usize) -> String {
    let node = node_name();
    let short: Vec<JobKind> = kinds.iter().copied().filter(|k| k.is_short()).collect();
    let mut sets: Vec<Arc<[JobKind]>> = Vec::new();
    if !short.is_empty() && short.len() < kinds.len() && workers > 1 {
        sets.push(short.into());
        sets.extend((1..workers).map(|_| Arc::<[JobKind]>::from(kinds)));
    } else {
        sets.extend((0..workers.max(1)).map(|_| Arc::<[JobKind]>::from(kinds)));
    }
    for set in sets {
        tokio::spawn(work_forever(state.clone(), node.clone(), set));
    }
    node
}

async fn work_forever(state: AppState, node: String, kinds: Arc<[JobKind]>) {
    loop {
        match run_next(&state, &node, &kinds).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "claiming a job failed"),
        }
        tokio::select! {
            _ = state.jobs_wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Gives up the jobs whose node died on their last attempt, then claims one due job
/// of `kinds` and runs it to the end of this attempt; false when none was due. The
/// claim is held under `node` and a random part of its own.
pub async fn run_next(
    state: &AppState,
    node: &str,
    kinds: &[JobKind],
) -> Result<bool, crate::store_error::StoreError> {
    for job in store::sweep_exhausted(&state.db, now_ms()).await? {
        tracing::warn!(
            job = job.id.get(),
            kind = job.kind.as_str(),
            "a job was given up: its node stopped at every attempt"
        );
        give_up(state, &job).await;
    }
    let lease = state.security.job_lease_ms;
    let owner = format!("{node}/{:08x}", rand::random::<u32>());
    let Some(job) = store::claim(&state.db, &owner, kinds, now_ms(), lease).await? else {
        return Ok(false);
    };
    // More may be due: let another idle worker look.
    state.jobs_wake.notify_one();
    run_claimed(state, job).await;
    Ok(true)
}

/// Tells the job's feature it was given up (an import's report, an export's page).
async fn give_up(state: &AppState, job: &Claimed) {
    if let Err(e) = super::handlers::give_up(state, job).await {
        tracing::warn!(job = job.id.get(), error = %e, "marking a given-up job's work failed");
    }
}

/// The message a job's failure is shown with: never the error's text, which may be a
/// database's.
fn reason(e: &AppError) -> Msg {
    match e {
        AppError::NotFound => Msg::ErrNotFound,
        AppError::Conflict(msg) => *msg,
        AppError::Validation(fields) => fields.first().map_or(Msg::ErrInternal, |f| f.msg),
        AppError::Unavailable => Msg::ErrUnavailable,
        _ => Msg::ErrInternal,
    }
}

#[tracing::instrument(skip_all, fields(job = job.id.get(), kind = job.kind.as_str(), attempt = job.attempt))]
async fn run_claimed(state: &AppState, job: Claimed) {
    let lease = state.security.job_lease_ms;
    // The handler runs in its own task: a panic fails the attempt instead of the
    // worker, and a lost lease or the time limit stops the handler at its next await.
    let mut work = tokio::spawn(super::handlers::run(state.clone(), job.clone()));
    let mut beat = tokio::time::interval(Duration::from_millis((lease / 3).max(1) as u64));
    beat.tick().await;
    let limit = tokio::time::sleep(Duration::from_millis(job.kind.time_limit_ms() as u64));
    tokio::pin!(limit);
    let outcome = loop {
        tokio::select! {
            done = &mut work => break done,
            _ = &mut limit => {
                work.abort();
                tracing::warn!("a job attempt took too long and was stopped");
                break Ok(Err(AppError::Conflict(Msg::ErrJobTimedOut)));
            }
            _ = beat.tick() => {
                match store::renew(&state.db, job.id, &job.owner, now_ms(), lease).await {
                    Ok(true) => {}
                    Ok(false) => {
                        // Another node took the job over after this one went quiet: it
                        // goes on from the feature's last checkpoint, this node stops.
                        work.abort();
                        tracing::warn!("lease lost; the job goes on elsewhere");
                        return;
                    }
                    // The database is away: keep working; if the lease runs out meanwhile,
                    // the next renewal says so.
                    Err(e) => tracing::warn!(error = %e, "renewing a job's lease failed"),
                }
            }
        }
    };
    let result = match outcome {
        Ok(Ok(next)) => Ok(next),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "a job attempt failed");
            Err(reason(&e))
        }
        Err(join) => {
            tracing::error!(
                panicked = join.is_panic(),
                "a job attempt stopped abnormally"
            );
            Err(Msg::ErrInternal)
        }
    };
    let gave_up = result.is_err() && job.last_attempt();
    match store::complete(&state.db, &job, result, now_ms()).await {
        Ok(true) if gave_up => give_up(state, &job).await,
        Ok(true) => {}
        Ok(false) => tracing::warn!("a job ended after its lease was lost"),
        // Left running: the lease runs out and the job is attempted again (or given up
        // by `store::sweep_exhausted` if this was its last attempt).
        Err(e) => tracing::warn!(error = %e, "ending a job failed"),
    }
}

/// The outcome a handler hands back.
pub type Outcome = Result<Next, AppError>;
