//! PostgreSQL tells every node when a job is queued (`NOTIFY` in the queueing
//! transaction, delivered at its commit): the node's workers look at once instead of at
//! their next poll. Lost notifications (a reconnect) only cost the poll's delay.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

/// Listens on the jobs channel for as long as the process runs.
pub async fn listen(url: String, wake: Arc<Notify>) {
    loop {
        match listen_once(&url, &wake).await {
            Ok(()) => {}
            // sqlx's connection errors name the failure, not the address or password.
            Err(e) => {
                tracing::warn!(error = %e, "listening for queued jobs failed; polling meanwhile")
            }
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

async fn listen_once(url: &str, wake: &Notify) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen(super::store::CHANNEL).await?;
    loop {
        // `recv` reconnects by itself after a lost connection; an error ends this round.
        listener.recv().await?;
        wake.notify_one();
    }
}
