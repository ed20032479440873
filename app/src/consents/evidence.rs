//! `GET /dowody/{id}`: an evidence file, opened under its contact's key, for the
//! browser to play (recordings) or show as text (e-mails). The access layer admits
//! signed-in users only; nothing is cached.

use axum::extract::{Extension, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::auth::access::{admit_route, RequestContext};
use crate::error::AppError;
use crate::state::AppState;

pub const ROUTE: &str = "/dowody/{id}";

pub async fn serve(
    State(state): State<AppState>,
    ctx: Option<Extension<RequestContext>>,
    Path(id): Path<i64>,
) -> Response {
    let loaded = async {
        // The layer admitted the caller; the handler asks again, as server functions do.
        let session = admit_route(ctx.as_deref(), ROUTE)?;
        let mut conn = state.db.pool().acquire().await?;
        let evidence = super::store::load_evidence(&mut conn, &state.vault, id).await?;
        state.reads.note(
            evidence.0,
            session.user.id,
            crate::history::reads::ReadVia::Evidence,
        );
        Ok::<_, AppError>(evidence)
    }
    .await;
    match loaded {
        Ok((_contact, media_type, _name, bytes)) => {
            // An e-mail or a web form's evidence is shown as text, never rendered.
            let content_type =
                if media_type == super::sniff::EML || media_type == super::sniff::WEB_FORM {
                    "text/plain; charset=utf-8".to_string()
                } else {
                    media_type
                };
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&content_type) {
                headers.insert(header::CONTENT_TYPE, v);
            }
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("inline"),
            );
            response
        }
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(AppError::Unauthenticated) => StatusCode::UNAUTHORIZED.into_response(),
        Err(AppError::Forbidden | AppError::PasswordChangeRequired) => {
            StatusCode::FORBIDDEN.into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
