//! The background side of imports on every node: claim a queued import (or one whose
//! node stopped sending heartbeats) and run it. Several nodes on one PostgreSQL share the
//! queue; the claim is a conditional update, so each import runs on one node at a time.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::db::{now_ms, Db};
use crate::vault::Vault;

/// A running import whose checkpoint is older than this is taken for abandoned.
pub const STALE_MS: i64 = 60_000;
const IDLE: Duration = Duration::from_secs(2);

/// This node's name on the imports it runs.
pub fn node_name() -> String {
    use rand::Rng;
    format!("node-{:016x}", rand::thread_rng().gen::<u64>())
}

pub async fn run_forever(db: Db, vault: Arc<Vault>, wake: Arc<Notify>) {
    let owner = node_name();
    loop {
        if !run_next(&db, &vault, &owner).await {
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(IDLE) => {}
            }
        }
    }
}

/// Claims and runs one import; false when there was none (or the claim failed).
pub async fn run_next(db: &Db, vault: &Arc<Vault>, owner: &str) -> bool {
    let claimed = super::claims::claim(db, owner, now_ms() - STALE_MS).await;
    match claimed {
        Ok(Some(id)) => {
            if let Err(e) = super::engine::run(db, vault, id, owner).await {
                // Left running: its heartbeat goes stale and a node resumes it from the
                // last checkpoint.
                tracing::warn!(import_id = id.get(), error = %e, "import interrupted");
                tokio::time::sleep(IDLE).await;
            }
            true
        }
        Ok(None) => false,
        Err(e) => {
            tracing::warn!(error = %e, "claiming an import failed");
            false
        }
    }
}
