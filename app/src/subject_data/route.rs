//! `GET /kontakty/{id}/dane-osoby`: the person's copy as one ZIP (the readable document
//! and the JSON), for consultants and managers at the card. The copy is on record before
//! the first byte leaves; nothing is cached.

use std::io::Write;

use axum::extract::{Extension, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::auth::access::{admit_route, Caller, RequestContext};
use crate::error::AppError;
use crate::history::reads::ReadVia;
use crate::ids::ContactId;
use crate::state::AppState;

pub const ROUTE: &str = "/kontakty/{id}/dane-osoby";

/// The file names inside and of the ZIP: the contact's id only, never a name.
pub fn file_stem(id: ContactId) -> String {
    format!("dane-osoby-{id}")
}

#[tracing::instrument(skip_all)]
pub async fn serve(
    State(state): State<AppState>,
    ctx: Option<Extension<RequestContext>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    // A GET that writes a record: a link on another site must not make one in the
    // consultant's name (the session cookie is SameSite=Lax, so it would be sent).
    // Browsers say where a request came from; the menu's link is same-origin.
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if site.is_some_and(|s| s != "same-origin" && s != "none") {
        return StatusCode::FORBIDDEN.into_response();
    }
    let made = async {
        // The layer admitted the caller; the handler asks again, as server functions do.
        let session = admit_route(ctx.as_deref(), ROUTE)?;
        let id = ContactId(id);
        let mut conn = state.db.pool().acquire().await?;
        let data = super::store::gather(&mut conn, &state.vault, id).await?;
        drop(conn);
        let zip = package(&data).map_err(|e| {
            tracing::error!(error = %e, "building a person's copy failed");
            AppError::Internal
        })?;
        let caller = Caller {
            state: state.clone(),
            session,
            ip: ctx.as_ref().map(|c| c.ip.clone()).unwrap_or_default(),
            endpoint: "subject_data",
        };
        hand_out(&caller, id, "zip", &zip).await?;
        Ok::<_, AppError>((id, zip))
    }
    .await;
    match made {
        Ok((id, zip)) => {
            let mut response = zip.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/zip"),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if let Ok(v) =
                HeaderValue::from_str(&format!("attachment; filename=\"{}.zip\"", file_stem(id)))
            {
                headers.insert(header::CONTENT_DISPOSITION, v);
            }
            response
        }
        Err(e) => e.file_refusal(),
    }
}

/// Records a copy that is about to leave, whichever way it leaves (this ZIP, the API's
/// JSON): the copy with the SHA-256 of `bytes`, its audit row, and a read of the card.
pub async fn hand_out(
    caller: &Caller,
    id: ContactId,
    form: &'static str,
    bytes: &[u8],
) -> Result<(), AppError> {
    let mut tx = caller.state.db.begin_write().await?;
    super::store::record_export(&mut tx, caller.user_id(), id, form, bytes).await?;
    super::requests::deliver(&mut tx, caller.user_id(), id, crate::db::now_ms()).await?;
    caller
        .audit_in(
            &mut tx,
            "contact.data_exported",
            format!("contact:{id} form:{form}"),
        )
        .await?;
    tx.commit().await?;
    caller
        .state
        .reads
        .note(id, caller.user_id(), ReadVia::SubjectExport);
    Ok(())
}

/// The readable document and the JSON, deflated, in one archive.
pub fn package(data: &super::model::SubjectData) -> Result<Vec<u8>, zip::result::ZipError> {
    let stem = file_stem(data.contact_id);
    let json_name = format!("{stem}.json");
    let json = serde_json::to_vec_pretty(data).map_err(std::io::Error::from)?;
    let html = super::document::html(data, &json_name);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(format!("{stem}.html"), options)?;
    zip.write_all(html.as_bytes())?;
    zip.start_file(json_name, options)?;
    zip.write_all(&json)?;
    Ok(zip.finish()?.into_inner())
}
