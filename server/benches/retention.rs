//! The daily retention run over a large database when nothing is due (the usual day):
//! the time of one full run of `retention::job::tick`, with four rules of every kind.
//! Uses the contacts `scripts/bench-contacts` keeps (generating them when missing).
//! Settings: ZGODA_BENCH_CONTACTS (default 1,000,000), ZGODA_BENCH_DIR.

mod common;

use std::time::Instant;

use app::contacts::sample;
use app::ids::UserId;
use app::retention::model::{RetentionOutcome, RetentionRule, RetentionScope, RunTrigger};
use common::{bench_dir, open_store, setting};

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let target = setting("ZGODA_BENCH_CONTACTS", 1_000_000);
    let (db, vault) = open_store(&bench_dir(), "contacts.db").await;
    let mut have: u64 = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM contacts")
        .fetch_one(db.pool())
        .await
        .unwrap() as u64;
    while have < target {
        let batch = 5000.min(target - have);
        sample::insert_range(&db, &vault, have, batch)
            .await
            .expect("insert");
        have += batch;
    }
    let user: Option<i64> = sqlx::query_scalar("SELECT MIN(id) FROM users")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let user = UserId(user.unwrap_or_default());
    let mut conn = db.pool().acquire().await.unwrap();
    if app::retention::store::rules(&mut conn)
        .await
        .unwrap()
        .is_empty()
    {
        let definition: Option<i64> = sqlx::query_scalar("SELECT MIN(id) FROM consent_definitions")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        let source: Option<i64> = sqlx::query_scalar("SELECT MIN(id) FROM data_sources")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        let rule = |name: &str, scope, months| RetentionRule {
            name: name.into(),
            scope,
            months,
            outcome: RetentionOutcome::Queue,
            active: true,
            definition_id: definition.map(app::ids::DefinitionId),
            source_id: source.map(app::ids::SourceId),
            ..RetentionRule::default()
        };
        let mut set = vec![
            rule("no purpose: 6 months", RetentionScope::NoPurpose, 6),
            rule("cases: 24 months", RetentionScope::Cases, 24),
        ];
        if definition.is_some() {
            set.push(rule("consent: 1 month", RetentionScope::Consent, 1));
        }
        if source.is_some() {
            set.push(rule("source: 12 months", RetentionScope::Source, 12));
        }
        for r in set {
            let mut tx = db.begin_write().await.unwrap();
            let r = RetentionRule {
                definition_id: r
                    .definition_id
                    .filter(|_| r.scope == RetentionScope::Consent),
                source_id: r.source_id.filter(|_| r.scope == RetentionScope::Source),
                ..r
            };
            app::retention::store::save_rule(&mut tx, user, &r)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
    }
    let rules = app::retention::store::rules(&mut conn).await.unwrap();
    drop(conn);
    println!(
        "{have} contacts; rules: {}",
        rules
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!();
    println!("| run | rules | examined | due | seconds |");
    println!("|---|---|---|---|---|");
    // Runs 1–3 with every rule; 4–6 without the no-purpose rule, which holds for every
    // recent contact and so ends the test early: the others each need their lookups.
    let no_purpose = rules
        .iter()
        .find(|r| r.scope == RetentionScope::NoPurpose)
        .cloned();
    for n in 1..=6 {
        if n == 4 {
            if let Some(rule) = &no_purpose {
                let mut tx = db.begin_write().await.unwrap();
                let off = RetentionRule {
                    active: false,
                    ..rule.clone()
                };
                app::retention::store::save_rule(&mut tx, user, &off)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
        }
        let label = if n <= 3 {
            "all four"
        } else {
            "without no-purpose"
        };
        {
            let mut tx = db.begin_write().await.unwrap();
            app::retention::store::request_run(&mut tx, RunTrigger::Manual, None)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        let started = Instant::now();
        let tick =
            app::retention::job::tick(&db, &vault, "bench", app::retention::job::BATCH, None)
                .await
                .unwrap()
                .expect("the run");
        let seconds = started.elapsed().as_secs_f64();
        let mut conn = db.pool().acquire().await.unwrap();
        let run = app::retention::store::runs(&mut conn, 1).await.unwrap();
        let due = run[0].queued + run[0].erased + run[0].held;
        println!(
            "| {n} | {label} | {} | {due} | {seconds:.1} |",
            tick.examined
        );
    }
    if let Some(rule) = no_purpose {
        let mut tx = db.begin_write().await.unwrap();
        app::retention::store::save_rule(&mut tx, user, &rule)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
}
