//! Reports read the tables other features own and write none of them (saved reports,
//! this feature's own table, are `saved.rs`). Each dataset is described once — its tables, its time
//! column, its filters, its figures, its groups and its columns — and one builder turns
//! a `ReportQuery` into SQL that runs on SQLite and PostgreSQL alike.

use std::collections::BTreeMap;

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::model::{
    Dataset, FilterKind, Grouping, ReportCell, ReportColumn, ReportGroup, ReportQuery,
    ReportResult, LINE_LIMIT,
};
use crate::consents::model::{BlockReason, ConsentChannel, Decision, LegalBasis, Method, Purpose};
use crate::contacts::ContactState;
use crate::erasure::model::{Ground, RequestState};
use crate::i18n::Msg;
use crate::ids::ContactId;
use crate::imports::model::ImportStatus;
use crate::search::model::{warsaw_day_end_ms, warsaw_day_start_ms};
use crate::store_error::StoreError;

pub(super) const HOUR_MS: i64 = 3_600_000;

/// How a selected value becomes a cell.
#[derive(Clone, Copy)]
enum Kind {
    Number,
    Time,
    Text,
    Contact,
    Label(fn(&str) -> Option<Msg>),
    YesNo,
}

/// One dataset as SQL over the alias `x`.
struct Spec {
    from: &'static str,
    time: &'static str,
    /// Orders lines newest first; ties by this (a unique column where there is one).
    tie: &'static str,
    measures: Vec<String>,
}

/// How many people one disclosure covered: per disclosure, so only the disclosures the
/// report's period keeps are counted (an export adds a row per contact).
const DISCLOSED: &str =
    "(SELECT COUNT(*) FROM disclosure_contacts dc WHERE dc.disclosure_id = x.id)";

pub(super) fn count_when(condition: &str) -> String {
    format!("CAST(COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0) AS BIGINT)")
}

fn sum(column: &str) -> String {
    format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)")
}

/// When an erasure request counts as late: decided (or still open now) after its
/// deadline, an extension included.
fn late(now: i64) -> String {
    format!(
        "(CASE WHEN x.state = 'pending' THEN {now} ELSE COALESCE(x.decided_at, x.updated_at) END) \
         > COALESCE(x.extended_until, x.deadline_at)"
    )
}

fn spec(dataset: Dataset, now: i64) -> Spec {
    match dataset {
        Dataset::Contacts => Spec {
            from: "contacts x LEFT JOIN data_sources s ON s.id = x.source_id",
            time: time_column(dataset),
            tie: "x.id",
            measures: ContactState::ALL
                .iter()
                .map(|s| count_when(&format!("x.state = '{}'", s.as_str())))
                .collect(),
        },
        Dataset::Consents => Spec {
            from: "consent_events x JOIN consent_definitions d ON d.id = x.definition_id \
                   LEFT JOIN users u ON u.id = x.recorded_by",
            time: time_column(dataset),
            tie: "x.id",
            measures: Decision::ALL
                .iter()
                .map(|d| count_when(&format!("x.decision = '{}'", d.as_str())))
                .collect(),
        },
        Dataset::Changes => Spec {
            from: "field_history x LEFT JOIN data_sources s ON s.id = x.source_id \
                   LEFT JOIN users u ON u.id = x.changed_by",
            time: time_column(dataset),
            tie: "x.id",
            measures: vec!["COUNT(*)".into()],
        },
        Dataset::Disclosures => Spec {
            from: "disclosures x JOIN recipients r ON r.id = x.recipient_id \
                   LEFT JOIN users u ON u.id = x.disclosed_by",
            time: time_column(dataset),
            tie: "x.id",
            measures: vec!["COUNT(*)".into(), sum(DISCLOSED)],
        },
        Dataset::Reads => Spec {
            from: "card_reads x LEFT JOIN users u ON u.id = x.user_id",
            time: time_column(dataset),
            tie: "x.contact_id",
            measures: vec!["COUNT(*)".into(), "COUNT(DISTINCT x.contact_id)".into()],
        },
        Dataset::Erasure => {
            let mut measures = vec!["COUNT(*)".to_string()];
            measures.extend(
                RequestState::ALL
                    .iter()
                    .map(|s| count_when(&format!("x.state = '{}'", s.as_str()))),
            );
            measures.push(count_when(&late(now)));
            Spec {
                from: "erasure_requests x LEFT JOIN users u ON u.id = x.requested_by",
                time: time_column(dataset),
                tie: "x.id",
                measures,
            }
        }
        Dataset::Imports => Spec {
            from: "imports x LEFT JOIN data_sources s ON s.id = x.source_id \
                   LEFT JOIN users u ON u.id = x.created_by",
            time: time_column(dataset),
            tie: "x.id",
            measures: vec![
                "COUNT(*)".into(),
                sum("x.rows_read"),
                sum("x.added"),
                sum("x.rejected"),
                sum("x.erased_skipped"),
            ],
        },
        Dataset::Communications => Spec {
            from: "communications x LEFT JOIN users u ON u.id = x.user_id",
            time: time_column(dataset),
            tie: "x.id",
            measures: vec![
                count_when("x.outcome = 'done'"),
                count_when("x.outcome = 'blocked'"),
            ],
        },
    }
}

/// The SQL of a filter for a dataset.
fn filter_column(dataset: Dataset, kind: FilterKind) -> &'static str {
    match (dataset, kind) {
        (_, FilterKind::Source) => "x.source_id",
        (_, FilterKind::Consent) => "x.definition_id",
        (_, FilterKind::Recipient) => "x.recipient_id",
        (Dataset::Consents, FilterKind::User) => "x.recorded_by",
        (Dataset::Changes, FilterKind::User) => "x.changed_by",
        (Dataset::Disclosures, FilterKind::User) => "x.disclosed_by",
        (Dataset::Erasure, FilterKind::User) => "x.requested_by",
        (Dataset::Imports, FilterKind::User) => "x.created_by",
        (_, FilterKind::User) => "x.user_id",
        (Dataset::Consents, FilterKind::State) => "x.decision",
        (Dataset::Imports, FilterKind::State) => "x.status",
        (Dataset::Communications, FilterKind::State) => "x.outcome",
        (_, FilterKind::State) => "x.state",
        (Dataset::Consents, FilterKind::Channel) => "d.channel",
        (_, FilterKind::Channel) => "x.channel",
    }
}

/// The key and the shown name of a category grouping.
fn group_columns(dataset: Dataset, grouping: Grouping) -> (&'static str, &'static str) {
    match grouping {
        Grouping::Source => ("x.source_id", "s.name"),
        Grouping::Consent => ("x.definition_id", "d.name"),
        Grouping::Recipient => ("x.recipient_id", "r.name"),
        _ => (filter_column(dataset, FilterKind::User), "u.display_name"),
    }
}

fn column(dataset: Dataset, c: ReportColumn, now: i64) -> (String, Kind) {
    use ReportColumn as C;
    let s = |sql: &str, kind| (sql.to_string(), kind);
    match c {
        C::Id => s("x.id", Kind::Number),
        C::At => s(time_column(dataset), Kind::Time),
        C::Contact => s("x.contact_id", Kind::Contact),
        C::Source => s("s.name", Kind::Text),
        C::State => match dataset {
            Dataset::Contacts => s(
                "x.state",
                Kind::Label(|v| ContactState::parse(v).map(|s| s.label())),
            ),
            Dataset::Imports => s(
                "x.status",
                Kind::Label(|v| ImportStatus::parse(v).map(|s| s.label())),
            ),
            _ => s(
                "x.state",
                Kind::Label(|v| RequestState::parse(v).map(|s| s.label())),
            ),
        },
        C::Consent => s("d.name", Kind::Text),
        C::Decision => s(
            "x.decision",
            Kind::Label(|v| Decision::parse(v).map(|d| d.label())),
        ),
        C::Method => s(
            "x.method",
            Kind::Label(|v| Method::parse(v).map(|m| m.label())),
        ),
        C::User => s("u.display_name", Kind::Text),
        C::Field => s(
            "x.field",
            Kind::Label(|v| Some(crate::history::model::field_label(v))),
        ),
        C::Recipient => s("r.name", Kind::Text),
        C::Fields => s("x.fields", Kind::Text),
        C::LegalBasis => s(
            "x.legal_basis",
            Kind::Label(|v| LegalBasis::parse(v).map(|b| b.label())),
        ),
        C::Purpose => match dataset {
            Dataset::Communications => s(
                "x.purpose",
                Kind::Label(|v| Purpose::parse(v).map(|p| p.label())),
            ),
            _ => s("x.purpose", Kind::Text),
        },
        C::ContactCount => s(DISCLOSED, Kind::Number),
        C::Via => s("x.via", Kind::Label(via_label)),
        C::Ground => s(
            "x.ground",
            Kind::Label(|v| Ground::parse(v).map(|g| g.label())),
        ),
        C::Deadline => s("COALESCE(x.extended_until, x.deadline_at)", Kind::Time),
        C::Decided => s("x.decided_at", Kind::Time),
        C::Late => (
            format!("CASE WHEN {} THEN 1 ELSE 0 END", late(now)),
            Kind::YesNo,
        ),
        C::Name => s("x.name", Kind::Text),
        C::File => s("x.file_name", Kind::Text),
        C::Rows => s("x.rows_read", Kind::Number),
        C::Added => s("x.added", Kind::Number),
        C::Rejected => s("x.rejected", Kind::Number),
        C::Suppressed => s("x.erased_skipped", Kind::Number),
        C::Channel => match dataset {
            Dataset::Consents => s("d.channel", Kind::Label(channel_label)),
            _ => s("x.channel", Kind::Label(channel_label)),
        },
        C::Outcome => s("x.outcome", Kind::Label(outcome_label)),
        C::Reason => s(
            "x.reason",
            Kind::Label(|v| BlockReason::parse(v).map(|r| r.label())),
        ),
    }
}

/// The column the period filter and the time groupings look at.
fn time_column(dataset: Dataset) -> &'static str {
    match dataset {
        Dataset::Contacts | Dataset::Imports => "x.created_at",
        Dataset::Consents => "x.recorded_at",
        Dataset::Changes => "x.changed_at",
        Dataset::Disclosures => "x.disclosed_at",
        Dataset::Reads => "x.read_at",
        Dataset::Erasure => "x.requested_at",
        Dataset::Communications => "x.at",
    }
}

fn channel_label(v: &str) -> Option<Msg> {
    ConsentChannel::parse(v).map(|c| c.label())
}

fn outcome_label(v: &str) -> Option<Msg> {
    match v {
        "done" => Some(Msg::ReportOutcomeDone),
        "blocked" => Some(Msg::ReportOutcomeBlocked),
        _ => None,
    }
}

fn via_label(v: &str) -> Option<Msg> {
    use crate::history::reads::ReadVia;
    Some(match ReadVia::parse(v)? {
        ReadVia::Card => Msg::ReportViaCard,
        ReadVia::Case => Msg::ReportViaCase,
        ReadVia::History => Msg::ReportViaHistory,
        ReadVia::Evidence => Msg::ReportViaEvidence,
        ReadVia::Search => Msg::ReportViaSearch,
        ReadVia::Desk => Msg::ReportViaDesk,
        ReadVia::Export => Msg::ReportViaExport,
        ReadVia::SubjectExport => Msg::ReportViaSubjectExport,
    })
}

#[derive(Debug, Clone)]
enum Bind {
    Int(i64),
    Text(String),
}

/// The `WHERE` of a report, with its binds numbered from `$1`.
fn conditions(q: &ReportQuery, time: &str) -> (String, Vec<Bind>) {
    let mut clauses = Vec::new();
    let mut binds = Vec::new();
    let mut add = |clauses: &mut Vec<String>, sql: String, bind: Bind| {
        binds.push(bind);
        clauses.push(sql.replace('?', &format!("${}", binds.len())));
    };
    if let Some(start) = warsaw_day_start_ms(&q.from) {
        add(&mut clauses, format!("{time} >= ?"), Bind::Int(start));
    }
    if let Some(end) = warsaw_day_end_ms(&q.to) {
        add(&mut clauses, format!("{time} < ?"), Bind::Int(end));
    }
    let d = q.dataset;
    let mut by = |kind: FilterKind, bind: Option<Bind>| {
        if let (true, Some(bind)) = (q.applies(kind), bind) {
            add(
                &mut clauses,
                format!("{} = ?", filter_column(d, kind)),
                bind,
            );
        }
    };
    by(FilterKind::Source, q.source_id.map(|v| Bind::Int(v.get())));
    by(FilterKind::Consent, q.definition_id.map(Bind::Int));
    by(FilterKind::Recipient, q.recipient_id.map(Bind::Int));
    by(FilterKind::User, q.user_id.map(|v| Bind::Int(v.get())));
    by(FilterKind::State, q.state.clone().map(Bind::Text));
    by(
        FilterKind::Channel,
        q.channel.map(|c| Bind::Text(c.as_str().to_string())),
    );
    let sql = if clauses.is_empty() {
        "1 = 1".to_string()
    } else {
        clauses.join(" AND ")
    };
    (sql, binds)
}

fn bound<'q>(
    sql: &'q str,
    binds: &[Bind],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = match bind {
            Bind::Int(v) => query.bind(*v),
            Bind::Text(v) => query.bind(v.clone()),
        };
    }
    query
}

/// Runs a report for the page: at most `LINE_LIMIT` lines. `now` decides which open
/// erasure requests are already late.
pub async fn run(
    conn: &mut AnyConnection,
    q: &ReportQuery,
    now: i64,
) -> Result<ReportResult, StoreError> {
    run_limited(conn, q, now, LINE_LIMIT).await
}

/// Runs a report with at most `limit` lines (the newest).
pub async fn run_limited(
    conn: &mut AnyConnection,
    q: &ReportQuery,
    now: i64,
    limit: i64,
) -> Result<ReportResult, StoreError> {
    let mut spec = spec(q.dataset, now);
    let (cond, binds) = conditions(q, spec.time);
    let measures = q.dataset.measures_for(q.grouping);
    spec.measures.truncate(measures.len());
    let mut result = ReportResult {
        query: q.clone(),
        columns: Vec::new(),
        lines: Vec::new(),
        total: 0,
        groups: Vec::new(),
        measures: measures.clone(),
    };
    // Each group's own count of records comes last: the total, and the order of
    // categories, whatever the dataset's figures are.
    let figures = format!("{}, COUNT(*)", spec.measures.join(", "));
    let n = measures.len();
    if q.grouping == Grouping::None {
        let columns = q.shown_columns();
        let selected: Vec<(String, Kind)> =
            columns.iter().map(|c| column(q.dataset, *c, now)).collect();
        let list = selected
            .iter()
            .enumerate()
            .map(|(i, (sql, _))| format!("{sql} AS c{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {list} FROM {} WHERE {cond} ORDER BY {} DESC, {} DESC LIMIT {limit}",
            spec.from, spec.time, spec.tie
        );
        let rows = bound(&sql, &binds).fetch_all(&mut *conn).await?;
        for row in &rows {
            let mut line = Vec::with_capacity(selected.len());
            for (i, (_, kind)) in selected.iter().enumerate() {
                line.push(cell(row, i, *kind)?);
            }
            result.lines.push(line);
        }
        let sql = format!("SELECT COUNT(*) FROM {} WHERE {cond}", spec.from);
        result.total = bound(&sql, &binds)
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        result.columns = columns;
        return Ok(result);
    }
    if q.grouping.is_time() {
        // Hours are whole in Poland's offsets, so counting per UTC hour in SQL and
        // folding hours into Warsaw days, weeks and months here is exact on both
        // databases without either's time-zone functions.
        let sql = format!(
            "SELECT {time} / {HOUR_MS} AS h, {figures} FROM {} WHERE {cond} \
             GROUP BY {time} / {HOUR_MS}",
            spec.from,
            time = spec.time
        );
        let rows = bound(&sql, &binds).fetch_all(&mut *conn).await?;
        let mut periods: BTreeMap<String, (Vec<i64>, i64)> = BTreeMap::new();
        let (mut first_hour, mut last_hour) = (None::<i64>, None::<i64>);
        for row in &rows {
            let hour: i64 = row.try_get(0)?;
            first_hour = Some(first_hour.map_or(hour, |f| f.min(hour)));
            last_hour = Some(last_hour.map_or(hour, |l| l.max(hour)));
            let key = period(q.grouping, hour * HOUR_MS);
            let (values, records) = periods.entry(key).or_insert_with(|| (vec![0; n], 0));
            for (i, v) in values.iter_mut().enumerate() {
                *v += row.try_get::<i64, _>(i + 1)?;
            }
            *records += row.try_get::<i64, _>(n + 1)?;
        }
        if let (Some(first), Some(last)) = (first_hour, last_hour) {
            fill_gaps(q.grouping, first * HOUR_MS, last * HOUR_MS, &mut periods, n);
        }
        result.groups = periods
            .into_iter()
            .map(|(label, (values, records))| ReportGroup {
                label: ReportCell::Text(label),
                values,
                records,
                unusual: false,
            })
            .collect();
    } else {
        let (key, name) = group_columns(q.dataset, q.grouping);
        let sql = format!(
            "SELECT {key} AS k, MAX({name}) AS n, {figures} FROM {} WHERE {cond} GROUP BY {key}",
            spec.from
        );
        let rows = bound(&sql, &binds).fetch_all(&mut *conn).await?;
        for row in &rows {
            let key: Option<i64> = row.try_get(0)?;
            let name: Option<String> = row.try_get(1)?;
            let label = match (key, name) {
                (Some(_), Some(n)) => ReportCell::Text(n),
                (Some(k), None) => ReportCell::Number(k),
                (None, _) => ReportCell::Label(match q.grouping {
                    Grouping::Source => Msg::ReportNoSource,
                    _ => Msg::ReportNoUser,
                }),
            };
            let mut values = Vec::with_capacity(n);
            for i in 0..n {
                values.push(row.try_get::<i64, _>(i + 2)?);
            }
            result.groups.push(ReportGroup {
                label,
                values,
                records: row.try_get(n + 2)?,
                unusual: false,
            });
        }
        // The largest first: a category report is read from the top; ties by name,
        // the group without a name last.
        result.groups.sort_by_cached_key(|g| {
            let name = match &g.label {
                ReportCell::Text(s) => (0, s.clone()),
                _ => (1, String::new()),
            };
            (std::cmp::Reverse(g.records), name)
        });
        if q.dataset == super::model::Dataset::Reads {
            mark_unusual(&mut result.groups);
        }
    }
    result.total = result.groups.iter().map(|g| g.records).sum();
    Ok(result)
}

/// A group with several times the median number of records stands out (a user who
/// opened far more cards than colleagues).
pub fn mark_unusual(groups: &mut [ReportGroup]) {
    if groups.len() < 3 {
        return;
    }
    let mut counts: Vec<i64> = groups.iter().map(|g| g.records).collect();
    counts.sort_unstable();
    let median = counts[counts.len() / 2].max(1);
    for g in groups.iter_mut() {
        g.unusual = g.records >= 3 * median && g.records - median >= 10;
    }
}

/// Periods between the first and the last with nothing in them, as zeros: a chart over
/// time keeps its scale. Only up to about a year of days (or ten years of weeks and
/// months); a longer span is shown as it is.
fn fill_gaps(
    grouping: Grouping,
    first: i64,
    last: i64,
    periods: &mut BTreeMap<String, (Vec<i64>, i64)>,
    n: usize,
) {
    const DAY_MS: i64 = 24 * HOUR_MS;
    let limit = if grouping == Grouping::Day { 400 } else { 3700 };
    if (last - first) / DAY_MS > limit {
        return;
    }
    // Half a day at a time: a whole day's step from late evening could jump over a
    // date where summer time begins.
    let mut at = first;
    while at <= last {
        periods
            .entry(period(grouping, at))
            .or_insert_with(|| (vec![0; n], 0));
        at += DAY_MS / 2;
    }
}

/// The Warsaw period a moment falls in: `2026-11-30`, `2026-W48` (ISO week), `2026-11`.
pub fn period(grouping: Grouping, ms: i64) -> String {
    let date = crate::time_fmt::poland_date(ms);
    match grouping {
        Grouping::Month => date[..7].to_string(),
        Grouping::Week => {
            let Some(start) = crate::time_fmt::day_start_ms(&date) else {
                return date;
            };
            let days = start.div_euclid(86_400_000);
            // ISO weeks start on Monday; the week belongs to the year of its Thursday
            // (1970-01-01 was a Thursday).
            let thursday = days - (days + 3).rem_euclid(7) + 3;
            let thursday_date = crate::time_fmt::format_utc(thursday * 86_400_000);
            let year = &thursday_date[..4];
            let jan1 = crate::time_fmt::day_start_ms(&format!("{year}-01-01"))
                .unwrap_or_default()
                .div_euclid(86_400_000);
            let week = (thursday - jan1) / 7 + 1;
            format!("{year}-W{week:02}")
        }
        _ => date,
    }
}

fn cell(row: &AnyRow, i: usize, kind: Kind) -> Result<ReportCell, StoreError> {
    Ok(match kind {
        Kind::Number => row
            .try_get::<Option<i64>, _>(i)?
            .map_or(ReportCell::Empty, ReportCell::Number),
        Kind::Time => row
            .try_get::<Option<i64>, _>(i)?
            .map_or(ReportCell::Empty, ReportCell::Time),
        Kind::Contact => row
            .try_get::<Option<i64>, _>(i)?
            .map_or(ReportCell::Empty, |v| ReportCell::Contact(ContactId(v))),
        Kind::Text => row
            .try_get::<Option<String>, _>(i)?
            .map_or(ReportCell::Empty, ReportCell::Text),
        Kind::Label(label) => match row.try_get::<Option<String>, _>(i)? {
            None => ReportCell::Empty,
            Some(v) => label(&v).map_or(ReportCell::Text(v), ReportCell::Label),
        },
        Kind::YesNo => ReportCell::Label(if row.try_get::<i64, _>(i)? == 1 {
            Msg::ReportYes
        } else {
            Msg::ReportNo
        }),
    })
}
