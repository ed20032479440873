//! Background work every node runs beside serving requests.

use app::state::AppState;

/// Imports queued on any node are claimed and run here; a queued import wakes it at once.
pub fn spawn_import_runner(state: &AppState) {
    tokio::spawn(app::imports::runner::run_forever(
        state.db.clone(),
        state.vault.clone(),
        state.imports_wake.clone(),
    ));
}

/// Background exports queued on any node are claimed and run here; a queued export wakes
/// it at once. Files of exports older than a day are destroyed hourly.
pub fn spawn_export_jobs(state: &AppState) {
    tokio::spawn(app::exports::job::run_forever(
        state.clone(),
        state.exports_wake.clone(),
    ));
    tokio::spawn(app::exports::job::purge_forever(state.db.clone()));
}

/// Webhook deliveries: every node sends what is due, claiming each delivery first.
pub fn spawn_webhooks(state: &AppState) {
    tokio::spawn(app::webhooks::deliver::run_forever(
        state.clone(),
        state.webhooks_wake.clone(),
    ));
}

/// The retention job: every node runs the loop, the claim lets one of them work; a
/// manager's "Uruchom teraz" wakes it at once.
pub fn spawn_retention(state: &AppState) {
    tokio::spawn(app::retention::job::run_forever(
        state.db.clone(),
        state.vault.clone(),
        state.retention_wake.clone(),
    ));
}

/// Rejected rows of finished imports are destroyed after `KEEP_REJECTED_DAYS`; drafts
/// abandoned in the wizard after a day.
pub fn spawn_import_purge(state: &AppState) {
    use app::imports::store::{purge, KEEP_REJECTED_DAYS};
    let db = state.db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let day = 24 * 60 * 60 * 1000;
            let now = app::db::now_ms();
            match purge(&db, now - KEEP_REJECTED_DAYS * day, now - day).await {
                Ok(n) if n > 0 => {
                    tracing::info!(imports = n, "rejected rows of old imports destroyed")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "purging old imports failed"),
            }
        }
    });
}

/// The scheduled key rotation: every node runs the timer, the claim in the database lets
/// one of them act at a time. Hourly checks are plenty for periods counted in days.
pub fn spawn_key_rotation(state: &AppState, policy: app::vault::epochs::Policy) {
    let db = state.db.clone();
    let vault = state.vault.clone();
    let owner = app::imports::runner::node_name();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let now = app::db::now_ms();
            match app::vault::epochs::scheduled(&db, &vault, policy, &owner, now).await {
                Ok(Some(done)) if done.rotated_to.is_some() || !done.retired.is_empty() => {
                    tracing::info!(
                        rotated_to = ?done.rotated_to,
                        rewrapped = done.rewrapped,
                        retired = ?done.retired,
                        "scheduled key rotation; back up the keyring again"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "the scheduled key rotation failed"),
            }
        }
    });
}

/// City and postal-code tokens for contacts saved before "Szukaj" existed: a batched,
/// resumable pass at start (it ends at once when nothing is left). Until it finishes,
/// those older contacts are not found by city or postal code; everything else works.
pub fn spawn_search_backfill(state: &AppState) {
    let db = state.db.clone();
    let vault = state.vault.clone();
    tokio::spawn(async move {
        use app::search::backfill::{run, BATCH};
        match run(&db, &vault, BATCH).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(contacts = n, "city and postal-code tokens added"),
            Err(e) => tracing::warn!(error = %e, "adding city and postal-code tokens failed"),
        }
    });
}
