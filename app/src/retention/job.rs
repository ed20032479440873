//! The retention job: once a day (and when a manager asks), one node at a time finds the
//! contacts whose every purpose ended and queues or erases them as their rules say. The
//! job queue and the cluster-wide claim (`job_claims`, row 'retention') pick the node;
//! the run's `done_through` lets another node finish a run whose node stopped.

use crate::audit::store::{append_in, Event, Outcome};
use crate::db::{now_ms, Db};
use crate::ids::ContactId;
use crate::jobs::runner::Outcome as JobOutcome;
use crate::jobs::store::{Claimed, Next};
use crate::state::AppState;
use crate::store_error::StoreError;
use crate::vault::Vault;

use super::model::{RetentionOutcome, RunTrigger};
use super::store::{self, Progress};

pub const JOB: &str = "retention";
/// Contacts per batch: one scan query and one transaction.
pub const BATCH: i64 = 5_000;
const DAY_MS: i64 = 86_400_000;
/// Due contacts acted on per transaction.
const CHUNK: usize = 100;
/// How long a node holds the claim without renewing it (each batch renews it): a node
/// that stopped mid-run leaves it to another after this.
pub const CLAIM_MS: i64 = 600_000;

/// The recurring job (every ten minutes, at once when a manager asks): works on the
/// open run until none is left, since a manager may ask again while one runs. The
/// job queue picks the node; the run's own claim (`job_claims`) stays as the fence a
/// node that stalled checks between batches, so after a node dies mid-run the run goes
/// on once that claim runs out too.
pub async fn run_job(state: &AppState, job: &Claimed) -> JobOutcome {
    loop {
        match tick(&state.db, &state.vault, &job.owner, BATCH, None).await? {
            Some(summary) if summary.finished => tracing::info!(
                run = summary.run_id,
                examined = summary.examined,
                "retention run finished"
            ),
            _ => return Ok(Next::Done),
        }
    }
}

/// What one `tick` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tick {
    pub run_id: i64,
    pub examined: i64,
    pub finished: bool,
}

/// Takes the claim, schedules the daily run when a day has passed since the last, and
/// works on the open run: all of it, or `max_batches` batches (tests stop a run halfway
/// to resume it elsewhere). `None` when another node holds the claim or nothing is open.
pub async fn tick(
    db: &Db,
    vault: &Vault,
    owner: &str,
    batch: i64,
    max_batches: Option<usize>,
) -> Result<Option<Tick>, StoreError> {
    if !crate::db::claim_job(db, JOB, owner, now_ms(), CLAIM_MS).await? {
        return Ok(None);
    }
    let result = work(db, vault, owner, batch, max_batches).await;
    if let Err(e) = crate::db::release_job(db, JOB, owner).await {
        tracing::warn!(error = %e, "releasing the retention claim failed");
    }
    result
}

async fn work(
    db: &Db,
    vault: &Vault,
    owner: &str,
    batch: i64,
    max_batches: Option<usize>,
) -> Result<Option<Tick>, StoreError> {
    let now = now_ms();
    let (run_id, mut after) = {
        let mut tx = db.begin_write().await?;
        let last = store::last_requested(&mut tx).await?;
        if last.is_none_or(|at| at <= now - DAY_MS) {
            store::request_run(&mut tx, RunTrigger::Schedule, None).await?;
        }
        let open = store::open_run(&mut tx).await?;
        if let Some((id, _)) = open {
            store::start(&mut tx, id, owner).await?;
        }
        tx.commit().await?;
        match open {
            Some(open) => open,
            None => return Ok(None),
        }
    };
    let rules = {
        let mut conn = db.pool().acquire().await?;
        store::rules(&mut conn).await?
    };
    let mut tick = Tick {
        run_id,
        ..Tick::default()
    };
    let mut batches = 0;
    loop {
        if max_batches.is_some_and(|max| batches >= max) {
            return Ok(Some(tick));
        }
        // Still ours? A node that stalled past its claim leaves the run to the next one.
        if batches > 0 && !crate::db::claim_job(db, JOB, owner, now_ms(), CLAIM_MS).await? {
            return Ok(Some(tick));
        }
        batches += 1;
        let scan = {
            let mut conn = db.pool().acquire().await?;
            store::scan(&mut conn, &rules, now, after, batch).await?
        };
        let Some(last) = scan.last else {
            // The run's row is its record; each contact queued or erased has its own
            // audit entry, written with the change.
            let mut tx = db.begin_write().await?;
            store::finish(&mut tx, run_id).await?;
            tx.commit().await?;
            tick.finished = true;
            return Ok(Some(tick));
        };
        // Small transactions: an erasure syncs the register file, and on SQLite every
        // other writer of this process waits for the one open write.
        for chunk in scan.due.chunks(CHUNK) {
            if !act_on(db, vault, &rules, now, run_id, owner, chunk).await? {
                return Ok(Some(tick));
            }
        }
        let mut tx = db.begin_write().await?;
        if !store::advance(&mut tx, run_id, owner, after, last, scan.examined).await? {
            // Another node took the run over meanwhile: it goes on from where it was.
            return Ok(Some(tick));
        }
        tx.commit().await?;
        tick.examined += scan.examined;
        after = last;
    }
}

/// Acts on one chunk of due contacts in one transaction: whether each is still due is
/// decided again inside it (a consent granted or a case opened since the scan keeps the
/// contact). Each contact runs in a savepoint, so one that fails (a request filed at the
/// same moment) is skipped and logged instead of stopping the run. `false` when the run
/// is no longer this node's.
async fn act_on(
    db: &Db,
    vault: &Vault,
    rules: &[super::model::RetentionRule],
    now: i64,
    run_id: i64,
    owner: &str,
    chunk: &[ContactId],
) -> Result<bool, StoreError> {
    use sqlx::Connection;
    let mut tx = db.begin_write().await?;
    if !store::owns(&mut tx, run_id, owner).await? {
        return Ok(false);
    }
    let mut progress = Progress::default();
    let mut audits: Vec<(ContactId, &'static str, i64)> = Vec::new();
    for contact_id in store::still_due(&mut tx, rules, now, chunk).await? {
        let due = store::explain(&mut tx, rules, contact_id).await?;
        if due.held {
            progress.held += 1;
            continue;
        }
        let Some((rule_id, _, _)) = due.ended.first().cloned() else {
            continue;
        };
        let mut savepoint = (**tx).begin().await?;
        let done = match due.outcome {
            RetentionOutcome::Queue => {
                crate::erasure::store::request_for_retention(&mut savepoint, contact_id, rule_id)
                    .await
                    .map(|_| "erasure.requested_by_retention")
            }
            RetentionOutcome::Erase => crate::erasure::store::erase_for_retention(
                &mut savepoint,
                vault,
                contact_id,
                rule_id,
            )
            .await
            .map(|()| "contact.erased_by_retention"),
        };
        match done {
            Ok(action) => {
                savepoint.commit().await?;
                let counts = progress.by_rule.entry(rule_id).or_default();
                if due.outcome == RetentionOutcome::Queue {
                    progress.queued += 1;
                    counts.0 += 1;
                } else {
                    progress.erased += 1;
                    counts.1 += 1;
                }
                audits.push((contact_id, action, rule_id.get()));
            }
            Err(e) => {
                savepoint.rollback().await?;
                tracing::warn!(contact = contact_id.get(), error = %e, "retention skipped a contact");
            }
        }
    }
    store::progress(&mut tx, run_id, &progress).await?;
    // Last before the commit: on PostgreSQL the audit chain holds its lock until then.
    for (contact_id, action, rule) in audits {
        let event = Event::new(action, Outcome::Success)
            .subject(format!("contact:{contact_id} retention_rule:{rule}"))
            .source("retention");
        append_in(&mut tx, db.backend(), &event).await?;
    }
    tx.commit().await?;
    Ok(true)
}
