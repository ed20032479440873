//! The axum router: pages, server functions, static files and the layers around them.

use axum::extract::Request;
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use http::StatusCode;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};

use app::auth::access::access_layer;
use app::state::AppState;
use app::{shell, App};

use crate::{health, security};

/// The largest request but one: an evidence recording (20 MB) with its form fields.
const MAX_BODY_BYTES: usize = 21 * 1024 * 1024;
/// Import files are streamed into the database piece by piece, never held whole.
const IMPORT_UPLOAD: &str = "/api/import_upload";
const MAX_IMPORT_BODY_BYTES: usize =
    app::imports::receive::MAX_DELIMITED_BYTES as usize + 1024 * 1024;

/// The app's route list, generated once per process. Generating it renders the app with
/// resource loading suppressed by a process-wide flag (leptos_server's
/// `SuppressResourceLoad`), and a resource first polled by any request while the flag is
/// up waits forever (leptos-rs/leptos#4773). A server builds its router once, before
/// serving; the integration tests build one per test in one process, and a page rendered
/// by one test while another started could hang. Once per process closes that window.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn build(state: AppState, dev_reload: Option<u32>) -> Router {
    let routes = route_list();
    let https = state.security.https;
    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();
    let router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route(
            app::consents::evidence::ROUTE,
            get(app::consents::evidence::serve),
        )
        .route(
            app::recipients::document::ROUTE,
            get(app::recipients::document::serve),
        )
        .route(
            app::imports::download::ROUTE,
            get(app::imports::download::serve),
        )
        .route(
            app::subject_data::route::ROUTE,
            get(app::subject_data::route::serve),
        )
        .route(
            app::exports::route::ROUTE,
            post(app::exports::route::create),
        )
        .route(
            app::exports::job::FILE_ROUTE,
            get(app::exports::job::download),
        )
        .route(app::reports::file::ROUTE, get(app::reports::file::serve))
        .route(app::register::file::ROUTE, get(app::register::file::serve))
        .route(
            app::integrations::docs_page::DOCUMENT_ROUTE,
            get(app::integrations::docs_page::serve_document),
        )
        .route(
            app::integrations::docs_page::DOCS_ROUTE,
            get(app::integrations::docs_page::serve_docs),
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
        .layer(from_fn(body_limit))
        .layer(from_fn(bundle_caching))
        // A panic while handling a request is a plain 500, never a dropped connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            panic_response,
        ));
    security::with_security_headers(router, https).with_state(state)
}

/// The browser bundle: files named by their content's hash (`zgoda.<hash>.wasm`) never
/// change, so a browser keeps them a year without asking; the rest of `/pkg/` (the
/// stylesheet, or a bundle built without hashes) is fetched again each time. The same
/// path is sent as brotli, gzip or plain by the request's `Accept-Encoding`, so caches
/// on the way must keep them apart (`Vary`).
async fn bundle_caching(req: Request, next: Next) -> Response {
    let policy = req.uri().path().strip_prefix("/pkg/").map(|file| {
        if is_content_named(file) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        }
    });
    let mut res = next.run(req).await;
    if let Some(policy) = policy {
        if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
            res.headers_mut().insert(
                http::header::CACHE_CONTROL,
                http::HeaderValue::from_static(policy),
            );
            res.headers_mut().insert(
                http::header::VARY,
                http::HeaderValue::from_static("accept-encoding"),
            );
        }
    }
    res
}

/// `name.<16 hex digits>.ext`, as scripts/lib/site.sh names the JS and the wasm.
fn is_content_named(file: &str) -> bool {
    let parts: Vec<&str> = file.split('.').collect();
    parts.len() == 3
        && !parts[0].contains('/')
        && parts[1].len() == 16
        && parts[1].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Caps every request body while it is read; the import upload has its own, larger cap.
async fn body_limit(req: Request, next: Next) -> Response {
    let limit = if req.uri().path() == IMPORT_UPLOAD {
        MAX_IMPORT_BODY_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let declared = req
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let req = req.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit)));
    next.run(req).await
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let body = serde_json::to_vec(&app::error::AppError::Internal).unwrap_or_default();
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::is_content_named;

    #[test]
    fn only_content_named_bundle_files_are_kept_for_a_year() {
        assert!(is_content_named("zgoda.0123456789abcdef.wasm"));
        assert!(is_content_named("zgoda.0123456789ABCDEF.js"));
        for file in [
            "zgoda.css",
            "zgoda_bg.wasm",
            "zgoda.js",
            "zgoda.0123456789abcdef.wasm.br",
            "zgoda.0123456789abcdeg.wasm",
            "zgoda.0123456789abcde.wasm",
            "x/zgoda.0123456789abcdef.wasm",
        ] {
            assert!(!is_content_named(file), "{file}");
        }
    }
}
