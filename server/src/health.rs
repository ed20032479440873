//! What a load balancer or a supervisor asks a node. `/healthz` is liveness: the process
//! serves requests, whatever the database does, so a database outage does not get every
//! node restarted at once. `/readyz` is readiness: the database answers, its schema is the
//! one this binary was built for, and the keyring is the one the data was written with;
//! a node that fails it should get no traffic, and says which check failed (never why in
//! detail: the log has that).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;
use serde::Serialize;

use app::db::Schema;
use app::state::AppState;

pub async fn healthz() -> StatusCode {
    StatusCode::OK
}

#[derive(Debug, Serialize)]
struct Readiness {
    ready: bool,
    /// "ok" or "unreachable".
    database: &'static str,
    /// "ok", "behind" (migrations not applied), "newer" (a newer Zgoda migrated it) or
    /// "unknown" (the database did not answer).
    migrations: &'static str,
    /// "ok", "mismatch" (not the keyring the data was written with) or "unknown".
    keyring: &'static str,
}

#[tracing::instrument(skip_all)]
pub async fn readyz(State(state): State<AppState>) -> Response {
    let readiness = check(&state).await;
    let status = if readiness.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(http::header::CACHE_CONTROL, "no-store")],
        Json(readiness),
    )
        .into_response()
}

async fn check(state: &AppState) -> Readiness {
    let unknown = |database| Readiness {
        ready: false,
        database,
        migrations: "unknown",
        keyring: "unknown",
    };
    if let Err(e) = state.db.ping().await {
        tracing::warn!(error = %e, "readiness: the database does not answer");
        return unknown("unreachable");
    }
    let migrations = match state.db.schema().await {
        Ok(Schema::Current) => "ok",
        Ok(Schema::Behind) => "behind",
        Ok(Schema::Newer) => "newer",
        Err(e) => {
            tracing::warn!(error = %e, "readiness: the migrations could not be read");
            "unknown"
        }
    };
    let ring = state.vault.fresh_ring();
    let keyring = match app::vault::store::keyring_fits(&state.db, &ring).await {
        Ok(true) => "ok",
        Ok(false) => {
            tracing::error!("readiness: the keyring does not fit the database");
            "mismatch"
        }
        Err(e) => {
            tracing::warn!(error = %e, "readiness: the keyring checks could not be read");
            "unknown"
        }
    };
    Readiness {
        ready: migrations == "ok" && keyring == "ok",
        database: "ok",
        migrations,
        keyring,
    }
}
