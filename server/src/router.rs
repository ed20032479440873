//! The axum router: pages, server functions, static files and the layers around them.

use axum::extract::State;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::Router;
use http::StatusCode;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};

use app::auth::access::access_layer;
use app::state::AppState;
use app::{shell, App};

use crate::security;

const MAX_BODY_BYTES: usize = 21 * 1024 * 1024;

pub fn build(state: AppState, dev_reload: Option<u32>) -> Router {
    let routes = generate_route_list(App);
    let https = state.security.https;
    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route(
            app::consents::evidence::ROUTE,
            get(app::consents::evidence::serve),
        )
        .route(
            app::recipients::document::ROUTE,
            get(app::recipients::document::serve),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context_state.clone());
                security::provide_page_csp(dev_reload);
            },
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn_with_state(state.clone(), access_layer))
        // The largest request is an evidence recording (20 MB) with its form fields.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_BODY_BYTES,
        ));
    security::with_security_headers(router, https).with_state(state)
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> StatusCode {
    match state.db.ping().await {
        Ok(()) => StatusCode::OK,
        Err(err) => {
            tracing::warn!(error = %err, "health check: database does not answer");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}
