//! "Wczytaj dane": the upload streamed into sealed pieces while its bytes are counted for
//! the code-page verdict, and the preview of the first rows as they will be imported.

use crate::ids::{ImportId, UserId};
use std::io::Cursor;

use leptos::server_fn::codec::MultipartData;

use super::delimited::{sniff, DelimitedReader, Record};
use super::encoding::{decode_all, detect, ByteStats, Detection};
use super::mapping::suggest;
use super::model::{FileFormat, LoadedFile, Preview, TextEncoding};
use super::source::CHUNK_BYTES;
use super::store::{self, Stored};
use super::xlsx::{looks_like_zip, read_rows, XlsxError};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::state::AppState;
use crate::vault::DataKey;

/// The largest CSV or TXT accepted (stored in pieces, never held whole in memory).
pub const MAX_DELIMITED_BYTES: u64 = 512 * 1024 * 1024;
/// XLSX is a zip read whole into memory for its directory: a lower limit.
pub const MAX_XLSX_BYTES: u64 = 50 * 1024 * 1024;
/// The preview reads this much of a CSV.
const PREVIEW_BYTES: usize = 256 * 1024;
const PREVIEW_ROWS: usize = 10;

fn file_error(msg: Msg) -> AppError {
    AppError::field("file", msg)
}

/// Stores the uploaded file as a draft import and returns its preview.
pub async fn receive(
    state: &AppState,
    user_id: UserId,
    data: MultipartData,
) -> Result<LoadedFile, AppError> {
    let bad_request = || AppError::field("request", Msg::ErrBadRequest);
    let mut multipart = data.into_inner().ok_or_else(bad_request)?;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| bad_request())? {
        if field.name() != Some("file") {
            continue;
        }
        let file_name = crate::upload::clean_file_name(field.file_name().unwrap_or_default());
        let mut pending: Vec<u8> = Vec::new();
        let mut draft: Option<(ImportId, DataKey, FileFormat)> = None;
        let mut stats = ByteStats::default();
        let mut seq = 0i64;
        let outcome: Result<(), AppError> = async {
            while let Some(chunk) = field.chunk().await.map_err(|_| bad_request())? {
                stats.feed(&chunk);
                pending.extend_from_slice(&chunk);
                if draft.is_none() && pending.len() >= 4 {
                    draft = Some(start_draft(state, user_id, &file_name, &pending).await?);
                }
                let limit = match draft.as_ref().map(|d| d.2) {
                    Some(FileFormat::Xlsx) => MAX_XLSX_BYTES,
                    _ => MAX_DELIMITED_BYTES,
                };
                if stats.total > limit {
                    return Err(file_error(Msg::ErrImportTooLarge));
                }
                while pending.len() >= CHUNK_BYTES {
                    let (id, key, _) = draft.as_ref().ok_or_else(bad_request)?;
                    let rest = pending.split_off(CHUNK_BYTES);
                    put(state, key, *id, seq, &pending).await?;
                    pending = rest;
                    seq += 1;
                }
            }
            if draft.is_none() && !pending.is_empty() {
                draft = Some(start_draft(state, user_id, &file_name, &pending).await?);
            }
            if let Some((id, key, _)) = &draft {
                if !pending.is_empty() {
                    put(state, key, *id, seq, &pending).await?;
                }
            }
            Ok(())
        }
        .await;
        let Some((id, key, format)) = draft else {
            outcome?;
            return Err(file_error(Msg::ErrImportEmpty));
        };
        if let Err(e) = outcome {
            discard(state, id).await;
            return Err(e);
        }
        return match finish(state, id, &key, format, &stats).await {
            Ok(loaded) => Ok(loaded),
            Err(e) => {
                discard(state, id).await;
                Err(e)
            }
        };
    }
    Err(file_error(Msg::ErrImportNoFile))
}

async fn start_draft(
    state: &AppState,
    user_id: UserId,
    file_name: &str,
    head: &[u8],
) -> Result<(ImportId, DataKey, FileFormat), AppError> {
    let format = if looks_like_zip(head) {
        FileFormat::Xlsx
    } else {
        FileFormat::Delimited
    };
    let mut tx = state.db.begin_write().await?;
    let (id, key) = store::create_draft(&mut tx, &state.vault, user_id, file_name, format).await?;
    tx.commit().await?;
    Ok((id, key, format))
}

async fn put(
    state: &AppState,
    key: &DataKey,
    id: ImportId,
    seq: i64,
    bytes: &[u8],
) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    store::put_chunk(&mut tx, key, id, seq, bytes).await?;
    tx.commit().await?;
    Ok(())
}

async fn discard(state: &AppState, id: ImportId) {
    let result = async {
        let mut tx = state.db.begin_write().await?;
        store::discard(&mut tx, id).await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    }
    .await;
    if result.is_err() {
        tracing::warn!(import_id = id.get(), "removing a refused upload failed");
    }
}

async fn finish(
    state: &AppState,
    id: ImportId,
    key: &DataKey,
    format: FileFormat,
    stats: &ByteStats,
) -> Result<LoadedFile, AppError> {
    let (encoding, certain) = match format {
        FileFormat::Xlsx => (TextEncoding::Utf8, true),
        FileFormat::Delimited => match detect(stats) {
            Detection::Empty => return Err(file_error(Msg::ErrImportEmpty)),
            Detection::Binary => return Err(file_error(Msg::ErrImportBinary)),
            Detection::Text { encoding, certain } => (encoding, certain),
        },
    };
    let mut tx = state.db.begin_write().await?;
    store::finish_upload(&mut tx, id, stats.total as i64, encoding, certain).await?;
    tx.commit().await?;
    let mut conn = state.db.pool().acquire().await?;
    let stored = store::stored(&mut conn, id).await?;
    let preview = preview(&mut conn, key, &stored, &PreviewOptions::default()).await?;
    Ok(LoadedFile {
        id,
        file_name: stored.file_name,
        size_bytes: stored.size_bytes,
        preview,
    })
}

/// What the manager changed on the preview; `None` keeps what was detected.
#[derive(Debug, Clone, Default)]
pub struct PreviewOptions {
    pub encoding: Option<TextEncoding>,
    pub delimiter: Option<u8>,
    pub quote: Option<u8>,
    pub has_header: Option<bool>,
}

pub async fn preview(
    conn: &mut sqlx::AnyConnection,
    key: &DataKey,
    stored: &Stored,
    options: &PreviewOptions,
) -> Result<Preview, AppError> {
    let (records, encoding, delimiter, quote) = match stored.format {
        FileFormat::Delimited => {
            let head = store::read_head(conn, key, stored.id, Some(PREVIEW_BYTES)).await?;
            let whole = (head.len() as i64) >= stored.size_bytes;
            let encoding = options.encoding.unwrap_or(stored.encoding);
            let (d, q) = sniff(&decode_all(encoding, &head));
            let (delimiter, quote) = (options.delimiter.unwrap_or(d), options.quote.unwrap_or(q));
            let mut reader = DelimitedReader::new(Cursor::new(head), encoding, delimiter, quote);
            let mut records = Vec::new();
            while records.len() <= PREVIEW_ROWS {
                match reader.next_record() {
                    Ok(Some(r)) => records.push(r),
                    _ => break,
                }
            }
            // The head may end inside a record: show only whole ones.
            if !whole && records.len() > 1 && records.len() <= PREVIEW_ROWS {
                records.pop();
            }
            (records, encoding, delimiter, quote)
        }
        FileFormat::Xlsx => {
            let bytes = store::read_head(conn, key, stored.id, None).await?;
            let mut records: Vec<Record> = Vec::new();
            let read = tokio::task::spawn_blocking(move || {
                read_rows(bytes, &mut |r| {
                    records.push(r);
                    records.len() <= PREVIEW_ROWS
                })
                .map(|()| records)
            })
            .await
            .map_err(|_| AppError::Internal)?;
            let records = read.map_err(|e| {
                file_error(match e {
                    XlsxError::TooLarge => Msg::ErrImportXlsxTooLarge,
                    XlsxError::NotXlsx => Msg::ErrImportNotXlsx,
                })
            })?;
            (records, TextEncoding::Utf8, b';', b'"')
        }
    };
    let first = records.first().map(|r| r.cells.clone()).unwrap_or_default();
    let has_header = options.has_header.unwrap_or_else(|| {
        suggest(&first)
            .iter()
            .any(|t| *t != super::model::Target::Skip)
    });
    // With a header, the header says how many columns there are (longer rows are
    // reported as ragged); without one, the widest row does.
    let columns = if has_header {
        first.len()
    } else {
        records.iter().map(|r| r.cells.len()).max().unwrap_or(0)
    };
    let headers: Vec<String> = if has_header {
        let mut h = first.clone();
        h.resize(columns, String::new());
        h
    } else {
        (1..=columns).map(|i| format!("#{i}")).collect()
    };
    let rows: Vec<Vec<String>> = records
        .iter()
        .skip(usize::from(has_header))
        .take(PREVIEW_ROWS)
        .map(|r| {
            let mut cells = r.cells.clone();
            cells.resize(columns, String::new());
            cells
        })
        .collect();
    let suggested = if has_header {
        suggest(&headers)
    } else {
        vec![super::model::Target::Skip; columns]
    };
    Ok(Preview {
        format: stored.format,
        encoding,
        encoding_certain: stored.encoding_certain || options.encoding.is_some(),
        delimiter: if delimiter == b'\t' {
            "\\t".into()
        } else {
            (delimiter as char).to_string()
        },
        quote: (quote as char).to_string(),
        has_header,
        headers,
        rows,
        suggested,
    })
}
