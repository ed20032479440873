//! `POST /menedzer/eksport`: the export form (a plain form, it works without
//! JavaScript). The filter is run again, restricted and erasure-pending contacts are held
//! back unless the override carries a reason, erased ones never go; the disclosure, the
//! export's record and its audit row are written in one transaction before the first
//! byte leaves. Then the file streams (CSV row batch by row batch; XLSX once its
//! constant-memory workbook is zipped), or, over the background threshold, the export is
//! queued and the browser is sent to its progress page. A refused form goes back to the
//! export page with the reason, never a 500.

use crate::ids::ContactId;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::FormRejection;
use axum::extract::{Extension, Form, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::model::{file_name, ExportFormat, ExportRequest, ERROR_KEY, EXPORT_PAGE, EXPORT_ROUTE};
use super::rows::{write_all, Plan};
use super::sink::bytes_buf::{ByteSender, Piece};
use super::sink::{CsvSink, XlsxSink};
use crate::auth::access::{admit_route, Caller, RequestContext};
use crate::error::AppError;
use crate::history::reads::ReadVia;
use crate::i18n::Msg;
use crate::search::model::SearchFilter;
use crate::state::AppState;

pub const ROUTE: &str = EXPORT_ROUTE;

/// Back to the export page with the filter and one message.
fn back(filter: Option<&SearchFilter>, msg: Msg) -> Response {
    let query = filter.map(SearchFilter::to_query).unwrap_or_default();
    let sep = if query.is_empty() { "" } else { "&" };
    let to = format!("{EXPORT_PAGE}?{query}{sep}{ERROR_KEY}={}", msg.key());
    if HeaderValue::from_str(&to).is_ok() {
        Redirect::to(&to).into_response()
    } else {
        Redirect::to(EXPORT_PAGE).into_response()
    }
}

fn first_message(err: &AppError) -> Msg {
    match err {
        AppError::Validation(fields) => fields.first().map_or(Msg::ErrBadRequest, |f| f.msg),
        _ => Msg::ErrBadRequest,
    }
}

fn refused(err: AppError) -> Response {
    match err {
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED.into_response(),
        AppError::Forbidden | AppError::PasswordChangeRequired => {
            StatusCode::FORBIDDEN.into_response()
        }
        AppError::NotFound => StatusCode::NOT_FOUND.into_response(),
        other => {
            tracing::warn!(error = %other, "an export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Option<Extension<RequestContext>>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    // The layer admitted the caller; the handler asks again, as server functions do.
    let session = match admit_route(ctx.as_deref(), ROUTE) {
        Ok(s) => s,
        Err(e) => return refused(e),
    };
    let Ok(Form(pairs)) = form else {
        return back(None, Msg::ErrBadRequest);
    };
    let filter_text = pairs
        .iter()
        .find(|(k, _)| k == "filter")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let filter = match SearchFilter::from_query(&filter_text) {
        Ok(f) => f,
        Err(e) => return back(None, first_message(&e)),
    };
    let mut request = match ExportRequest::from_pairs(&pairs) {
        Ok(r) => r,
        Err(e) => return back(Some(&filter), first_message(&e)),
    };
    // What the log records is the filter as the search understood it.
    request.filter = filter.to_query();
    let caller = Caller {
        state,
        session,
        ip: ctx.map(|c| c.ip.clone()).unwrap_or_default(),
        endpoint: "export",
    };
    match start(&caller, &filter, request).await {
        Ok(response) => response,
        Err(e @ AppError::Validation(_)) => back(Some(&filter), first_message(&e)),
        Err(e) => refused(e),
    }
}

#[tracing::instrument(skip_all)]
async fn start(
    caller: &Caller,
    filter: &SearchFilter,
    request: ExportRequest,
) -> Result<Response, AppError> {
    let state = &caller.state;
    let mut conn = state.db.pool().acquire().await?;
    let found = crate::search::store::matching_ids(&mut conn, &state.vault, filter).await?;
    let inactive = super::store::inactive(&mut conn).await?;
    let (ids, _held_back) =
        super::store::admissible(found, &inactive, request.override_reason.is_some());
    if ids.is_empty() {
        return Err(AppError::field("filter", Msg::ErrExportNothing));
    }
    if request.format == ExportFormat::Xlsx && ids.len() > super::model::XLSX_MAX_ROWS {
        return Err(AppError::field("format", Msg::ErrExportXlsxTooMany));
    }
    let plan = Plan::new(&mut conn, request.columns.clone()).await?;
    drop(conn);
    let background = ids.len() > state.security.export_background_rows;

    // The disclosure is on record before anything leaves.
    let user = caller.user_id();
    let mut tx = state.db.begin_write().await?;
    let disclosure = crate::recipients::store::disclose_export(
        &mut tx,
        user,
        &ids,
        &request.column_keys(),
        &request.purpose,
    )
    .await?;
    let (export_id, created_at) = super::store::insert(
        &mut tx,
        &state.vault,
        user,
        disclosure,
        &request,
        ids.len(),
        background,
    )
    .await?;
    caller
        .audit_in(&mut tx, "export.created", format!("export:{export_id}"))
        .await?;
    tx.commit().await?;
    state.reads.note_list(ids.clone(), user, ReadVia::Export);
    tracing::info!(
        export_id = export_id.get(),
        rows = ids.len(),
        background,
        "export recorded"
    );

    if background {
        state.jobs_wake.notify_one();
        return Ok(Redirect::to(&super::model::job_href(export_id)).into_response());
    }
    let name = file_name(created_at, request.format);
    let body = match request.format {
        ExportFormat::Csv => stream_csv(state, plan, ids, &request),
        ExportFormat::Xlsx => xlsx_body(state, plan, ids).await?,
    };
    Ok(attachment(body, request.format, &name))
}

pub fn attachment(body: Body, format: ExportFormat, name: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// The response body fed by a channel; an error ends the download unfinished, so a
/// broken file is never taken for a whole one.
fn channel_body(rx: tokio::sync::mpsc::Receiver<Piece>) -> Body {
    Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|piece| (piece, rx))
    }))
}

fn stream_csv(state: &AppState, plan: Plan, ids: Vec<ContactId>, request: &ExportRequest) -> Body {
    let (tx, rx) = tokio::sync::mpsc::channel::<Piece>(8);
    let (db, vault) = (state.db.clone(), state.vault.clone());
    let (delimiter, encoding) = (request.delimiter.byte(), request.encoding);
    tokio::spawn(async move {
        let failed = tx.clone();
        let result = async {
            let sink = CsvSink::new(ByteSender::new(tx), delimiter, encoding)?;
            let (sink, _) = write_all(&db, vault, Arc::new(plan), &ids, sink, |_| {}).await?;
            tokio::task::spawn_blocking(move || sink.finish().map(drop))
                .await
                .map_err(|_| AppError::Internal)?
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "a streamed export stopped");
            let _ = failed
                .send(Err(std::io::Error::other("the export stopped")))
                .await;
        }
    });
    channel_body(rx)
}

/// Writes the workbook to a temporary file in constant-memory mode, then streams it.
pub async fn xlsx_body(
    state: &AppState,
    plan: Plan,
    ids: Vec<ContactId>,
) -> Result<Body, AppError> {
    let file = write_xlsx(state, plan, &ids, |_| {}).await?;
    Ok(file_body(file))
}

pub async fn write_xlsx(
    state: &AppState,
    plan: Plan,
    ids: &[ContactId],
    progress: impl FnMut(usize),
) -> Result<std::fs::File, AppError> {
    let sink = tokio::task::spawn_blocking(XlsxSink::new)
        .await
        .map_err(|_| AppError::Internal)??;
    let (sink, _) = write_all(
        &state.db,
        state.vault.clone(),
        Arc::new(plan),
        ids,
        sink,
        progress,
    )
    .await?;
    tokio::task::spawn_blocking(move || {
        let temp = tempfile::NamedTempFile::new().map_err(|e| {
            tracing::warn!(error = %e, "no temporary file for an export");
            AppError::Internal
        })?;
        sink.finish(temp.path())?;
        // Opened, then unlinked: the file lives only as long as this handle.
        let file = std::fs::File::open(temp.path()).map_err(|_| AppError::Internal)?;
        drop(temp);
        Ok(file)
    })
    .await
    .map_err(|_| AppError::Internal)?
}

/// A file streamed in pieces of 64 KB.
pub fn file_body(file: std::fs::File) -> Body {
    let file = tokio::fs::File::from_std(file);
    Body::from_stream(futures_util::stream::unfold(file, |mut file| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    }))
}
