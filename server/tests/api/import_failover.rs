//! A node killed with SIGKILL in the middle of an import (#20): node A is the real
//! `zgoda` binary in a process of its own, node B this test's node on the same database
//! and keyring. A takes the import's job and writes some batches; the test kills it; B
//! takes the job over when A's lease runs out and finishes the import: every row of the
//! file counted once, no row lost, none twice. On SQLite the two processes share the
//! file; on PostgreSQL the database.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::{self, Kind};
use crate::imports::settings;
use app::auth::Role;
use app::jobs::JobKind;
use reqwest::StatusCode;

const ROWS: usize = 20_000;

/// Node A: `zgoda serve` on a free port, its job lease two seconds.
fn node_a(app: &common::TestApp, dir: &std::path::Path) -> Child {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    Command::new(env!("CARGO_BIN_EXE_zgoda"))
        .arg("serve")
        .env_remove("ZGODA_CONFIG")
        .env("DATABASE_URL", &app.url)
        .env("ZGODA_KEYRING_FILE", &app.keyring)
        .env("ZGODA_DATA_DIR", dir)
        .env("LEPTOS_SITE_ROOT", dir)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("ZGODA_JOB_LEASE_SECONDS", "2")
        .env("ZGODA_KEY_ROTATION_DAYS", "0")
        .env("ZGODA_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("node A starts")
}

async fn progress(app: &common::TestApp, id: i64) -> (String, i64) {
    sqlx::query_as("SELECT status, rows_done FROM imports WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("the import")
}

async fn killed_mid_import(kind: Kind) {
    let Some(app) = common::TestApp::spawn_without_jobs(kind).await else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut a = node_a(&app, dir.path());

    let manager = app.signed_in("menedzer", Role::Manager).await;
    let source = manager.import_source("Baza kupiona").await;
    let mut file = String::from("Imię;Nazwisko;Telefon\n");
    for i in 0..ROWS {
        file.push_str(&format!("Osoba{i};Kowalczyk;60{i:07}\n"));
    }
    let (status, loaded) = manager
        .upload_import("kupiona.csv", file.into_bytes())
        .await;
    assert_eq!(status, StatusCode::OK, "{loaded}");
    let id = loaded["id"].as_i64().expect("import id");
    let mapping = loaded["preview"]["suggested"].clone();
    let settings = settings(&loaded, source, &[], mapping, "skip");
    let (status, body) = manager
        .call_json(
            "import_start",
            serde_json::json!({"id": id, "settings": settings}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Node A (the only node with workers) takes the job and writes its first batches.
    let mut polls = 0;
    loop {
        let (status, done) = progress(&app, id).await;
        if status == "done" || status == "failed" {
            let (_, report) = manager
                .call("import_status", &[("id", &id.to_string())])
                .await;
            panic!("node A ended the import before it could be killed: {report}");
        }
        if done > 0 {
            break;
        }
        polls += 1;
        assert!(polls < 3_000, "node A never started the import");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    a.kill().expect("SIGKILL");
    a.wait().expect("node A is gone");
    let (status, done_at_kill) = progress(&app, id).await;
    assert_eq!(status, "running");
    assert!((done_at_kill as usize) < ROWS);
    let holder: Option<String> =
        sqlx::query_scalar("SELECT lease_owner FROM jobs WHERE kind = 'import' AND subject = $1")
            .bind(id)
            .fetch_one(app.db.pool())
            .await
            .expect("the job");
    assert!(holder.is_some(), "the dead node still holds the lease");

    // Node B starts working: after A's lease runs out it takes the job over.
    app.start_jobs(&[JobKind::Import]);
    let report = manager.import_report(id, 1_800).await;
    assert_eq!(report["status"], "done", "{report}");
    let counters = &report["counters"];
    assert_eq!(counters["rows_read"], ROWS as i64, "{report}");
    assert_eq!(counters["added"], ROWS as i64, "{report}");
    assert_eq!(counters["duplicates"], 0, "{report}");
    assert_eq!(counters["rejected"], 0, "{report}");
    let contacts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE import_id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!(contacts, ROWS as i64, "no row lost, none twice");
    // Every contact has its data key (none half-written by the killed node).
    let keyless: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM contacts c WHERE c.import_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM contact_keys k WHERE k.contact_id = c.id)",
    )
    .bind(id)
    .fetch_one(app.db.pool())
    .await
    .expect("keys");
    assert_eq!(keyless, 0);
    // The job ends just after the import it ran (its worker records the outcome next).
    let mut job = (String::new(), 0, None);
    for _ in 0..100 {
        job = sqlx::query_as(
            "SELECT status, attempts, lease_owner FROM jobs WHERE kind = 'import' AND subject = $1",
        )
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("the job");
        if job.0 != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, attempts, node): (String, i64, Option<String>) = job;
    assert_eq!((status.as_str(), attempts, node), ("done", 2, None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    killed_mid_import(Kind::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    killed_mid_import(Kind::Postgres).await;
}
