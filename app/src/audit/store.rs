//! Appending to and verifying the chain. Each row's hash covers the previous row's hash,
//! its own id and content; the newest id and hash are also kept in `settings`, so rows
//! removed from the end are noticed too.

use crate::ids::UserId;
use crate::store_error::StoreError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::AuditEntry;
use crate::db::{now_ms, Backend, Db};
use crate::state::AppState;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HEAD_KEY: &str = "audit_head";

plain_enum!(Outcome {
    Success = "success",
    Failure = "failure",
    Denied = "denied",
});

/// What happened. `subject` names the object by id (e.g. `user:7`), never by a value.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub actor_user_id: Option<UserId>,
    pub actor_login: Option<&'a str>,
    pub action: &'a str,
    pub subject: Option<String>,
    pub source: Option<&'a str>,
    pub outcome: Outcome,
}

impl<'a> Event<'a> {
    pub fn new(action: &'a str, outcome: Outcome) -> Self {
        Self {
            actor_user_id: None,
            actor_login: None,
            action,
            subject: None,
            source: None,
            outcome,
        }
    }

    pub fn actor(mut self, id: UserId, login: &'a str) -> Self {
        self.actor_user_id = Some(id);
        self.actor_login = Some(login);
        self
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    pub fn source(mut self, source: &'a str) -> Self {
        self.source = Some(source);
        self
    }
}

struct Content<'a> {
    id: i64,
    at: i64,
    actor_user_id: Option<UserId>,
    actor_login: Option<&'a str>,
    action: &'a str,
    subject: Option<&'a str>,
    source: Option<&'a str>,
    outcome: &'a str,
}

fn chain_hash(prev_hash: &str, c: &Content<'_>) -> String {
    let mut h = Sha256::new();
    // Length-prefixed fields: no two different rows serialise to the same bytes.
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    field(prev_hash);
    field(&c.id.to_string());
    field(&c.at.to_string());
    field(&c.actor_user_id.map(|v| v.to_string()).unwrap_or_default());
    field(c.actor_login.unwrap_or("\u{0}"));
    field(c.action);
    field(c.subject.unwrap_or("\u{0}"));
    field(c.source.unwrap_or("\u{0}"));
    field(c.outcome);
    hex::encode(h.finalize())
}

/// Appends one event. Within a node a mutex serialises appends; on PostgreSQL a table
/// lock does the same across nodes; the UNIQUE prev_hash refuses any fork that slips by.
pub async fn append(state: &AppState, event: Event<'_>) -> Result<(), StoreError> {
    let _guard = state.audit_lock.lock().await;
    append_locked(&state.db, &event).await
}

/// For callers outside the web server (the command line).
pub async fn append_with_db(db: &Db, event: Event<'_>) -> Result<(), StoreError> {
    append_locked(db, &event).await
}

async fn append_locked(db: &Db, event: &Event<'_>) -> Result<(), StoreError> {
    let mut attempt = 0;
    loop {
        match try_append(db, event).await {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() && attempt < 3 => {
                attempt += 1;
            }
            other => return other.map_err(StoreError::from),
        }
    }
}

/// Appends within the action's own transaction, so the action and its record commit
/// or vanish together. Call it last before the commit: on PostgreSQL it takes the
/// chain's table lock until then.
pub async fn append_in(
    tx: &mut crate::db::WriteTx,
    backend: Backend,
    event: &Event<'_>,
) -> Result<(), StoreError> {
    append_on(tx, backend, event)
        .await
        .map_err(StoreError::from)
}

async fn try_append(db: &Db, event: &Event<'_>) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    append_on(&mut tx, db.backend(), event).await?;
    tx.commit().await
}

async fn append_on(
    tx: &mut crate::db::WriteTx,
    backend: Backend,
    event: &Event<'_>,
) -> Result<(), sqlx::Error> {
    if backend == Backend::Postgres {
        sqlx::query("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut ***tx)
            .await?;
    }
    let last = sqlx::query("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut ***tx)
        .await?;
    let (prev_id, prev_hash) = match last {
        Some(row) => (
            row.try_get::<i64, _>("id")?,
            row.try_get::<String, _>("hash")?,
        ),
        None => (0, GENESIS.to_string()),
    };
    let content = Content {
        id: prev_id + 1,
        at: now_ms(),
        actor_user_id: event.actor_user_id,
        actor_login: event.actor_login,
        action: event.action,
        subject: event.subject.as_deref(),
        source: event.source,
        outcome: event.outcome.as_str(),
    };
    let hash = chain_hash(&prev_hash, &content);
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_user_id, actor_login, action, subject, source, \
         outcome, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(content.id)
    .bind(content.at)
    .bind(content.actor_user_id)
    .bind(content.actor_login)
    .bind(content.action)
    .bind(content.subject)
    .bind(content.source)
    .bind(content.outcome)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut ***tx)
    .await?;
    sqlx::query(
        "INSERT INTO settings (setting_key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (setting_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(HEAD_KEY)
    .bind(format!("{}:{hash}", content.id))
    .bind(content.at)
    .execute(&mut ***tx)
    .await?;
    Ok(())
}

/// The outcome of `zgoda audit verify`.
#[derive(Debug, Default)]
pub struct Verification {
    pub rows: u64,
    /// Each problem names a row id and what is wrong with it; empty means intact.
    pub problems: Vec<String>,
}

pub async fn verify(db: &Db) -> Result<Verification, StoreError> {
    let rows = sqlx::query(
        "SELECT id, at, actor_user_id, actor_login, action, subject, source, outcome, \
         prev_hash, hash FROM audit_log ORDER BY id",
    )
    .fetch_all(db.pool())
    .await?;
    let mut report = Verification::default();
    let mut expected_prev = GENESIS.to_string();
    let mut expected_id = 1i64;
    for row in &rows {
        report.rows += 1;
        let id: i64 = row.try_get("id")?;
        let prev_hash: String = row.try_get("prev_hash")?;
        let hash: String = row.try_get("hash")?;
        let actor_login: Option<String> = row.try_get("actor_login")?;
        let action: String = row.try_get("action")?;
        let subject: Option<String> = row.try_get("subject")?;
        let source: Option<String> = row.try_get("source")?;
        let outcome: String = row.try_get("outcome")?;
        if id != expected_id {
            report.problems.push(format!(
                "row {id}: rows {expected_id}..{} are missing",
                id - 1
            ));
        }
        if prev_hash != expected_prev {
            report
                .problems
                .push(format!("row {id}: does not follow the previous row (inserted, deleted or edited before it)"));
        }
        let content = Content {
            id,
            at: row.try_get("at")?,
            actor_user_id: row.try_get("actor_user_id")?,
            actor_login: actor_login.as_deref(),
            action: &action,
            subject: subject.as_deref(),
            source: source.as_deref(),
            outcome: &outcome,
        };
        if chain_hash(&prev_hash, &content) != hash {
            report
                .problems
                .push(format!("row {id}: its content was edited"));
        }
        expected_prev = hash;
        expected_id = id + 1;
    }
    let head: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE setting_key = $1")
            .bind(HEAD_KEY)
            .fetch_optional(db.pool())
            .await?;
    let actual_head = (report.rows > 0).then(|| format!("{}:{expected_prev}", expected_id - 1));
    if head != actual_head {
        report.problems.push(
            "the newest rows were removed (the chain's recorded head is missing)".to_string(),
        );
    }
    Ok(report)
}

pub async fn list(db: &Db, before: Option<i64>, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, at, actor_login, action, subject, source, outcome FROM audit_log \
         WHERE id < $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit.clamp(1, 500))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditEntry {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                actor_login: r.try_get("actor_login")?,
                action: r.try_get("action")?,
                subject: r.try_get("subject")?,
                source: r.try_get("source")?,
                outcome: r.try_get("outcome")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(StoreError::from)
}
