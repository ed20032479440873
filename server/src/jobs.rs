//! Background work every node runs beside serving requests: the job workers (one queue
//! for imports, exports, webhook deliveries, retention, key rotation, purges and the
//! search backfill; see `app::jobs`) and, on PostgreSQL, the listener that wakes them
//! when any node queues a job.

use app::jobs::JobKind;
use app::state::AppState;

/// Workers per node: a long import or export leaves the others free for deliveries.
pub const WORKERS: usize = 4;

/// Queues the standing jobs (already there: left alone) and starts this node's
/// workers for every kind. Returns the node's name on the jobs it holds.
pub async fn spawn(state: &AppState, database_url: Option<&str>) -> String {
    if let Err(e) = app::jobs::handlers::schedule_standing(state).await {
        // The next node start tries again; the workers still run what is queued.
        tracing::warn!(error = %e, "queueing the standing jobs failed");
    }
    if let Some(url) = database_url.filter(|_| state.db.backend() == app::db::Backend::Postgres) {
        tokio::spawn(app::jobs::wake::listen(
            url.to_string(),
            state.jobs_wake.clone(),
        ));
    }
    spawn_workers(state, &JobKind::ALL)
}

/// Workers for `kinds` only (the integration tests run some kinds by hand).
pub fn spawn_workers(state: &AppState, kinds: &[JobKind]) -> String {
    app::jobs::runner::spawn(state, kinds, WORKERS)
}

/// `zgoda jobs`: the counts, then one line per job (English, for the terminal).
pub async fn print(
    db: &app::db::Db,
    status: Option<app::jobs::JobStatus>,
    limit: i64,
) -> Result<i32, app::error::AppError> {
    use app::i18n::Lang;
    let mut conn = db.pool().acquire().await?;
    let counts = app::jobs::store::counts(&mut conn).await?;
    let jobs = app::jobs::store::list(&mut conn, status, limit.clamp(1, 10_000)).await?;
    println!(
        "running {}, waiting {}, failed {}",
        counts.running, counts.waiting, counts.failed
    );
    for job in jobs {
        let when = job.when();
        println!(
            "{:>8}  {:<15} {:>8}  {:<8} {:>2}/{:<2}  {}  {}{}",
            job.id,
            job.kind.as_str(),
            job.subject
                .map(|s| s.to_string())
                .unwrap_or_else(|| "-".into()),
            job.status.as_str(),
            job.attempts,
            job.max_attempts,
            app::time_fmt::iso_utc(when),
            job.node.as_deref().unwrap_or(""),
            job.error
                .map(|e| format!("  error: {}", e.text(Lang::En)))
                .unwrap_or_default(),
        );
    }
    Ok(0)
}

/// `zgoda jobs retry ID`: a failed job queued again, recorded in the audit trail.
pub async fn retry(db: &app::db::Db, id: app::ids::JobId) -> Result<i32, app::error::AppError> {
    use app::audit::store as audit;
    let mut tx = db.begin_write().await?;
    app::jobs::store::retry(&mut tx, id, app::db::now_ms()).await?;
    let event = audit::Event::new("job.retried", audit::Outcome::Success)
        .subject(format!("job:{id}"))
        .source("cli");
    audit::append_in(&mut tx, db.backend(), &event).await?;
    tx.commit().await?;
    println!("Job {id} queued again.");
    Ok(0)
}
