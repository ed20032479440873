//! The access layer: resolves the session once per request, refuses cross-origin state
//! changes, applies the endpoint and page tables, and gives server-function errors their
//! HTTP status. It also opens the request's span (request id, route, user id), so every
//! line logged while answering, a database error included, says which request it was.

use std::net::SocketAddr;

use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use tracing::Instrument;

use super::path::{judge, PathVerdict};
use super::{decide, endpoint_access, page_access, Refusal, API_DOCUMENTS, MULTIPART_ENDPOINTS};
use crate::auth::session::{self, SessionInfo};
use crate::auth::store;
use crate::error::AppError;
use crate::state::AppState;

/// What the layer learned about the caller; server functions read it from the request.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub session: Option<SessionInfo>,
    pub ip: String,
}

/// The header server_fn puts on its error responses.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
const API_PREFIX: &str = "/api/";

fn is_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || path == "/favicon.ico"
        || path == "/healthz"
        || path == "/readyz"
        || path == "/robots.txt"
}

/// The response header naming the request, so a user's report can be matched to the log.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

pub async fn access_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if is_asset(path) && judge(path) == PathVerdict::Canonical {
        return next.run(req).await;
    }
    let request_id = format!("{:016x}", rand::random::<u64>());
    // The route by its shape only: a path is typed by the client and may carry anything.
    let span = tracing::info_span!(
        "request",
        id = %request_id,
        method = %req.method(),
        route = %route_shape(path),
        user_id = tracing::field::Empty,
    );
    let started = std::time::Instant::now();
    let mut response = decide_and_run(state, req, next)
        .instrument(span.clone())
        .await;
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "answered"
        )
    });
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// Segments the router knows keep their name; numbers become `{id}`; anything else,
/// which a client could have typed (a name, an address), becomes `{?}`.
pub fn route_shape(path: &str) -> String {
    const KNOWN: &[&str] = &[
        "api",
        "pkg",
        "kontakty",
        "dane-osoby",
        "nowy",
        "nowa",
        "sprawy",
        "logowanie",
        "wycofanie-zgody",
        "openapi.json",
        "docs",
        "zmiana-hasla",
        "menedzer",
        "uzytkownicy",
        "polityka-hasel",
        "zgody",
        "zrodla",
        "odbiorcy",
        "okresy-przechowywania",
        "udostepnienia",
        "zapomnienie",
        "audyt",
        "import",
        "dowody",
        "umowy",
        "odrzucone",
        "szukaj",
        "eksport",
        "eksporty",
        "raporty",
        "rejestr-czynnosci",
        "plik",
        "integracje",
        "zadania",
        "healthz",
        "readyz",
    ];
    let mut shape = String::new();
    for (i, segment) in path.split('/').skip(1).enumerate() {
        if i >= 6 {
            shape.push_str("/…");
            break;
        }
        shape.push('/');
        let endpoint = i == 1 && path.starts_with(API_PREFIX);
        if (endpoint && super::endpoint_access(segment).is_some())
            || KNOWN.contains(&segment)
            || segment.is_empty()
        {
            shape.push_str(segment);
        } else if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            shape.push_str("{id}");
        } else {
            shape.push_str("{?}");
        }
    }
    if shape.is_empty() {
        shape.push('/');
    }
    shape
}

async fn decide_and_run(state: AppState, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    // Before anything else, assets included: `/pkg/../menedzer/audyt` is not an asset.
    match judge(&path) {
        PathVerdict::Canonical => {}
        PathVerdict::Redirect(to) if is_safe(req.method()) && !to.starts_with(API_PREFIX) => {
            let to = match req.uri().query() {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            return Redirect::permanent(&to).into_response();
        }
        _ => return StatusCode::NOT_FOUND.into_response(),
    }
    if is_asset(&path) {
        return next.run(req).await;
    }
    let ip = client_address(&req, state.security.trust_forwarded_for);
    let is_api = path.starts_with(API_PREFIX);
    let session = if let Some(bearer) = bearer_token(req.headers()) {
        // An integration: the token is its whole identity (no cookie is read, so no
        // cross-site request can ride on it), and it opens server functions only.
        if !is_api {
            return error_response(AppError::Forbidden);
        }
        match admit_token(&state, &bearer, &ip).await {
            Ok(session) => Some(session),
            Err(refused) => return refused,
        }
    } else {
        let token = req
            .headers()
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|h| session::token_from_cookies(&state.security, h));
        if !is_safe(req.method()) && !same_origin(req.headers(), token.is_some()) {
            tracing::info!(path = %path, "refused a cross-origin state change");
            return error_response(AppError::CrossOrigin);
        }
        match token {
            Some(token) => match resolve(&state, &token).await {
                Ok(found) => found,
                Err(err) => return error_response(err),
            },
            None => None,
        }
    };
    if let Some(session) = &session {
        tracing::Span::current().record("user_id", session.user.id.get());
    }
    let caller = session
        .as_ref()
        .map(|s| (s.user.role, s.user.must_change_password));

    if is_api {
        let endpoint = &path[API_PREFIX.len()..];
        if API_DOCUMENTS.contains(&endpoint) {
            if let Err(refused) = super::admit_document(session.as_ref()) {
                return error_response(refused);
            }
            req.extensions_mut().insert(RequestContext { session, ip });
            return next.run(req).await;
        }
        let Some(access) = endpoint_access(endpoint) else {
            // Registered but undeclared endpoints stay closed.
            return error_response(AppError::NotFound);
        };
        if let Err(refused) = super::admit_endpoint(endpoint, access, session.as_ref()) {
            return error_response(refused);
        }
        // server_fn panics on a multipart body without a boundary; refuse it here.
        if MULTIPART_ENDPOINTS.contains(&endpoint) && !has_multipart_boundary(req.headers()) {
            return error_response(AppError::field("request", crate::i18n::Msg::ErrBadRequest));
        }
    } else if let Some(redirect) = page_redirect(&path, caller) {
        // Every method: HEAD renders the page as GET does, and the fallback renders any.
        if is_safe(req.method()) {
            return Redirect::to(redirect).into_response();
        }
        return error_response(match redirect {
            "/logowanie" => AppError::Unauthenticated,
            "/zmiana-hasla" => AppError::PasswordChangeRequired,
            _ => AppError::Forbidden,
        });
    }

    req.extensions_mut().insert(RequestContext { session, ip });
    let response = next.run(req).await;
    if is_api && response.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return with_error_status(response).await;
    }
    response
}

/// The token of an `Authorization: Bearer …` header, if the request has one.
fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// An API token's session, or the response refusing it: unknown, revoked or expired
/// (401), from an address it does not allow (403), or over its rate (429).
async fn admit_token(state: &AppState, token: &str, ip: &str) -> Result<SessionInfo, Response> {
    let now = std::time::Instant::now();
    let session =
        match crate::integrations::store::resolve(&state.db, token, crate::db::now_ms()).await {
            Ok(Some(session)) => session,
            Ok(None) => {
                tracing::info!("refused an unknown, revoked or expired API token");
                return Err(error_response(AppError::Unauthenticated));
            }
            Err(err) => return Err(error_response(err.into())),
        };
    let Some(grant) = session.grant.as_ref() else {
        return Err(error_response(AppError::Internal));
    };
    if !grant.admits_address(ip) {
        tracing::info!(
            token_id = grant.id.get(),
            "refused an API token from an address it does not allow"
        );
        return Err(error_response(AppError::Forbidden));
    }
    if let Err(wait) = state
        .tokens
        .check(grant.id, grant.rate_per_sec, grant.burst, now)
    {
        return Err(error_response(AppError::RateLimited {
            retry_after_secs: crate::integrations::limiter::retry_after_secs(wait),
        }));
    }
    if state.tokens.should_note_use(grant.id, now) {
        let (db, id, ip) = (state.db.clone(), grant.id, ip.to_string());
        tokio::spawn(async move {
            if let Err(err) = crate::integrations::store::note_use(&db, id, &ip).await {
                tracing::warn!(error = %err, "noting an API token's use failed");
            }
        });
    }
    Ok(session)
}

async fn resolve(state: &AppState, token: &str) -> Result<Option<SessionInfo>, AppError> {
    let policy = store::load_policy(&state.db).await?;
    session::resolve(&state.db, &state.security, &policy, token).await
}

fn client_address(req: &Request, trust_forwarded_for: bool) -> String {
    let peer = || {
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".to_string())
    };
    if !trust_forwarded_for {
        return peer();
    }
    // The proxy appends the address it saw: the last entry of the last header line. A
    // client's own lines come before it. Anything else fails closed rather than falling
    // back to the proxy's address, which an allow-list might contain.
    match req.headers().get_all("x-forwarded-for").iter().next_back() {
        None => peer(),
        Some(line) => line
            .to_str()
            .ok()
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .and_then(|v| v.parse::<std::net::IpAddr>().ok())
            .map_or_else(|| "unknown".to_string(), |ip| ip.to_string()),
    }
}

fn page_redirect(path: &str, caller: Option<(crate::auth::Role, bool)>) -> Option<&'static str> {
    if path == "/logowanie" {
        return match caller {
            Some((_, true)) => Some("/zmiana-hasla"),
            Some((_, false)) => Some("/"),
            None => None,
        };
    }
    match decide(page_access(path), caller)? {
        Refusal::NotSignedIn => Some("/logowanie"),
        Refusal::PasswordChangeRequired => Some("/zmiana-hasla"),
        Refusal::WrongRole => Some("/"),
    }
}

fn has_multipart_boundary(headers: &HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            let ct = ct.to_ascii_lowercase();
            ct.starts_with("multipart/form-data") && ct.contains("boundary=")
        })
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A state change must come from our own pages. Browsers say where a request comes from
/// in Sec-Fetch-Site or Origin; a request carrying our session cookie that says neither is
/// refused, while a cookie-less client (an integrator) may omit both.
fn same_origin(headers: &HeaderMap, has_session_cookie: bool) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = header("origin") {
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
        return header("host").is_some_and(|host| host.eq_ignore_ascii_case(origin_host));
    }
    !has_session_cookie
}

fn error_response(err: AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(&err).unwrap_or_default();
    let mut res = (status, Body::from(body)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res.headers_mut()
        .insert(SERVER_FN_ERROR_HEADER, HeaderValue::from_static("1"));
    if let Some(value) = retry_after(&err) {
        res.headers_mut().insert(header::RETRY_AFTER, value);
    }
    res
}

/// `Retry-After` for an error that says when to come back (a lockout, a rate limit).
fn retry_after(err: &AppError) -> Option<HeaderValue> {
    match err {
        AppError::TooManyAttempts { retry_after_secs }
        | AppError::RateLimited { retry_after_secs } => {
            HeaderValue::from_str(&(*retry_after_secs).max(1).to_string()).ok()
        }
        _ => None,
    }
}

/// server_fn answers every error with 500; the status belongs to the error itself.
async fn with_error_status(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, 1024 * 1024).await {
        Ok(b) => b,
        Err(_) => return error_response(AppError::Internal),
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(parts.status);
        if let Some(value) = retry_after(&err) {
            parts.headers.insert(header::RETRY_AFTER, value);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn a_forwarded_address_is_the_proxy_s_last_entry_or_unknown() {
        let request = |lines: &[&'static str]| {
            let mut req = Request::new(Body::empty());
            for line in lines {
                req.headers_mut()
                    .append("x-forwarded-for", HeaderValue::from_static(line));
            }
            req
        };
        // A client's own line comes first; the proxy's comes last.
        let spoofed = request(&["10.0.0.5", "203.0.113.7"]);
        assert_eq!(client_address(&spoofed, true), "203.0.113.7");
        assert_eq!(
            client_address(&request(&["10.0.0.5, 198.51.100.2"]), true),
            "198.51.100.2"
        );
        assert_eq!(
            client_address(&request(&["10.0.0.5, [::1]:80"]), true),
            "unknown"
        );
        // Not behind a proxy: the header means nothing.
        assert_eq!(client_address(&spoofed, false), "unknown");
    }

    #[test]
    fn origin_rules() {
        assert!(same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            true
        ));
        assert!(!same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            true
        ));
        assert!(!same_origin(
            &headers(&[("sec-fetch-site", "same-site")]),
            false
        ));
        assert!(same_origin(
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            true
        ));
        assert!(!same_origin(
            &headers(&[
                ("origin", "http://evil.example"),
                ("host", "127.0.0.1:3000")
            ]),
            true
        ));
        assert!(!same_origin(
            &headers(&[("origin", "null"), ("host", "127.0.0.1:3000")]),
            false
        ));
        assert!(!same_origin(&headers(&[]), true));
        assert!(same_origin(&headers(&[]), false));
    }

    #[test]
    fn routes_are_logged_by_shape_never_by_what_was_typed() {
        assert_eq!(route_shape("/"), "/");
        assert_eq!(route_shape("/kontakty/123"), "/kontakty/{id}");
        assert_eq!(route_shape("/kontakty/jan-kowalski"), "/kontakty/{?}");
        assert_eq!(route_shape("/api/contact_search"), "/api/contact_search");
        assert_eq!(route_shape("/api/nowak@example.pl"), "/api/{?}");
        assert_eq!(route_shape("/menedzer/import/7"), "/menedzer/import/{id}");
        assert_eq!(
            route_shape("/a/b/c/d/e/f/g/h"),
            "/{?}/{?}/{?}/{?}/{?}/{?}/…"
        );
    }

    #[test]
    fn page_redirects() {
        use crate::auth::Role;
        assert_eq!(page_redirect("/", None), Some("/logowanie"));
        assert_eq!(page_redirect("/logowanie", None), None);
        assert_eq!(
            page_redirect("/logowanie", Some((Role::Consultant, false))),
            Some("/")
        );
        assert_eq!(
            page_redirect("/", Some((Role::Consultant, true))),
            Some("/zmiana-hasla")
        );
        assert_eq!(
            page_redirect("/zmiana-hasla", Some((Role::Consultant, true))),
            None
        );
        assert_eq!(
            page_redirect("/menedzer", Some((Role::Consultant, false))),
            Some("/")
        );
        assert_eq!(
            page_redirect("/menedzer", Some((Role::Manager, false))),
            None
        );
    }
}
