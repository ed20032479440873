//! The integration-test harness: the real router on port 0, against a fresh SQLite file
//! or a fresh PostgreSQL database made (and dropped) for each test, called over HTTP with
//! a cookie-aware client.
#![allow(dead_code)]

use std::net::SocketAddr;

use app::auth::{admin, Role};
use app::db::Db;
use app::state::{AppState, Security};
use app::vault::{KeySource, Vault};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Connection;

/// A request that takes longer than this is a hang: the test fails with a message
/// instead of holding the whole run (and CI) until it is killed.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// Runs a test body once per backend: `both_backends!(name, |app| async move { ... });`
/// With `security = expr,` before the closure the app runs with those settings.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, |$app:ident| $body:expr) => {
        both_backends!($name, security = app::state::Security::default(), |$app| {
            $body
        });
    };
    ($name:ident, security = $security:expr, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = common::TestApp::spawn_with(common::Kind::Sqlite, $security)
                    .await
                    .expect("SQLite is always there");
                $body.await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) =
                    common::TestApp::spawn_with(common::Kind::Postgres, $security).await
                else {
                    return;
                };
                $body.await;
            }
        }
    };
}

pub struct TestApp {
    pub base: String,
    pub db: Db,
    /// The database's URL, for a second node on the same database.
    pub url: String,
    pub keyring: std::path::PathBuf,
    /// The SQLite database file (its WAL is beside it); `None` on PostgreSQL.
    pub sqlite_file: Option<std::path::PathBuf>,
    pub kind: Kind,
    pub state: AppState,
    _dir: tempfile::TempDir,
    pg: Option<PgDatabase>,
    server: tokio::task::JoinHandle<()>,
}

impl TestApp {
    /// `None` when PostgreSQL is not reachable and the run does not require it
    /// (`ZGODA_REQUIRE_PG=1`, set by the test command under `CI=true`).
    pub async fn spawn(kind: Kind) -> Option<Self> {
        Self::spawn_with(kind, Security::default()).await
    }

    pub async fn spawn_with(kind: Kind, security: Security) -> Option<Self> {
        Self::spawn_running(kind, security, DEFAULT_JOBS).await
    }

    /// A node that runs no background jobs until `start_jobs`: another process on the
    /// same database gets the work.
    pub async fn spawn_without_jobs(kind: Kind) -> Option<Self> {
        Self::spawn_running(kind, Security::default(), &[]).await
    }

    /// Starts this node's workers for `kinds`.
    pub fn start_jobs(&self, kinds: &[app::jobs::JobKind]) {
        zgoda_server::jobs::spawn_workers(&self.state, kinds);
    }

    async fn spawn_running(
        kind: Kind,
        security: Security,
        jobs: &[app::jobs::JobKind],
    ) -> Option<Self> {
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, pg) = match kind {
            Kind::Sqlite => (
                format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("zgoda.db").display()
                ),
                None,
            ),
            Kind::Postgres => {
                let pg = PgDatabase::create().await?;
                (pg.url.clone(), Some(pg))
            }
        };
        let db = Db::connect(&url, 5).await.expect("connect");
        db.migrate().await.expect("migrate");
        let keyring = dir.path().join("keyring");
        let (vault, _) = Vault::open(KeySource::File(keyring.clone()), &db)
            .await
            .expect("vault");
        let options = leptos::config::LeptosOptions::builder()
            .output_name("zgoda")
            .site_root(dir.path().display().to_string())
            .site_addr(SocketAddr::from(([127, 0, 0, 1], 0)))
            .build();
        let state = AppState::new(db.clone(), options, security, vault);
        let (base, server) = serve(&state, jobs).await;
        Some(Self {
            base,
            db,
            url,
            keyring,
            sqlite_file: (kind == Kind::Sqlite).then(|| dir.path().join("zgoda.db")),
            kind,
            state,
            _dir: dir,
            pg,
            server,
        })
    }

    /// A browser-like client: keeps cookies and says where its requests come from.
    pub fn client(&self) -> Client {
        browser(&self.base)
    }

    /// Another Zgoda node on the same database and keyring, with its own pool, state,
    /// background jobs and port: what a second server behind the load balancer is.
    pub async fn second_node(&self) -> Node {
        let db = Db::connect(&self.url, 5).await.expect("connect");
        let (vault, _) = Vault::open(KeySource::File(self.keyring.clone()), &db)
            .await
            .expect("vault");
        let options = leptos::config::LeptosOptions::builder()
            .output_name("zgoda")
            .site_root(self._dir.path().display().to_string())
            .site_addr(SocketAddr::from(([127, 0, 0, 1], 0)))
            .build();
        let state = AppState::new(db, options, self.state.security.as_ref().clone(), vault);
        let (base, server) = serve(&state, DEFAULT_JOBS).await;
        Node { base, server }
    }

    /// A client signed in, as `login` (a user already added), on the node at `base`.
    pub async fn sign_in_at(&self, base: &str, login: &str) -> Client {
        let client = browser(base);
        let (status, body) = client
            .call("login", &[("login", login), ("password", TEST_PASSWORD)])
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        client
    }

    /// A client that sends no Origin header (an integrator, or a forged request).
    pub fn bare_client(&self) -> Client {
        Client {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .timeout(REQUEST_TIMEOUT)
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
        }
    }

    /// An integrator's client: no cookies, no Origin, the API token on every request.
    pub fn token_client(&self, token: &str) -> Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "authorization",
            format!("Bearer {token}").parse().expect("header"),
        );
        Client {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .timeout(REQUEST_TIMEOUT)
                .default_headers(headers)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
        }
    }

    pub async fn add_user(&self, login: &str, role: Role, password: &str) -> i64 {
        let (id, _) = admin::provision(
            &self.db,
            login,
            "Test User",
            role,
            Some(password.to_string()),
        )
        .await
        .expect("provision");
        id.get()
    }

    /// A client signed in as a new user of that role.
    pub async fn signed_in(&self, login: &str, role: Role) -> Client {
        self.add_user(login, role, TEST_PASSWORD).await;
        self.sign_in_at(&self.base, login).await
    }

    pub async fn exec(&self, sql: &str) {
        sqlx::query(sql).execute(self.db.pool()).await.expect(sql);
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The password of every user `signed_in` adds.
pub const TEST_PASSWORD: &str = "Test-Password-42";

/// A second node (see `TestApp::second_node`); stops when dropped.
pub struct Node {
    pub base: String,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Node {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The kinds of job a test node runs by itself: exports, the key rotation check, purges
/// and the backfill are run by hand by the tests about them.
const DEFAULT_JOBS: &[app::jobs::JobKind] = &[
    app::jobs::JobKind::Import,
    app::jobs::JobKind::Webhook,
    app::jobs::JobKind::Retention,
];

/// A node's background jobs and router, served on a free port; returns its address.
async fn serve(
    state: &AppState,
    jobs: &[app::jobs::JobKind],
) -> (String, tokio::task::JoinHandle<()>) {
    if !jobs.is_empty() {
        zgoda_server::jobs::spawn_workers(state, jobs);
    }
    let router = zgoda_server::router::build(state.clone(), None);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("serve");
    });
    (format!("http://{addr}"), server)
}

/// A browser-like client of the node at `base`: keeps cookies and says where its
/// requests come from.
fn browser(base: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("origin", base.parse().expect("origin"));
    Client {
        base: base.to_string(),
        http: reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .cookie_store(true)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
    }
}

#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
}

impl Client {
    /// Sends a request and returns its status and JSON body (or the text, as a string).
    async fn send(&self, request: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let res = request
            .header("accept", "application/json")
            .send()
            .await
            .expect("request");
        let status = res.status();
        let text = res.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, body)
    }

    fn post(&self, endpoint: &str) -> reqwest::RequestBuilder {
        self.http.post(format!("{}/api/{endpoint}", self.base))
    }

    /// Calls a server function the way a browser form does; returns status and JSON body.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        self.send(self.post(endpoint).form(form)).await
    }

    /// Calls a server function with a JSON body (the endpoints taking a record).
    pub async fn call_json(&self, endpoint: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.post(endpoint).json(&body)).await
    }

    /// Calls a server function with a multipart body (file uploads).
    pub async fn call_multipart(
        &self,
        endpoint: &str,
        form: reqwest::multipart::Form,
    ) -> (StatusCode, Value) {
        self.send(self.post(endpoint).multipart(form)).await
    }

    /// Records a consent decision taken during a call, without evidence.
    pub async fn decide(&self, contact: i64, definition: i64, decision: &str) {
        let form = reqwest::multipart::Form::new()
            .text("contact_id", contact.to_string())
            .text("definition_id", definition.to_string())
            .text("decision", decision.to_string())
            .text("method", "call");
        let (status, body) = self.call_multipart("consent_record", form).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    /// Saves a contact (`input` as `contact_save` takes it) and returns its id.
    pub async fn contact_save(&self, input: Value) -> i64 {
        let (status, body) = self
            .call_json("contact_save", serde_json::json!({ "input": input }))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body.as_i64().expect("id")
    }

    /// The contact card, which must be there.
    pub async fn contact_card(&self, id: i64) -> Value {
        let (status, body) = self.call("contact_get", &[("id", &id.to_string())]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// "Usuń dane osobowe" → "TAK" for a contact; returns the pending request's id.
    pub async fn ask_erasure(&self, contact: i64) -> i64 {
        let (status, body) = self
            .call(
                "erasure_request",
                &[
                    ("contact_id", &contact.to_string()),
                    ("ground", "consent_withdrawn"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["state"], "pending");
        body["id"].as_i64().expect("request id")
    }

    /// Uploads a file to the import wizard, as its file field does.
    pub async fn upload_import(&self, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        self.call_multipart("import_upload", form).await
    }

    /// A data source of the kind "import file"; returns its id.
    pub async fn import_source(&self, name: &str) -> i64 {
        let (status, body) = self
            .call(
                "data_source_save",
                &[("name", name), ("kind", "import_file"), ("active", "on")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body.as_i64().expect("source id")
    }

    /// Polls the import (every 100 ms, at most `polls` times) until the background runner
    /// has finished it, done or failed; returns its report.
    pub async fn import_report(&self, id: i64, polls: usize) -> Value {
        for _ in 0..polls {
            let (status, body) = self.call("import_status", &[("id", &id.to_string())]).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            if body["status"] == "done" || body["status"] == "failed" {
                return body;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the import did not finish");
    }

    /// An active consent definition with a one-sentence statement; returns its id.
    pub async fn define_consent(&self, name: &str, channel: &str, marketing: bool) -> i64 {
        let mut fields = vec![
            ("name", name),
            ("statement", "Wyrażam zgodę."),
            ("purpose", "Kontakt"),
            ("legal_basis", "consent"),
            ("channel", channel),
            ("active", "on"),
        ];
        if marketing {
            fields.push(("marketing", "on"));
        }
        let (status, body) = self.call("consent_definition_save", &fields).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body.as_i64().expect("definition id")
    }

    pub async fn approve_erasure(&self, request: i64) -> (StatusCode, Value) {
        self.call(
            "erasure_approve",
            &[("request_ids[0]", &request.to_string())],
        )
        .await
    }

    pub async fn withdraw_erasure(&self, request: i64) -> (StatusCode, Value) {
        self.call("erasure_withdraw", &[("request_id", &request.to_string())])
            .await
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request")
    }
}

/// A PostgreSQL database of its own, dropped when the test ends.
struct PgDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PgDatabase {
    async fn create() -> Option<Self> {
        let admin_url = std::env::var("ZGODA_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
        let required = std::env::var("ZGODA_REQUIRE_PG").is_ok_and(|v| v == "1")
            || std::env::var("CI").is_ok_and(|v| v == "true");
        let mut conn = match sqlx::PgConnection::connect(&admin_url).await {
            Ok(c) => c,
            Err(e) if required => {
                panic!("PostgreSQL is required for this run but unreachable: {e}")
            }
            Err(_) => {
                eprintln!("PostgreSQL unreachable: skipping the PostgreSQL variant");
                return None;
            }
        };
        let name = format!(
            "zgoda_test_{}_{}",
            std::process::id(),
            rand::random::<u32>()
        );
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create database");
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(&admin_url);
        Some(Self {
            url: format!("{base}/{name}"),
            admin_url,
            name,
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime; a thread of its own may block.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
                }
            });
        })
        .join();
    }
}

/// A copy of a test app's database, as a backup made now would hold it.
pub struct Backup {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    _pg: Option<PgDatabase>,
}

impl TestApp {
    /// Copies the database as it is now: on SQLite the file after a checkpoint (what
    /// `cp` of a quiet database gives), on PostgreSQL a database made from it as a
    /// template (its other sessions are ended first; the pool reconnects).
    pub async fn backup(&self) -> Backup {
        match (&self.sqlite_file, &self.pg) {
            (Some(file), _) => {
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(self.db.pool())
                    .await
                    .expect("checkpoint");
                let dir = tempfile::tempdir().expect("temp dir");
                let copy = dir.path().join("zgoda.db");
                std::fs::copy(file, &copy).expect("copy");
                Backup {
                    url: format!("sqlite://{}?mode=rwc", copy.display()),
                    _dir: Some(dir),
                    _pg: None,
                }
            }
            (None, Some(pg)) => {
                let mut conn = sqlx::PgConnection::connect(&pg.admin_url)
                    .await
                    .expect("admin connection");
                let name = format!("{}_copy_{}", pg.name, rand::random::<u16>());
                // The app's background jobs may reconnect in between: try again.
                let mut attempts = 0;
                loop {
                    sqlx::query(&format!(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                         WHERE datname = '{}' AND pid <> pg_backend_pid()",
                        pg.name
                    ))
                    .execute(&mut conn)
                    .await
                    .expect("end sessions");
                    let made = sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {}", pg.name))
                        .execute(&mut conn)
                        .await;
                    match made {
                        Ok(_) => break,
                        Err(e) if attempts < 10 => {
                            attempts += 1;
                            eprintln!("copying the database: {e}; again");
                            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        }
                        Err(e) => panic!("copy database: {e}"),
                    }
                }
                let base = pg.url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&pg.url);
                let url = format!("{base}/{name}");
                Backup {
                    url: url.clone(),
                    _dir: None,
                    _pg: Some(PgDatabase {
                        admin_url: pg.admin_url.clone(),
                        name,
                        url,
                    }),
                }
            }
            (None, None) => unreachable!("a test app has a database"),
        }
    }
}
