//! Store tests in a second: a fresh migrated database with a vault, on SQLite (a file in
//! a temporary folder) and on PostgreSQL (a database of its own, dropped afterwards).
//! `store_test!(name, |t| async move { ... })` runs the body on both, like the
//! integration tests' `both_backends!`; under `ZGODA_REQUIRE_PG=1` or `CI=true` a missing
//! PostgreSQL fails the test instead of skipping it.

use sqlx::Connection;

use crate::db::Db;
use crate::vault::{KeySource, Vault};

pub struct TestDb {
    pub db: Db,
    pub vault: Vault,
    /// The database's URL (a second connection, a listener).
    pub url: String,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("store.db").display()
        );
        Self::open(url, dir, None).await
    }

    /// `None` when PostgreSQL is not there and not required.
    pub async fn postgres() -> Option<Self> {
        let admin = std::env::var("ZGODA_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
        let required = std::env::var("ZGODA_REQUIRE_PG").is_ok_and(|v| v == "1")
            || std::env::var("CI").is_ok_and(|v| v == "true");
        let mut conn = match sqlx::PgConnection::connect(&admin).await {
            Ok(conn) => conn,
            Err(e) if required => panic!("PostgreSQL is required but unreachable: {e}"),
            Err(_) => return None,
        };
        let name = format!(
            "zgoda_store_{}_{}",
            std::process::id(),
            rand::random::<u32>()
        );
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create database");
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        let dir = tempfile::tempdir().expect("temp dir");
        Some(Self::open(url, dir, Some((admin.clone(), name))).await)
    }

    async fn open(url: String, dir: tempfile::TempDir, pg: Option<(String, String)>) -> Self {
        let db = Db::connect(&url, 4).await.expect("connect");
        let url_kept = url.clone();
        db.migrate().await.expect("migrate");
        let (vault, _) = Vault::open(KeySource::File(dir.path().join("keyring")), &db)
            .await
            .expect("vault");
        Self {
            db,
            vault,
            url: url_kept,
            _dir: dir,
            pg,
        }
    }

    /// Runs SQL the test needs to set the scene (a user, a row as another node left it).
    pub async fn exec(&self, sql: &str) {
        sqlx::query(sql).execute(self.db.pool()).await.expect(sql);
    }

    /// A person saved as on the contact card, with this name and nothing else.
    pub async fn person(&self, first_name: &str, last_name: &str) -> crate::ids::ContactId {
        let data = crate::contacts::model::ContactData {
            first_name: first_name.into(),
            last_name: last_name.into(),
            ..Default::default()
        };
        let valid = crate::contacts::validate::validate(&data).expect("valid");
        let mut tx = self.db.begin_write().await.unwrap();
        let (id, _) = crate::contacts::store::insert(&mut tx, &self.vault, None, None, &valid)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.pg.take() else {
            return;
        };
        // Drop runs inside the test's runtime; a thread of its own may block on another.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
                }
            });
        })
        .join();
    }
}

/// A store test run once per backend.
macro_rules! store_test {
    ($name:ident, |$t:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $t = $crate::test_db::TestDb::sqlite().await;
                $body.await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($t) = $crate::test_db::TestDb::postgres().await else {
                    return;
                };
                $body.await;
            }
        }
    };
}
pub(crate) use store_test;
