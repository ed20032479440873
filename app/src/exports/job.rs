//! Background exports: a node claims a queued export, writes its file to a temporary
//! file (CSV, or XLSX in constant-memory mode) while its progress is saved every second,
//! then seals the file in pieces under the export's own key. The file is downloaded from
//! `GET /menedzer/eksporty/{id}/plik` (managers; nothing new is logged, the disclosure
//! was logged when the export was made) and destroyed after 24 hours.

use crate::ids::ExportId;
use std::io::{BufWriter, Read, Seek};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::model::{file_name, ExportFormat, JobStatus};
use super::rows::{write_all, Plan};
use super::sink::CsvSink;
use crate::auth::access::{admit_route, RequestContext};
use crate::db::Db;
use crate::error::AppError;
use crate::jobs::runner::Outcome;
use crate::jobs::store::{Claimed, Next};
use crate::state::AppState;

pub const FILE_ROUTE: &str = "/menedzer/eksporty/{id}/plik";
/// Pieces of the sealed file.
const PIECE: usize = 1024 * 1024;

/// A queued export as a background job. A rerun (this node died, or the attempt
/// failed) writes the file afresh.
pub async fn run_job(state: &AppState, job: &Claimed) -> Outcome {
    let id = ExportId(job.subject.ok_or(AppError::NotFound)?);
    if !super::store::take(&state.db, id, &job.owner).await? {
        // Done, failed or purged meanwhile.
        return Ok(Next::Done);
    }
    // After the last failed attempt the runner marks the export failed.
    run(state, id, &job.owner).await?;
    Ok(Next::Done)
}

#[tracing::instrument(skip_all, fields(export_id = id.get()))]
async fn run(state: &AppState, id: ExportId, owner: &str) -> Result<(), AppError> {
    let db = &state.db;
    super::store::clear_chunks(db, id).await?;
    let mut conn = db.pool().acquire().await?;
    let queued = super::store::load_queued(&mut conn, id).await?;
    let key = super::store::load_key(&mut conn, &state.vault, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = Plan::new(&mut conn, queued.request.columns.clone()).await?;
    drop(conn);

    let done = Arc::new(AtomicUsize::new(0));
    let beat = heartbeat(db.clone(), id, owner.to_string(), done.clone());
    let counter = done.clone();
    let progress = move |n: usize| counter.store(n, Ordering::Relaxed);
    let written: Result<(usize, u64), AppError> = async {
        match queued.request.format {
            ExportFormat::Csv => {
                let temp = tempfile::tempfile().map_err(|_| AppError::Internal)?;
                let sink = CsvSink::new(
                    BufWriter::new(temp),
                    queued.request.delimiter.byte(),
                    queued.request.encoding,
                )?;
                let (sink, rows) = write_all(
                    db,
                    state.vault.clone(),
                    Arc::new(plan),
                    &queued.ids,
                    sink,
                    progress,
                )
                .await?;
                let file = sink
                    .finish()?
                    .into_inner()
                    .map_err(|_| AppError::Internal)?;
                Ok((rows, seal(db, &key, id, file).await?))
            }
            ExportFormat::Xlsx => {
                let file = super::route::write_xlsx(state, plan, &queued.ids, progress).await?;
                let rows = done.load(Ordering::Relaxed);
                Ok((rows, seal(db, &key, id, file).await?))
            }
        }
    }
    .await;
    drop(beat);
    let (rows, size) = written?;
    super::store::finish(db, id, owner, rows, size)
        .await
        .map_err(AppError::from)
}

/// Saves the rows written so far every second, for the progress bar (the job's lease
/// is what keeps another node away).
fn heartbeat(db: Db, id: ExportId, owner: String, done: Arc<AtomicUsize>) -> Beat {
    Beat(tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            let rows = done.load(Ordering::Relaxed);
            if let Err(e) = super::store::progress(&db, id, &owner, rows).await {
                tracing::warn!(export_id = id.get(), error = %e, "saving export progress failed");
            }
        }
    }))
}

/// The progress task, stopped however the export's attempt ends (finished, failed, or
/// aborted when the job's lease was lost).
struct Beat(tokio::task::JoinHandle<()>);

impl Drop for Beat {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Seals the finished file into the database piece by piece; returns its size.
async fn seal(
    db: &Db,
    key: &crate::vault::DataKey,
    id: ExportId,
    mut file: std::fs::File,
) -> Result<u64, AppError> {
    file.rewind().map_err(|_| AppError::Internal)?;
    let mut seq = 0i64;
    let mut size = 0u64;
    loop {
        let (back, piece) = tokio::task::spawn_blocking(move || {
            let mut buf = Vec::with_capacity(PIECE);
            let read = (&mut file).take(PIECE as u64).read_to_end(&mut buf);
            (file, read.map(|_| buf))
        })
        .await
        .map_err(|_| AppError::Internal)?;
        file = back;
        let piece = piece.map_err(|_| AppError::Internal)?;
        if piece.is_empty() {
            return Ok(size);
        }
        size += piece.len() as u64;
        super::store::put_chunk(db, key, id, seq, &piece).await?;
        seq += 1;
    }
}

/// Files of exports older than a day are destroyed, hourly; any node may do it.
/// `GET /menedzer/eksporty/{id}/plik`: the finished file, opened piece by piece.
pub async fn download(
    State(state): State<AppState>,
    ctx: Option<Extension<RequestContext>>,
    Path(id): Path<ExportId>,
) -> Response {
    let opened = async {
        admit_route(ctx.as_deref(), FILE_ROUTE)?;
        let mut conn = state.db.pool().acquire().await?;
        let job = super::store::job(&mut conn, id).await?;
        if job.status != JobStatus::Done || job.purged {
            return Err(AppError::NotFound);
        }
        let key = super::store::load_key(&mut conn, &state.vault, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok::<_, AppError>((job, key))
    }
    .await;
    let (job, key) = match opened {
        Ok(found) => found,
        Err(AppError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(AppError::Unauthenticated) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(AppError::Forbidden | AppError::PasswordChangeRequired) => {
            return StatusCode::FORBIDDEN.into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "an export download failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let db = state.db.clone();
    let body = Body::from_stream(futures_util::stream::unfold(
        (db, key, 0i64, false),
        move |(db, key, seq, stop)| async move {
            if stop {
                return None;
            }
            let piece = async {
                let mut conn = db.pool().acquire().await?;
                super::store::read_chunk(&mut conn, &key, id, seq).await
            }
            .await;
            match piece {
                Ok(Some(bytes)) => Some((Ok(Bytes::from(bytes)), (db, key, seq + 1, false))),
                Ok(None) => None,
                Err(e) => {
                    tracing::warn!(export_id = id.get(), error = %e, "reading an export file failed");
                    Some((
                        Err(std::io::Error::other("the export file failed to open")),
                        (db, key, seq, true),
                    ))
                }
            }
        },
    ));
    super::route::attachment(body, job.format, &file_name(job.created_at, job.format))
}
