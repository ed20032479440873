//! `GET /menedzer/raporty/plik?<report>&format=csv|xlsx`: a report as a file, the same
//! table the page shows (a grouped report's groups, or up to `FILE_LIMIT` lines where the
//! page shows `LINE_LIMIT`). A link, so it works without JavaScript. Reports hold no
//! personal values, so a file is not a disclosure; it is audited all the same.

use axum::body::Body;
use axum::extract::{Extension, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::model::{ReportCell, ReportQuery, ReportResult};
use crate::auth::access::{admit_route, Caller, RequestContext};
use crate::error::AppError;
use crate::exports::model::ExportFormat;
use crate::exports::route::attachment;
use crate::exports::sink::{Cell, CsvSink, Sink, XlsxSink};
use crate::i18n::{Lang, Msg};
use crate::search::query::decode_pairs;
use crate::state::AppState;

pub const ROUTE: &str = "/menedzer/raporty/plik";
/// Lines in a file; a report of more records is cut to the newest, and says so.
pub const FILE_LIMIT: i64 = 200_000;

pub async fn serve(
    State(state): State<AppState>,
    ctx: Option<Extension<RequestContext>>,
    RawQuery(query): RawQuery,
) -> Response {
    let session = match admit_route(ctx.as_deref(), ROUTE) {
        Ok(s) => s,
        Err(e) => return e.file_refusal(),
    };
    let query = query.unwrap_or_default();
    let format = decode_pairs(&query)
        .into_iter()
        .find(|(k, _)| k == "format")
        .and_then(|(_, v)| ExportFormat::parse(&v))
        .unwrap_or(ExportFormat::Csv);
    // A bad report goes back to the page, which names the field.
    let Ok(report) = ReportQuery::from_query(&query) else {
        return Redirect::to(&format!("{}?{query}", super::page::PATH)).into_response();
    };
    let caller = Caller {
        state,
        session,
        ip: ctx.map(|c| c.ip.clone()).unwrap_or_default(),
        endpoint: "report_file",
    };
    match file(&caller, &report, format).await {
        Ok(r) => r,
        Err(e) => e.file_refusal(),
    }
}

#[tracing::instrument(skip_all)]
async fn file(
    caller: &Caller,
    q: &ReportQuery,
    format: ExportFormat,
) -> Result<Response, AppError> {
    let mut conn = caller.state.db.pool().acquire().await?;
    let result = super::store::run_limited(&mut conn, q, crate::db::now_ms(), FILE_LIMIT).await?;
    drop(conn);
    caller
        .audit("report.file", format!("report:{}", q.dataset.as_str()))
        .await?;
    let (header, rows) = table(&result);
    let bytes = tokio::task::spawn_blocking(move || write(format, &header, &rows))
        .await
        .map_err(|_| AppError::Internal)??;
    let name = format!(
        "zgoda-raport-{}-{}.{}",
        q.dataset.as_str(),
        crate::time_fmt::poland_date(crate::db::now_ms()),
        format.extension()
    );
    Ok(attachment(Body::from(bytes), format, &name))
}

/// The header and rows of a report's table, in Polish (files are for the organisation).
pub fn table(r: &ReportResult) -> (Vec<String>, Vec<Vec<Cell>>) {
    let text = |c: &ReportCell| -> Cell {
        match c {
            ReportCell::Empty => Cell::Text(String::new()),
            ReportCell::Text(s) => Cell::Text(s.clone()),
            ReportCell::Number(n) => Cell::Number(*n),
            ReportCell::Contact(id) => Cell::Number(id.get()),
            ReportCell::Time(ms) => Cell::Text(crate::time_fmt::format_utc(*ms)),
            ReportCell::Label(m) => Cell::Text(m.text(Lang::Pl).to_string()),
        }
    };
    if r.query.grouping == super::model::Grouping::None {
        let header = r
            .columns
            .iter()
            .map(|c| c.label().text(Lang::Pl).to_string())
            .collect();
        let mut rows: Vec<Vec<Cell>> = r
            .lines
            .iter()
            .map(|line| line.iter().map(text).collect())
            .collect();
        if r.total > r.lines.len() as i64 {
            // A cut file says so in its last line, so it is never taken for the whole.
            rows.push(vec![Cell::Text(
                Msg::ReportFileCut
                    .text(Lang::Pl)
                    .replace("{shown}", &r.lines.len().to_string())
                    .replace("{total}", &r.total.to_string()),
            )]);
        }
        return (header, rows);
    }
    let first = if r.query.grouping.is_time() {
        Msg::ReportPeriod
    } else {
        r.query.grouping.label()
    };
    let header = std::iter::once(first)
        .chain(r.measures.iter().map(|m| m.label))
        .map(|m| m.text(Lang::Pl).to_string())
        .collect();
    let rows = r
        .groups
        .iter()
        .map(|g| {
            std::iter::once(text(&g.label))
                .chain(g.values.iter().map(|v| Cell::Number(*v)))
                .collect()
        })
        .collect();
    (header, rows)
}

pub fn write(
    format: ExportFormat,
    header: &[String],
    rows: &[Vec<Cell>],
) -> Result<Vec<u8>, AppError> {
    match format {
        ExportFormat::Csv => {
            let mut sink = CsvSink::new(
                Vec::new(),
                b';',
                crate::exports::model::CsvEncoding::Utf8Bom,
            )?;
            sink.header(header)?;
            sink.rows(rows)?;
            sink.finish()
        }
        ExportFormat::Xlsx => {
            let mut sink = XlsxSink::named("Raport")?;
            sink.header(header)?;
            sink.rows(rows)?;
            let temp = tempfile::NamedTempFile::new().map_err(|e| {
                tracing::warn!(error = %e, "no temporary file for a report");
                AppError::Internal
            })?;
            sink.finish(temp.path())?;
            std::fs::read(temp.path()).map_err(|e| {
                tracing::warn!(error = %e, "a report's workbook could not be read back");
                AppError::Internal
            })
        }
    }
}
