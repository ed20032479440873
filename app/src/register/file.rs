//! `GET /menedzer/rejestr-czynnosci/plik?format=csv|xlsx[&wersja=N]`: the register, or a
//! saved version of it, as a file for the DPO's records: the controller's part, then one
//! line per processing activity, then the recipients. Audited.

use axum::body::Body;
use axum::extract::{Extension, RawQuery, State};
use axum::response::Response;

use super::model::RegisterDocument;
use crate::auth::access::{admit_route, Caller, RequestContext};
use crate::error::AppError;
use crate::exports::model::ExportFormat;
use crate::exports::route::attachment;
use crate::exports::sink::Cell;
use crate::i18n::{Lang, Msg};
use crate::search::query::decode_pairs;
use crate::state::AppState;

pub const ROUTE: &str = "/menedzer/rejestr-czynnosci/plik";

pub async fn serve(
    State(state): State<AppState>,
    ctx: Option<Extension<RequestContext>>,
    RawQuery(query): RawQuery,
) -> Response {
    let session = match admit_route(ctx.as_deref(), ROUTE) {
        Ok(s) => s,
        Err(e) => return e.file_refusal(),
    };
    let pairs = decode_pairs(&query.unwrap_or_default());
    let value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let format = value("format")
        .and_then(|v| ExportFormat::parse(&v))
        .unwrap_or(ExportFormat::Csv);
    let version = value("wersja").and_then(|v| v.parse::<i64>().ok());
    let caller = Caller {
        state,
        session,
        ip: ctx.map(|c| c.ip.clone()).unwrap_or_default(),
        endpoint: "register_file",
    };
    file(&caller, version, format)
        .await
        .unwrap_or_else(|e| e.file_refusal())
}

#[tracing::instrument(skip_all)]
async fn file(
    caller: &Caller,
    version: Option<i64>,
    format: ExportFormat,
) -> Result<Response, AppError> {
    let mut conn = caller.state.db.pool().acquire().await?;
    let (doc, label) = match version {
        Some(n) => (
            super::store::version(&mut conn, n).await?.1,
            format!("v{n}"),
        ),
        None => (
            super::store::generate(&mut conn, crate::db::now_ms()).await?,
            crate::time_fmt::poland_date(crate::db::now_ms()),
        ),
    };
    drop(conn);
    caller
        .audit("register.file", format!("register:{label}"))
        .await?;
    let (header, rows) = table(&doc);
    let bytes =
        tokio::task::spawn_blocking(move || crate::reports::file::write(format, &header, &rows))
            .await
            .map_err(|_| AppError::Internal)??;
    let name = format!("zgoda-rejestr-czynnosci-{label}.{}", format.extension());
    Ok(attachment(Body::from(bytes), format, &name))
}

/// The register as rows under one header: the controller's part first, then the
/// activities, then the recipients, each part introduced by a line naming it.
pub fn table(doc: &RegisterDocument) -> (Vec<String>, Vec<Vec<Cell>>) {
    let pl = |m: Msg| m.text(Lang::Pl).to_string();
    let text = |s: &str| Cell::Text(s.to_string());
    let header = vec![
        pl(Msg::RegisterActivity),
        pl(Msg::ReportColPurpose),
        pl(Msg::ReportColLegalBasis),
        pl(Msg::RegisterDataCategories),
        pl(Msg::RegisterPeopleCategories),
        pl(Msg::RegisterRetention),
    ];
    let mut rows = vec![
        vec![text(&pl(Msg::RegisterController)), text(&doc.controller)],
        vec![text(&pl(Msg::RegisterDpo)), text(&doc.dpo)],
        vec![
            text(&pl(Msg::RegisterSecurity)),
            text(&doc.security_measures),
        ],
        vec![text(&pl(Msg::RegisterActivities))],
    ];
    for a in &doc.activities {
        let mut name = a.name.clone();
        if !a.active {
            name = format!("{name} ({})", pl(Msg::RegisterInactive));
        }
        rows.push(vec![
            text(&name),
            text(&a.purpose),
            text(&a.legal_basis),
            text(&a.data_categories),
            text(&a.subject_categories),
            text(&a.retention.join("; ")),
        ]);
    }
    rows.push(vec![
        text(&pl(Msg::RegisterOtherRetention)),
        text(&doc.other_retention.join("; ")),
    ]);
    rows.push(vec![text(&pl(Msg::RegisterRecipients))]);
    rows.push(vec![
        text(&pl(Msg::ReportColRecipient)),
        text(&pl(Msg::RecipientRoleLabel)),
        text(&pl(Msg::NipLabel)),
        text(&pl(Msg::RegisterAgreement)),
        text(&pl(Msg::RegisterTransfer)),
    ]);
    for r in &doc.recipients {
        rows.push(vec![
            text(&r.name),
            text(&r.role),
            text(&r.nip),
            text(&r.agreement_signed_on),
            text(if r.transfer.is_empty() {
                "nie"
            } else {
                &r.transfer
            }),
        ]);
    }
    (header, rows)
}
