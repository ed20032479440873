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
