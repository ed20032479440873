//! The queue on its own, on both databases: one claim per job among nodes asking at
//! once, a dead node's lease taken over, retries with backoff up to a failure, the
//! recurring kinds, and what the page lists.

use super::*;
use crate::test_db::{store_test, TestDb};

const LEASE: i64 = 30_000;

async fn queue(t: &TestDb, kind: JobKind, subject: i64, run_at: i64) -> JobId {
    let mut conn = t.db.pool().acquire().await.unwrap();
    enqueue(&mut conn, kind, Some(subject), run_at)
        .await
        .unwrap()
}

async fn row(t: &TestDb, id: JobId) -> JobRow {
    let mut conn = t.db.pool().acquire().await.unwrap();
    list(&mut conn, None, 1000)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.id == id)
        .expect("the job is listed")
}

const ALL: &[JobKind] = &JobKind::ALL;

store_test!(nodes_asking_at_once_get_one_job_each, |t| async move {
    let now = crate::db::now_ms();
    let first = queue(&t, JobKind::Import, 1, now).await;
    let second = queue(&t, JobKind::Import, 2, now).await;
    let (a, b, c) = tokio::join!(
        claim(&t.db, "node-a", ALL, now, LEASE),
        claim(&t.db, "node-b", ALL, now, LEASE),
        claim(&t.db, "node-c", ALL, now, LEASE),
    );
    let mut got: Vec<JobId> = [a, b, c]
        .into_iter()
        .filter_map(|c| c.unwrap().map(|c| c.id))
        .collect();
    got.sort();
    assert_eq!(got, [first, second], "each job once, the third node none");
    assert_eq!(row(&t, first).await.status, JobStatus::Running);
});

store_test!(
    a_dead_nodes_lease_runs_out_and_another_takes_over,
    |t| async move {
        let now = crate::db::now_ms();
        let id = queue(&t, JobKind::Import, 7, now).await;
        let a = claim(&t.db, "node-a", ALL, now, LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((a.id, a.attempt, a.subject), (id, 1, Some(7)));
        // A live lease keeps everyone else away; renewing it keeps it longer.
        assert!(claim(&t.db, "node-b", ALL, now + LEASE - 1, LEASE)
            .await
            .unwrap()
            .is_none());
        assert!(renew(&t.db, id, "node-a", now + 10_000, LEASE)
            .await
            .unwrap());
        assert!(claim(&t.db, "node-b", ALL, now + LEASE + 1, LEASE)
            .await
            .unwrap()
            .is_none());
        // Node A stops renewing: after its lease B takes the job, as a second attempt.
        let later = now + 10_000 + LEASE + 1;
        let b = claim(&t.db, "node-b", ALL, later, LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((b.id, b.attempt), (id, 2));
        // A wakes up: it can neither renew nor end B's job.
        assert!(!renew(&t.db, id, "node-a", later, LEASE).await.unwrap());
        assert!(!complete(&t.db, &a, Ok(Next::Done), later).await.unwrap());
        let mut conn = t.db.pool().acquire().await.unwrap();
        assert!(!holds(&mut conn, id, "node-a").await.unwrap());
        assert!(holds(&mut conn, id, "node-b").await.unwrap());
        drop(conn);
        assert!(complete(&t.db, &b, Ok(Next::Done), later).await.unwrap());
        let done = row(&t, id).await;
        assert_eq!((done.status, done.node), (JobStatus::Done, None));
    }
);

store_test!(
    only_due_jobs_of_the_asked_kinds_are_claimed,
    |t| async move {
        let now = crate::db::now_ms();
        queue(&t, JobKind::Export, 1, now + 60_000).await;
        let webhook = queue(&t, JobKind::Webhook, 2, now).await;
        assert!(claim(&t.db, "n", &[JobKind::Export], now, LEASE)
            .await
            .unwrap()
            .is_none());
        assert!(claim(&t.db, "n", &[], now, LEASE).await.unwrap().is_none());
        let got = claim(&t.db, "n", &[JobKind::Webhook, JobKind::Export], now, LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got.id, webhook);
        assert!(complete(&t.db, &got, Ok(Next::Done), now).await.unwrap());
        let export = claim(&t.db, "n", ALL, now + 60_000, LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(export.kind, JobKind::Export);
    }
);

store_test!(
    failures_back_off_and_then_fail_with_their_reason,
    |t| async move {
        let mut now = crate::db::now_ms();
        let id = queue(&t, JobKind::Export, 3, now).await;
        for attempt in 1..=3 {
            let job = claim(&t.db, "n", ALL, now, LEASE).await.unwrap().unwrap();
            assert_eq!(job.attempt, attempt);
            assert_eq!(job.last_attempt(), attempt == 3);
            assert!(complete(&t.db, &job, Err(Msg::ErrUnavailable), now)
                .await
                .unwrap());
            let r = row(&t, id).await;
            assert_eq!(r.error, Some(Msg::ErrUnavailable));
            if attempt < 3 {
                assert_eq!(r.status, JobStatus::Waiting);
                assert_eq!(r.run_at, now + backoff_ms(attempt));
                // Not before its time.
                assert!(claim(&t.db, "n", ALL, r.run_at - 1, LEASE)
                    .await
                    .unwrap()
                    .is_none());
                now = r.run_at;
            } else {
                assert_eq!(r.status, JobStatus::Failed);
                assert!(r.finished_at.is_some());
            }
        }
        assert!(claim(&t.db, "n", ALL, now + 3_600_000, LEASE)
            .await
            .unwrap()
            .is_none());
        let mut conn = t.db.pool().acquire().await.unwrap();
        assert_eq!(counts(&mut conn).await.unwrap().failed, 1);
        assert_eq!(
            list(&mut conn, Some(JobStatus::Failed), 10)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(list(&mut conn, Some(JobStatus::Waiting), 10)
            .await
            .unwrap()
            .is_empty());
        // A failed export is failed in its own record too: it is not retried here.
        assert!(matches!(
            retry(&mut conn, id, now).await,
            Err(StoreError::Refused(Refusal::JobNotRetryable))
        ));
    }
);

store_test!(
    a_job_rescheduled_by_its_handler_keeps_its_attempts,
    |t| async move {
        let now = crate::db::now_ms();
        let id = queue(&t, JobKind::Webhook, 4, now).await;
        let job = claim(&t.db, "n", ALL, now, LEASE).await.unwrap().unwrap();
        assert!(complete(&t.db, &job, Ok(Next::At(now + 60_000)), now)
            .await
            .unwrap());
        let r = row(&t, id).await;
        assert_eq!(
            (r.status, r.run_at, r.attempts, r.error),
            (JobStatus::Waiting, now + 60_000, 0, None)
        );
    }
);

store_test!(recurring_jobs_exist_once_and_come_back, |t| async move {
    let now = crate::db::now_ms();
    let mut conn = t.db.pool().acquire().await.unwrap();
    assert!(ensure_one(&mut conn, JobKind::Retention, now)
        .await
        .unwrap());
    assert!(!ensure_one(&mut conn, JobKind::Retention, now)
        .await
        .unwrap());
    drop(conn);
    let job = claim(&t.db, "n", ALL, now, LEASE).await.unwrap().unwrap();
    assert_eq!((job.kind, job.subject), (JobKind::Retention, None));
    assert!(!job.last_attempt(), "a recurring job is never given up");
    // Still one while it runs.
    let mut conn = t.db.pool().acquire().await.unwrap();
    assert!(!ensure_one(&mut conn, JobKind::Retention, now)
        .await
        .unwrap());
    drop(conn);
    assert!(complete(&t.db, &job, Err(Msg::ErrInternal), now)
        .await
        .unwrap());
    let r = row(&t, job.id).await;
    let period = JobKind::Retention.period_ms().unwrap();
    assert_eq!(
        (r.status, r.run_at, r.error),
        (JobStatus::Waiting, now + period, Some(Msg::ErrInternal))
    );

    // A manager's "run now" while it waits: due at once.
    let mut conn = t.db.pool().acquire().await.unwrap();
    run_now(&mut conn, JobKind::Retention, now + 1)
        .await
        .unwrap();
    drop(conn);
    let job = claim(&t.db, "n", ALL, now + 1, LEASE)
        .await
        .unwrap()
        .unwrap();
    // ...and while it runs: it runs again as soon as it ends, not a period later.
    let mut conn = t.db.pool().acquire().await.unwrap();
    run_now(&mut conn, JobKind::Retention, now + 2)
        .await
        .unwrap();
    drop(conn);
    assert!(complete(&t.db, &job, Ok(Next::Done), now + 3)
        .await
        .unwrap());
    let r = row(&t, job.id).await;
    assert_eq!(
        (r.status, r.run_at, r.error),
        (JobStatus::Waiting, now + 3, None)
    );
    let job = claim(&t.db, "n", ALL, now + 3, LEASE)
        .await
        .unwrap()
        .unwrap();
    assert!(complete(&t.db, &job, Ok(Next::Done), now + 4)
        .await
        .unwrap());
    assert_eq!(row(&t, job.id).await.run_at, now + 4 + period);
});

store_test!(
    a_one_off_singleton_can_be_queued_again_once_done,
    |t| async move {
        let now = crate::db::now_ms();
        let mut conn = t.db.pool().acquire().await.unwrap();
        assert!(ensure_one(&mut conn, JobKind::SearchBackfill, now)
            .await
            .unwrap());
        drop(conn);
        let job = claim(&t.db, "n", ALL, now, LEASE).await.unwrap().unwrap();
        assert!(complete(&t.db, &job, Ok(Next::Done), now).await.unwrap());
        let mut conn = t.db.pool().acquire().await.unwrap();
        assert!(ensure_one(&mut conn, JobKind::SearchBackfill, now)
            .await
            .unwrap());
    }
);

store_test!(
    finished_jobs_are_forgotten_after_their_time,
    |t| async move {
        let now = crate::db::now_ms();
        let done = queue(&t, JobKind::Webhook, 1, now).await;
        let job = claim(&t.db, "n", ALL, now, LEASE).await.unwrap().unwrap();
        assert!(complete(&t.db, &job, Ok(Next::Done), now).await.unwrap());
        let waiting = queue(&t, JobKind::Webhook, 2, now + 1_000_000).await;
        let mut conn = t.db.pool().acquire().await.unwrap();
        assert_eq!(purge(&mut conn, now, now).await.unwrap(), 0);
        assert_eq!(purge(&mut conn, now + 1, now + 1).await.unwrap(), 1);
        let left: Vec<JobId> = list(&mut conn, None, 10)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(left, [waiting]);
        assert_ne!(done, waiting);
    }
);

/// PostgreSQL announces a queued job to every listening node when the queueing
/// transaction commits (not before); SQLite has no such thing and the workers poll.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_queued_on_postgres_wakes_the_listening_nodes() {
    let Some(t) = TestDb::postgres().await else {
        return;
    };
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    let listener = tokio::spawn(super::super::wake::listen(t.url.clone(), wake.clone()));
    let woken = || tokio::time::timeout(std::time::Duration::from_millis(300), wake.notified());
    // The listener connects in the background: queue until it hears one.
    let mut heard = false;
    for _ in 0..50 {
        queue(&t, JobKind::Webhook, 1, 0).await;
        if woken().await.is_ok() {
            heard = true;
            break;
        }
    }
    assert!(heard, "no notification within 15 s");
    // Held back until the commit.
    let mut tx = t.db.begin_write().await.unwrap();
    enqueue(&mut tx, JobKind::Webhook, Some(2), 0)
        .await
        .unwrap();
    assert!(woken().await.is_err(), "announced before the commit");
    tx.commit().await.unwrap();
    assert!(woken().await.is_ok(), "announced at the commit");
    listener.abort();
}

store_test!(
    a_failed_delivery_job_is_retried_with_fresh_attempts,
    |t| async move {
        let now = crate::db::now_ms();
        let id = queue(&t, JobKind::Webhook, 5, now).await;
        let mut conn = t.db.pool().acquire().await.unwrap();
        assert!(matches!(
            retry(&mut conn, id, now).await,
            Err(StoreError::Refused(Refusal::JobNotFailed))
        ));
        assert!(matches!(
            retry(&mut conn, JobId(9_999), now).await,
            Err(StoreError::NotFound)
        ));
        t.exec(&format!(
        "UPDATE jobs SET status = 'failed', attempts = 20, last_error = 'ErrUnavailable' WHERE id = {id}"
    ))
    .await;
        retry(&mut conn, id, now).await.unwrap();
        drop(conn);
        let r = row(&t, id).await;
        assert_eq!(
            (r.status, r.attempts, r.error),
            (JobStatus::Waiting, 0, None)
        );
        let again = claim(&t.db, "n", ALL, now, LEASE).await.unwrap().unwrap();
        assert_eq!((again.id, again.attempt), (id, 1));
    }
);

store_test!(
    a_job_that_kills_its_node_every_time_is_given_up,
    |t| async move {
        let now = crate::db::now_ms();
        let id = queue(&t, JobKind::Export, 6, now).await;
        let mut at = now;
        for attempt in 1..=3 {
            let job = claim(&t.db, &format!("node-{attempt}"), ALL, at, LEASE)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(job.attempt, attempt);
            // The node dies: nothing ends the attempt, the lease runs out.
            at += LEASE + 1;
            if attempt < 3 {
                assert!(sweep_exhausted(&t.db, at).await.unwrap().is_empty());
            }
        }
        // No attempts left: not taken over again, but given up, once.
        assert!(claim(&t.db, "node-4", ALL, at, LEASE)
            .await
            .unwrap()
            .is_none());
        let given_up = sweep_exhausted(&t.db, at).await.unwrap();
        let given_up: Vec<_> = given_up.iter().map(|j| (j.id, j.subject)).collect();
        assert_eq!(given_up, [(id, Some(6))]);
        assert!(sweep_exhausted(&t.db, at).await.unwrap().is_empty());
        let r = row(&t, id).await;
        assert_eq!(
            (r.status, r.error),
            (JobStatus::Failed, Some(Msg::ErrJobAbandoned))
        );

        // A recurring kind is not failed: it waits for its next period.
        let mut conn = t.db.pool().acquire().await.unwrap();
        ensure_one(&mut conn, JobKind::Purge, at).await.unwrap();
        drop(conn);
        t.exec("UPDATE jobs SET attempts = max_attempts - 1 WHERE kind = 'purge'")
            .await;
        let purge = claim(&t.db, "node-5", ALL, at, LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(purge.kind, JobKind::Purge);
        let later = at + LEASE + 1;
        assert!(sweep_exhausted(&t.db, later).await.unwrap().is_empty());
        let r = row(&t, purge.id).await;
        assert_eq!(r.status, JobStatus::Waiting);
        assert_eq!(r.run_at, later + JobKind::Purge.period_ms().unwrap());
    }
);

store_test!(work_queued_without_a_job_is_adopted_once, |t| async move {
    let now = crate::db::now_ms();
    t.exec(
        "INSERT INTO imports (id, file_name, format, encoding, master_key_id, status, created_at, \
         updated_at) VALUES (41, 'a.csv', 'delimited', 'utf-8', 1, 'queued', 0, 0), \
         (42, 'b.csv', 'delimited', 'utf-8', 1, 'done', 0, 0)",
    )
    .await;
    let mut conn = t.db.pool().acquire().await.unwrap();
    assert_eq!(adopt_orphans(&mut conn, now).await.unwrap(), 1);
    assert_eq!(adopt_orphans(&mut conn, now).await.unwrap(), 0, "once");
    drop(conn);
    let job = claim(&t.db, "n", ALL, now, LEASE).await.unwrap().unwrap();
    assert_eq!((job.kind, job.subject), (JobKind::Import, Some(41)));
});
