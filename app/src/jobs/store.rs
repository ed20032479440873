//! The only writer of `jobs`. A job is claimed by one conditional statement (on
//! PostgreSQL its candidate row is locked `FOR UPDATE SKIP LOCKED`, so nodes asking at
//! once each get a different job), held by a lease its node renews, and ended only by
//! the node whose lease it is: a node that stalled and lost the lease cannot end a job
//! another node took over.

use sqlx::{AnyConnection, Row};

use super::model::{backoff_ms, JobCounts, JobKind, JobRow, JobStatus};
use crate::db::{Backend, Db};
use crate::i18n::Msg;
use crate::ids::JobId;
use crate::store_error::{Doing, Refusal, StoreError};

/// The PostgreSQL channel a queued job is announced on (`LISTEN` in `jobs::wake`).
pub const CHANNEL: &str = "zgoda_jobs";

/// A job this node holds.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: JobId,
    pub kind: JobKind,
    pub subject: Option<i64>,
    /// This attempt's number, from 1.
    pub attempt: i64,
    pub max_attempts: i64,
    /// The node holding the lease.
    pub owner: String,
}

impl Claimed {
    /// Whether a failure now gives the job up (recurring kinds are rescheduled instead).
    pub fn last_attempt(&self) -> bool {
        self.kind.period_ms().is_none() && self.attempt >= self.max_attempts
    }
}

/// What became of a job its handler ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Finished (a recurring kind waits for its next period).
    Done,
    /// Not finished, nothing failed: run again at this time (a webhook receiver's next
    /// retry under its own schedule).
    At(i64),
}

/// Tells the other nodes (PostgreSQL) that a job is due; sent when the transaction
/// commits. On SQLite the nodes poll.
async fn announce(conn: &mut AnyConnection) -> Result<(), StoreError> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query(&format!("NOTIFY {CHANNEL}"))
            .execute(&mut *conn)
            .await
            .doing("announcing a job")?;
    }
    Ok(())
}

/// Queues work on `subject` (an import, an export, a delivery), in the caller's
/// transaction: the job exists exactly when the work it stands for was committed.
pub async fn enqueue(
    conn: &mut AnyConnection,
    kind: JobKind,
    subject: Option<i64>,
    run_at: i64,
) -> Result<JobId, StoreError> {
    let now = crate::db::now_ms();
    let id = sqlx::query_scalar(
        "INSERT INTO jobs (kind, subject, status, run_at, max_attempts, created_at, updated_at) \
         VALUES ($1, $2, 'waiting', $3, $4, $5, $5) RETURNING id",
    )
    .bind(kind.as_str())
    .bind(subject)
    .bind(run_at)
    .bind(kind.max_attempts())
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .doing("queueing a job")?;
    announce(conn).await?;
    Ok(id)
}

/// Queues the one job of `kind` unless it is already waiting or running (recurring
/// kinds, and work that must not run twice at once). Returns whether it was queued.
pub async fn ensure_one(
    conn: &mut AnyConnection,
    kind: JobKind,
    run_at: i64,
) -> Result<bool, StoreError> {
    let now = crate::db::now_ms();
    let done = sqlx::query(
        "INSERT INTO jobs (kind, singleton, status, run_at, max_attempts, created_at, updated_at) \
         VALUES ($1, $1, 'waiting', $2, $3, $4, $4) ON CONFLICT (singleton) DO NOTHING",
    )
    .bind(kind.as_str())
    .bind(run_at)
    .bind(kind.max_attempts())
    .bind(now)
    .execute(&mut *conn)
    .await
    .doing("queueing a recurring job")?;
    if done.rows_affected() == 1 {
        announce(conn).await?;
    }
    Ok(done.rows_affected() == 1)
}

/// A manager's "run now" for the one job of `kind`: due at once if it waits, run again
/// as soon as it ends if it runs, queued if there is none.
pub async fn run_now(conn: &mut AnyConnection, kind: JobKind, now: i64) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE jobs SET run_at = $1, updated_at = $1, \
         rerun = CASE WHEN status = 'running' THEN 1 ELSE rerun END WHERE singleton = $2",
    )
    .bind(now)
    .bind(kind.as_str())
    .execute(&mut *conn)
    .await
    .doing("asking for a job to run")?;
    if done.rows_affected() == 0 {
        ensure_one(conn, kind, now).await?;
    } else {
        announce(conn).await?;
    }
    Ok(())
}

fn kinds_sql(kinds: &[JobKind]) -> String {
    // The names are this program's constants, never input.
    kinds
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Claims the next due job of one of `kinds` for `owner` until `now + lease_ms`: a
/// waiting job whose time has come, or a running one whose lease ran out (its node
/// died or lost the database) with attempts left. The attempt is counted now, so a job
/// that kills every node it runs on is given up in the end (`sweep_exhausted`).
/// `owner` names this one claim, not only the node: two workers of one node never
/// hold a job under the same name.
pub async fn claim(
    db: &Db,
    owner: &str,
    kinds: &[JobKind],
    now: i64,
    lease_ms: i64,
) -> Result<Option<Claimed>, StoreError> {
    if kinds.is_empty() {
        return Ok(None);
    }
    // Due: a waiting job whose time has come, or a running one whose lease ran out and
    // that has attempts left. One condition for the look and for the claim.
    let due = |now: &str| {
        format!(
            "kind IN ({kinds}) AND ((status = 'waiting' AND run_at <= {now}) \
             OR (status = 'running' AND lease_until < {now} AND attempts < max_attempts))",
            kinds = kinds_sql(kinds)
        )
    };
    // Most polls find nothing: a plain read first keeps them off SQLite's one writer.
    let found: Option<JobId> =
        sqlx::query_scalar(&format!("SELECT id FROM jobs WHERE {} LIMIT 1", due("$1")))
            .bind(now)
            .fetch_optional(db.pool())
            .await
            .doing("looking for a due job")?;
    if found.is_none() {
        return Ok(None);
    }
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', lease_owner = $1, lease_until = $2, \
         attempts = attempts + 1, started_at = $3, updated_at = $3 \
         WHERE id = (SELECT id FROM jobs WHERE {} ORDER BY run_at, id LIMIT 1{lock}) \
         RETURNING id, kind, subject, attempts, max_attempts",
        due("$3")
    );
    // SQLite: the write turn of this process; other processes wait on the file lock.
    let mut tx = db.begin_write().await.doing("claiming a job")?;
    let row = sqlx::query(&sql)
        .bind(owner)
        .bind(now + lease_ms)
        .bind(now)
        .fetch_optional(&mut **tx)
        .await
        .doing("claiming a job")?;
    tx.commit().await.doing("claiming a job")?;
    let Some(row) = row else {
        return Ok(None);
    };
    let kind: String = row.try_get("kind")?;
    Ok(Some(Claimed {
        id: row.try_get("id")?,
        kind: JobKind::parse(&kind).ok_or(StoreError::Inconsistent("a job of unknown kind"))?,
        subject: row.try_get("subject")?,
        attempt: row.try_get("attempts")?,
        max_attempts: row.try_get("max_attempts")?,
        owner: owner.to_string(),
    }))
}

/// Renews `owner`'s lease; false when it is no longer theirs (another node took over).
pub async fn renew(
    db: &Db,
    id: JobId,
    owner: &str,
    now: i64,
    lease_ms: i64,
) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await.doing("renewing a job's lease")?;
    let done = sqlx::query(
        "UPDATE jobs SET lease_until = $1, updated_at = $2 \
         WHERE id = $3 AND lease_owner = $4 AND status = 'running'",
    )
    .bind(now + lease_ms)
    .bind(now)
    .bind(id)
    .bind(owner)
    .execute(&mut **tx)
    .await
    .doing("renewing a job's lease")?;
    tx.commit().await.doing("renewing a job's lease")?;
    Ok(done.rows_affected() == 1)
}

/// Whether `owner` still holds the job: features check it inside the transaction that
/// records their work, so a node that lost its lease records nothing. On PostgreSQL the
/// job's row stays share-locked until that transaction ends, so no other node can take
/// the job over between the check and the commit (on SQLite the write turn does that).
pub async fn holds(conn: &mut AnyConnection, id: JobId, owner: &str) -> Result<bool, StoreError> {
    let lock = if conn.backend_name() == "PostgreSQL" {
        " FOR SHARE"
    } else {
        ""
    };
    let found: Option<JobId> = sqlx::query_scalar(&format!(
        "SELECT id FROM jobs WHERE id = $1 AND lease_owner = $2 AND status = 'running'{lock}"
    ))
    .bind(id)
    .bind(owner)
    .fetch_optional(&mut *conn)
    .await
    .doing("checking a job's lease")?;
    Ok(found.is_some())
}

/// Jobs whose node died on their last attempt (the lease ran out, no attempts left):
/// work queued once is failed and returned, for its feature to be told; a recurring kind
/// waits for its next period. Conditional, so of several nodes one acts on each.
pub async fn sweep_exhausted(db: &Db, now: i64) -> Result<Vec<Claimed>, StoreError> {
    let rows: Vec<(JobId, String, Option<i64>, i64, i64)> = sqlx::query_as(
        "SELECT id, kind, subject, attempts, max_attempts FROM jobs WHERE status = 'running' \
         AND lease_until < $1 AND attempts >= max_attempts LIMIT 20",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await
    .doing("looking for abandoned jobs")?;
    let mut failed = Vec::new();
    for (id, kind, subject, attempt, max_attempts) in rows {
        let Some(kind) = JobKind::parse(&kind) else {
            continue;
        };
        let (status, run_at) = match kind.period_ms() {
            Some(period) => ("waiting", now + period),
            None => ("failed", now),
        };
        let mut tx = db.begin_write().await.doing("giving a job up")?;
        let done = sqlx::query(
            "UPDATE jobs SET status = $1, run_at = $2, last_error = $3, \
             attempts = CASE WHEN $1 = 'waiting' THEN 0 ELSE attempts END, \
             finished_at = $4, singleton = CASE WHEN $1 = 'failed' THEN NULL ELSE singleton END, \
             lease_owner = NULL, lease_until = NULL, updated_at = $4 \
             WHERE id = $5 AND status = 'running' AND lease_until < $4 AND attempts >= max_attempts",
        )
        .bind(status)
        .bind(run_at)
        .bind(Msg::ErrJobAbandoned.key())
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await
        .doing("giving a job up")?;
        tx.commit().await.doing("giving a job up")?;
        if done.rows_affected() == 1 && status == "failed" {
            failed.push(Claimed {
                id,
                kind,
                subject,
                attempt,
                max_attempts,
                owner: String::new(),
            });
        }
    }
    Ok(failed)
}

/// Ends the attempt `job` made at `now`. A failure is retried after a growing delay
/// until the kind's attempts are used up, then the job is failed with its reason; a
/// recurring kind is scheduled for its next period either way. Only while the lease is
/// still `job.owner`'s; returns whether it was.
pub async fn complete(
    db: &Db,
    job: &Claimed,
    result: Result<Next, Msg>,
    now: i64,
) -> Result<bool, StoreError> {
    let period = job.kind.period_ms();
    // (status, run_at, attempts reset, error, finished)
    let (status, run_at, reset, error, finished) = match (result, period) {
        (Ok(Next::Done), Some(period)) => ("waiting", now + period, true, None, true),
        (Ok(Next::Done), None) => ("done", now, false, None, true),
        (Ok(Next::At(at)), _) => ("waiting", at, true, None, false),
        (Err(msg), Some(period)) => ("waiting", now + period, true, Some(msg), true),
        (Err(msg), None) if job.attempt < job.max_attempts => (
            "waiting",
            now + backoff_ms(job.attempt),
            false,
            Some(msg),
            false,
        ),
        (Err(msg), None) => ("failed", now, false, Some(msg), true),
    };
    let ended = matches!(status, "done" | "failed");
    let mut tx = db.begin_write().await.doing("ending a job")?;
    let done = sqlx::query(
        "UPDATE jobs SET status = $1, \
         run_at = CASE WHEN rerun = 1 AND $1 = 'waiting' THEN $2 ELSE $3 END, rerun = 0, \
         attempts = CASE WHEN $4 = 1 THEN 0 ELSE attempts END, last_error = $5, \
         finished_at = CASE WHEN $6 = 1 THEN $2 ELSE finished_at END, \
         singleton = CASE WHEN $7 = 1 THEN NULL ELSE singleton END, \
         lease_owner = NULL, lease_until = NULL, updated_at = $2 \
         WHERE id = $8 AND lease_owner = $9 AND status = 'running'",
    )
    .bind(status)
    .bind(now)
    .bind(run_at)
    .bind(i64::from(reset))
    .bind(error.map(Msg::key))
    .bind(i64::from(finished))
    .bind(i64::from(ended))
    .bind(job.id)
    .bind(&job.owner)
    .execute(&mut **tx)
    .await
    .doing("ending a job")?;
    tx.commit().await.doing("ending a job")?;
    Ok(done.rows_affected() == 1)
}

/// A failed job queued again at once with fresh attempts ("Ponów"); only the kinds
/// whose work is still there to do (`JobKind::retryable`).
pub async fn retry(conn: &mut AnyConnection, id: JobId, now: i64) -> Result<(), StoreError> {
    let found: Option<(String, String)> =
        sqlx::query_as("SELECT kind, status FROM jobs WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .doing("retrying a job")?;
    let Some((kind, status)) = found else {
        return Err(StoreError::NotFound);
    };
    if status != "failed" {
        return Err(StoreError::Refused(Refusal::JobNotFailed));
    }
    if !JobKind::parse(&kind).is_some_and(JobKind::retryable) {
        return Err(StoreError::Refused(Refusal::JobNotRetryable));
    }
    let done = sqlx::query(
        "UPDATE jobs SET status = 'waiting', run_at = $1, attempts = 0, finished_at = NULL, \
         last_error = NULL, updated_at = $1 WHERE id = $2 AND status = 'failed'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await
    .doing("retrying a job")?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Refused(Refusal::JobNotFailed));
    }
    announce(conn).await
}

/// Queues a job for work a node of an earlier version left without one (queued or
/// running imports and exports, pending deliveries): run by every node at start, so an
/// upgrade loses nothing even when older nodes still ran after the migration. Returns
/// how many were adopted.
pub async fn adopt_orphans(conn: &mut AnyConnection, now: i64) -> Result<u64, StoreError> {
    let mut adopted = 0;
    for (kind, select) in [
        (
            JobKind::Import,
            "SELECT id, $1 AS run_at FROM imports WHERE status IN ('queued', 'running')",
        ),
        (
            JobKind::Export,
            "SELECT id, $1 AS run_at FROM exports WHERE status IN ('queued', 'running') \
             AND purged_at IS NULL",
        ),
        (
            JobKind::Webhook,
            "SELECT id, next_at AS run_at FROM webhook_deliveries WHERE state = 'pending'",
        ),
    ] {
        let sql = format!(
            "INSERT INTO jobs (kind, subject, status, run_at, max_attempts, created_at, updated_at) \
             SELECT '{kind}', o.id, 'waiting', o.run_at, {max}, $1, $1 \
             FROM ({select}) o WHERE NOT EXISTS (SELECT 1 FROM jobs j \
             WHERE j.kind = '{kind}' AND j.subject = o.id AND j.status IN ('waiting', 'running'))",
            kind = kind.as_str(),
            max = kind.max_attempts(),
        );
        let done = sqlx::query(&sql)
            .bind(now)
            .execute(&mut *conn)
            .await
            .doing("adopting work without a job")?;
        adopted += done.rows_affected();
    }
    if adopted > 0 {
        announce(conn).await?;
    }
    Ok(adopted)
}

/// Forgets finished jobs: done ones after `done_before`, failed ones after
/// `failed_before` (kept longer, so someone sees them).
pub async fn purge(
    conn: &mut AnyConnection,
    done_before: i64,
    failed_before: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "DELETE FROM jobs WHERE (status = 'done' AND finished_at < $1) \
         OR (status = 'failed' AND finished_at < $2)",
    )
    .bind(done_before)
    .bind(failed_before)
    .execute(&mut *conn)
    .await
    .doing("purging old jobs")?;
    Ok(done.rows_affected())
}

fn row_of(r: &sqlx::any::AnyRow) -> Result<JobRow, StoreError> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    Ok(JobRow {
        id: r.try_get("id")?,
        kind: JobKind::parse(&kind).ok_or(StoreError::Inconsistent("a job of unknown kind"))?,
        subject: r.try_get("subject")?,
        status: JobStatus::parse(&status)
            .ok_or(StoreError::Inconsistent("a job in an unknown state"))?,
        attempts: r.try_get("attempts")?,
        max_attempts: r.try_get("max_attempts")?,
        run_at: r.try_get("run_at")?,
        node: r.try_get("lease_owner")?,
        lease_until: r.try_get("lease_until")?,
        error: r
            .try_get::<Option<String>, _>("last_error")?
            .and_then(|k| Msg::from_key(&k)),
        created_at: r.try_get("created_at")?,
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
    })
}

/// The newest `limit` jobs, those in `status` only if given; running ones first.
pub async fn list(
    conn: &mut AnyConnection,
    status: Option<JobStatus>,
    limit: i64,
) -> Result<Vec<JobRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, kind, subject, status, attempts, max_attempts, run_at, lease_owner, \
         lease_until, last_error, created_at, started_at, finished_at FROM jobs \
         WHERE ($1 = '' OR status = $1) \
         ORDER BY CASE status WHEN 'running' THEN 0 WHEN 'failed' THEN 1 WHEN 'waiting' THEN 2 \
         ELSE 3 END, id DESC LIMIT $2",
    )
    .bind(status.map_or("", JobStatus::as_str))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
    .doing("listing jobs")?;
    rows.iter().map(row_of).collect()
}

pub async fn counts(conn: &mut AnyConnection) -> Result<JobCounts, StoreError> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM jobs GROUP BY status")
            .fetch_all(&mut *conn)
            .await
            .doing("counting jobs")?;
    let mut counts = JobCounts::default();
    for (status, n) in rows {
        match JobStatus::parse(&status) {
            Some(JobStatus::Waiting) => counts.waiting = n,
            Some(JobStatus::Running) => counts.running = n,
            Some(JobStatus::Failed) => counts.failed = n,
            _ => {}
        }
    }
    Ok(counts)
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
