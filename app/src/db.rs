//! One pool type for both backends (sqlx's `Any` driver), so one body of product code
//! serves SQLite and PostgreSQL. Conventions the `Any` driver imposes on the schema:
//! integers are 64-bit (`BIGINT` on PostgreSQL), flags are integers 0/1, and every time
//! is UTC in Unix milliseconds.

use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, ConnectOptions, Executor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// Decides the backend from a database URL's scheme.
    pub fn from_url(url: &str) -> Result<Self, DbError> {
        let scheme = url.split_once(':').map(|(s, _)| s).unwrap_or("");
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            other => Err(DbError::UnsupportedScheme(other.to_string())),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL has the unsupported scheme {0:?}; use sqlite://... or postgres://...")]
    UnsupportedScheme(String),
    #[error("cannot open the {backend} database at {place}: {reason}")]
    Connect {
        backend: &'static str,
        place: String,
        reason: String,
    },
    #[error("database migration failed: {0}")]
    Migrate(String),
}

/// The schema against the migrations of this binary (see `Db::schema`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// Every migration applied, none unknown.
    Current,
    /// A migration of this binary is not applied yet (`zgoda migrate` has not run).
    Behind,
    /// The database holds a migration this binary does not know: a newer version of
    /// Zgoda migrated it, and this node must not serve it.
    Newer,
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer. A transaction that reads and then writes fails at once
    /// ("database is locked") when another writer committed since its read, so this
    /// process's write transactions take turns here instead (PostgreSQL needs no turn).
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// A transaction that will write; on SQLite it holds this process's writer turn until
/// it commits or is dropped.
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::Transaction<'static, sqlx::Any>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl Db {
    /// Opens a pool. SQLite gets WAL, foreign keys, a busy timeout and secure delete on
    /// every connection, so erased data is overwritten rather than left in free pages.
    /// PostgreSQL gets UTC and `standard_conforming_strings` on whatever the server's
    /// default: the import writes text and `'\x..'` blob literals inline, and with the
    /// setting off a backslash in them would be read as an escape.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let connect_err = |e: sqlx::Error| DbError::Connect {
            backend: backend.name(),
            place: redacted_place(url),
            reason: short_reason(&e),
        };
        let options = connect_options(url).map_err(connect_err)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA secure_delete = ON").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    } else {
                        conn.execute("SET TIME ZONE 'UTC'").await?;
                        conn.execute("SET standard_conforming_strings = on").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(connect_err)?;
        Ok(Self {
            pool,
            backend,
            writer: Default::default(),
        })
    }

    fn migrator(&self) -> &'static Migrator {
        static SQLITE: Migrator = sqlx::migrate!("../migrations/sqlite");
        static POSTGRES: Migrator = sqlx::migrate!("../migrations/postgres");
        match self.backend {
            Backend::Sqlite => &SQLITE,
            Backend::Postgres => &POSTGRES,
        }
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        self.migrator()
            .run(&self.pool)
            .await
            .map_err(|e| DbError::Migrate(e.to_string()))
    }

    /// How the database's schema compares with the migrations this binary carries.
    pub async fn schema(&self) -> Result<Schema, sqlx::Error> {
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await?;
        let known: Vec<i64> = self
            .migrator()
            .iter()
            .filter(|m| m.migration_type.is_up_migration())
            .map(|m| m.version)
            .collect();
        Ok(if applied.iter().any(|v| !known.contains(v)) {
            Schema::Newer
        } else if known.iter().any(|v| !applied.contains(v)) {
            Schema::Behind
        } else {
            Schema::Current
        })
    }

    /// Begins a transaction that will write (see [`WriteTx`]).
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        let turn = self.write_turn().await;
        let tx = match self.backend {
            // A deferred transaction that read first fails at once ("database is locked")
            // when it upgrades to a writer after another connection wrote, whatever the
            // busy timeout. Taking the write lock at BEGIN makes it wait its turn instead.
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx { tx, _turn: turn })
    }

    /// This process's writer turn on SQLite (`None` on PostgreSQL), for a transaction
    /// begun on a connection the caller holds (the import keeps one with a large cache).
    pub async fn write_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self.backend {
            Backend::Sqlite => Some(self.writer.clone().lock_owned().await),
            Backend::Postgres => None,
        }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The URL's options with sqlx's statement logging off. sqlx logs every statement at
/// DEBUG and any taking over a second at WARN, each with its SQL text; the import's
/// statements carry sealed values inline and run to megabytes, and no statement's text
/// belongs in a log. Slow queries are visible in the database's own statistics instead.
pub fn connect_options(url: &str) -> Result<AnyConnectOptions, sqlx::Error> {
    Ok(url
        .parse::<AnyConnectOptions>()?
        .disable_statement_logging())
}

/// Where a database lives, without credentials: a file path or host:port/name.
fn redacted_place(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let rest = rest.rsplit_once('@').map(|(_, r)| r).unwrap_or(rest);
    rest.split('?').next().unwrap_or(rest).to_string()
}

fn short_reason(err: &sqlx::Error) -> String {
    match err {
        sqlx::Error::PoolTimedOut => "no answer within 5 s".to_string(),
        sqlx::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

/// `$from, $from+1, ...`: the placeholders of an `IN (...)` list of `count` values.
pub fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Now, in UTC Unix milliseconds: the unit of every stored time.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Takes (or keeps) a cluster-wide job (`job_claims`) for `owner` until `now + ttl_ms`:
/// one conditional update, so of several nodes exactly one holds it, and a node that
/// stopped loses it when the time runs out.
pub async fn claim_job(
    db: &Db,
    job: &str,
    owner: &str,
    now: i64,
    ttl_ms: i64,
) -> Result<bool, sqlx::Error> {
    // A write of this process waits its turn (SQLite), as every other one does.
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO job_claims (job, owner, until_at) VALUES ($1, '', 0) ON CONFLICT (job) DO NOTHING",
    )
    .bind(job)
    .execute(&mut **tx)
    .await?;
    let done = sqlx::query(
        "UPDATE job_claims SET owner = $1, until_at = $2 WHERE job = $3 AND (owner = $1 OR until_at < $4)",
    )
    .bind(owner)
    .bind(now + ttl_ms)
    .bind(job)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a job back at once (the next node need not wait for the time to run out).
pub async fn release_job(db: &Db, job: &str, owner: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE job_claims SET until_at = 0 WHERE job = $1 AND owner = $2")
        .bind(job)
        .bind(owner)
        .execute(&mut **tx)
        .await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_decides_backend() {
        assert_eq!(Backend::from_url("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(
            Backend::from_url("postgres://h/db").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::from_url("postgresql://h/db").unwrap(),
            Backend::Postgres
        );
        assert!(matches!(
            Backend::from_url("mysql://h/db"),
            Err(DbError::UnsupportedScheme(s)) if s == "mysql"
        ));
    }

    #[test]
    fn statements_never_reach_the_log() {
        for url in ["sqlite://x.db", "postgres://u:p@h/db"] {
            let log = connect_options(url).unwrap().log_settings;
            assert_eq!(log.statements_level.to_string(), "OFF", "{url}");
            assert_eq!(log.slow_statements_level.to_string(), "OFF", "{url}");
        }
    }

    #[test]
    fn place_never_shows_credentials() {
        assert_eq!(
            redacted_place("postgres://zgoda:s3cret@db.local:5432/zgoda?sslmode=require"),
            "db.local:5432/zgoda"
        );
        assert_eq!(
            redacted_place("sqlite:///var/lib/zgoda/zgoda.db?mode=rwc"),
            "/var/lib/zgoda/zgoda.db"
        );
    }
}
