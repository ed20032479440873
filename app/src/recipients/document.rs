//! `GET /umowy/{id}`: the signed document of a processor agreement (managers only, by
//! the access table).

use crate::ids::AgreementId;
use axum::extract::{Extension, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::auth::access::{admit_route, RequestContext};
use crate::error::AppError;
use crate::state::AppState;

pub const ROUTE: &str = "/umowy/{id}";

pub async fn serve(
    State(state): State<AppState>,
    ctx: Option<Extension<RequestContext>>,
    Path(id): Path<AgreementId>,
) -> Response {
    let loaded = async {
        admit_route(ctx.as_deref(), ROUTE)?;
        let mut conn = state.db.pool().acquire().await?;
        Ok::<_, AppError>(super::store::document(&mut conn, id).await?)
    }
    .await;
    match loaded {
        Ok(bytes) => {
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
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
