//! What every request can reach, through Leptos context and axum state: no globals.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::db::Db;
use crate::vault::Vault;

/// Settings the product needs from configuration.
#[derive(Debug, Clone)]
pub struct Security {
    /// Served over https: cookies get `Secure` and the `__Host-` prefix, and HSTS is sent.
    pub https: bool,
    pub session_idle_ms: i64,
    pub session_absolute_ms: i64,
    /// Failed sign-ins of one account before a lock.
    pub lockout_threshold: i64,
    /// Failed sign-ins from one address before a lock: far higher, since a whole call
    /// centre may sit behind one address.
    pub address_lockout_threshold: i64,
    pub lockout_ms: i64,
    /// Behind a reverse proxy, the client's address is the last `X-Forwarded-For` entry
    /// (the one the proxy added). Off by default: without a proxy the header is forged at will.
    pub trust_forwarded_for: bool,
    /// Exports of more rows than this are prepared in the background (a progress page,
    /// the file kept sealed for a day) instead of streamed to the browser at once.
    pub export_background_rows: usize,
    /// The first retry of a failed webhook delivery waits this long; each next one twice
    /// as long (at most two hours), for a day.
    pub webhook_retry_base_ms: i64,
    /// The address people use (`ZGODA_PUBLIC_URL`), for links Zgoda hands out.
    pub public_url: Option<String>,
    /// The scheduled key rotation, when configured (every node should say the same).
    pub key_rotation: Option<crate::vault::epochs::Policy>,
    /// How long a node holds a background job without renewing its lease: after a node
    /// dies, its job waits this long before another node takes it over.
    pub job_lease_ms: i64,
}

impl Default for Security {
    fn default() -> Self {
        Self {
            https: false,
            session_idle_ms: 30 * 60 * 1000,
            session_absolute_ms: 12 * 60 * 60 * 1000,
            lockout_threshold: 5,
            address_lockout_threshold: 100,
            lockout_ms: 15 * 60 * 1000,
            trust_forwarded_for: false,
            export_background_rows: 50_000,
            webhook_retry_base_ms: 30_000,
            public_url: None,
            key_rotation: None,
            job_lease_ms: 30_000,
        }
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    pub security: Arc<Security>,
    /// The keyring: every contact's data key is wrapped by its master key.
    pub vault: Arc<Vault>,
    /// Contact-card reads waiting to be written in a batch.
    pub reads: Arc<crate::history::reads::ReadLog>,
    /// Serialises audit appends within one node; PostgreSQL adds a table lock across nodes.
    pub audit_lock: Arc<tokio::sync::Mutex<()>>,
    /// Wakes one of this node's job workers when a job is queued here (other nodes
    /// hear of it through PostgreSQL's `NOTIFY`, or poll).
    pub jobs_wake: Arc<tokio::sync::Notify>,
    /// The client webhook deliveries are sent with (its connections are reused).
    pub http: reqwest::Client,
    /// API tokens' request rates and last use, in this node's memory.
    pub tokens: Arc<crate::integrations::limiter::Limiter>,
}

impl AppState {
    pub fn new(db: Db, leptos_options: LeptosOptions, security: Security, vault: Vault) -> Self {
        Self {
            db,
            leptos_options,
            security: Arc::new(security),
            vault: Arc::new(vault),
            reads: Arc::default(),
            audit_lock: Arc::new(tokio::sync::Mutex::new(())),
            jobs_wake: Arc::default(),
            http: crate::webhooks::deliver::client(),
            tokens: Arc::default(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
