//! `GET /menedzer/import/{id}/odrzucone.csv`: the rejected rows, for fixing and loading
//! again. Written in the file's own code page and delimiter with its header row; a cell
//! that a spreadsheet would run as a formula (=, +, -, @, tab, CR at its start) gets a
//! leading apostrophe. Managers only (the access layer); each download is audited.

use crate::ids::ImportId;
use axum::extract::{Extension, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::delimited::DelimitedReader;
use super::encoding::{bom, encode};
use super::model::{single_ascii, FileFormat, TextEncoding};
use crate::auth::access::RequestContext;
use crate::error::AppError;
use crate::state::AppState;

pub const ROUTE: &str = "/menedzer/import/{id}/odrzucone.csv";

/// A cell a spreadsheet will not evaluate.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn csv_line(cells: &[String], delimiter: u8, quote: u8) -> String {
    let d = delimiter as char;
    let q = quote as char;
    cells
        .iter()
        .map(|c| {
            let c = neutralise(c);
            if c.contains([d, q, '\n', '\r']) {
                format!("{q}{}{q}", c.replace(q, &format!("{q}{q}")))
            } else {
                c
            }
        })
        .collect::<Vec<_>>()
        .join(&d.to_string())
}

pub async fn serve(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<ImportId>,
) -> Response {
    match build(&state, &ctx, id).await {
        Ok((bytes, name)) => {
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv"));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                headers.insert(header::CONTENT_DISPOSITION, v);
            }
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

async fn build(
    state: &AppState,
    ctx: &RequestContext,
    id: ImportId,
) -> Result<(Vec<u8>, String), AppError> {
    let session = &crate::auth::access::admit_route(Some(ctx), ROUTE)?;
    let mut conn = state.db.pool().acquire().await?;
    let key = super::store::load_key(&mut conn, &state.vault, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (header, settings, format) = super::store::header_and_settings(&mut conn, id).await?;
    let settings = settings.ok_or(AppError::NotFound)?;
    let rows = super::store::rejected_rows(&mut conn, &key, id).await?;
    drop(conn);
    let (encoding, delimiter, quote) = match format {
        // A sheet's rows come back as UTF-8 CSV with semicolons, as Polish Excel reads it.
        FileFormat::Xlsx => (TextEncoding::Utf8, b';', b'"'),
        FileFormat::Delimited => (
            settings.encoding,
            single_ascii(&settings.delimiter).unwrap_or(b';'),
            single_ascii(&settings.quote).unwrap_or(b'"'),
        ),
    };
    let mut text = String::new();
    if let Some(h) = header {
        text.push_str(&csv_line(&h, delimiter, quote));
        text.push_str("\r\n");
    }
    for (_, raw) in rows {
        let cells: Vec<String> = match format {
            FileFormat::Xlsx => raw.split('\t').map(str::to_string).collect(),
            FileFormat::Delimited => {
                let mut reader = DelimitedReader::new(
                    std::io::Cursor::new(raw.into_bytes()),
                    TextEncoding::Utf8,
                    delimiter,
                    quote,
                );
                match reader.next_record() {
                    Ok(Some(r)) => r.cells,
                    _ => continue,
                }
            }
        };
        text.push_str(&csv_line(&cells, delimiter, quote));
        text.push_str("\r\n");
    }
    let mut bytes = bom(encoding).to_vec();
    bytes.extend(encode(encoding, &text));
    {
        use crate::audit::store::{append, Event, Outcome};
        append(
            state,
            Event::new("import.rejects_downloaded", Outcome::Success)
                .actor(session.user.id, &session.user.login)
                .subject(format!("import:{id}"))
                .source(&ctx.ip),
        )
        .await?;
    }
    Ok((bytes, format!("odrzucone-import-{id}.csv")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_quoting_kept() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise("+48601234567"), "'+48601234567");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@cmd"), "'@cmd");
        assert_eq!(neutralise("Anna"), "Anna");
        let line = csv_line(
            &["Jan; \"Kowal\"".to_string(), "=1+1".to_string()],
            b';',
            b'"',
        );
        assert_eq!(line, "\"Jan; \"\"Kowal\"\"\";'=1+1");
    }
}
