//! What a report asks for and what it gives back. A report lives in the URL query (like a
//! search), so it can be bookmarked, saved under a name, printed and shown without
//! JavaScript; the server function takes the same query.
//!
//! Reports describe the processing, not the people: they carry ids, times, categories and
//! the names managers gave to sources, recipients and consents, never a sealed personal
//! value. Personal values leave Zgoda through "Szukaj" → "Eksportuj", which is a logged
//! disclosure.

use serde::{Deserialize, Serialize};

use crate::consents::model::{ConsentChannel, Decision};
use crate::contacts::ContactState;
use crate::erasure::model::RequestState;
use crate::error::{AppError, FieldError};
use crate::i18n::Msg;
use crate::ids::{ContactId, SourceId, UserId};
use crate::imports::model::ImportStatus;
use crate::search::query::{decode_pairs, encode};

plain_enum!(
    /// The records a report counts.
    Dataset {
        Contacts = "kontakty" => ReportDatasetContacts,
        Consents = "zgody" => ReportDatasetConsents,
        Changes = "zmiany" => ReportDatasetChanges,
        Disclosures = "udostepnienia" => ReportDatasetDisclosures,
        Reads = "odczyty" => ReportDatasetReads,
        Erasure = "zapomnienie" => ReportDatasetErasure,
        Imports = "importy" => ReportDatasetImports,
        Communications = "komunikacja" => ReportDatasetCommunications,
    }
);

plain_enum!(
    /// How the records are put together: one line each, or counted per period or category.
    Grouping {
        None = "brak" => ReportGroupNone,
        Day = "dzien" => ReportGroupDay,
        Week = "tydzien" => ReportGroupWeek,
        Month = "miesiac" => ReportGroupMonth,
        Source = "zrodlo" => ReportGroupSource,
        Consent = "zgoda" => ReportGroupConsent,
        Recipient = "odbiorca" => ReportGroupRecipient,
        User = "uzytkownik" => ReportGroupUser,
    }
);

impl Grouping {
    pub fn is_time(self) -> bool {
        matches!(self, Grouping::Day | Grouping::Week | Grouping::Month)
    }
}

plain_enum!(
    /// A column of a report's lines.
    ReportColumn {
        Id = "nr" => ReportColId,
        At = "czas" => ReportColAt,
        Contact = "kontakt" => ReportColContact,
        Source = "zrodlo" => ReportColSource,
        State = "stan" => ReportColState,
        Consent = "zgoda" => ReportColConsent,
        Decision = "decyzja" => ReportColDecision,
        Method = "sposob" => ReportColMethod,
        User = "uzytkownik" => ReportColUser,
        Field = "pole" => ReportColField,
        Recipient = "odbiorca" => ReportColRecipient,
        Fields = "zakres" => ReportColFields,
        LegalBasis = "podstawa" => ReportColLegalBasis,
        Purpose = "cel" => ReportColPurpose,
        ContactCount = "kontaktow" => ReportColContactCount,
        Via = "miejsce" => ReportColVia,
        Ground = "przeslanka" => ReportColGround,
        Deadline = "termin" => ReportColDeadline,
        Decided = "rozpatrzono" => ReportColDecided,
        Late = "po-terminie" => ReportColLate,
        Name = "nazwa" => ReportColName,
        File = "plik" => ReportColFile,
        Rows = "wiersze" => ReportColRows,
        Added = "dodane" => ReportColAdded,
        Rejected = "odrzucone" => ReportColRejected,
        Suppressed = "pominiete" => ReportColSuppressed,
        Channel = "kanal" => ReportColChannel,
        Outcome = "wynik" => ReportColOutcome,
        Reason = "powod" => ReportColReason,
    }
);

/// A figure counted per group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    pub label: Msg,
    /// Drawn in the chart: the charted figures of a dataset are parts of one whole
    /// (decisions, states, outcomes), so they stack.
    pub charted: bool,
}

const fn m(label: Msg, charted: bool) -> Measure {
    Measure { label, charted }
}

use Grouping as G;
use ReportColumn as C;

const TIME: [Grouping; 4] = [G::None, G::Day, G::Week, G::Month];

impl Dataset {
    pub fn groupings(self) -> Vec<Grouping> {
        let extra: &[Grouping] = match self {
            Dataset::Contacts => &[G::Source],
            Dataset::Consents => &[G::Consent, G::User],
            Dataset::Changes | Dataset::Imports => &[G::Source, G::User],
            Dataset::Disclosures => &[G::Recipient, G::User],
            Dataset::Reads | Dataset::Erasure | Dataset::Communications => &[G::User],
        };
        TIME.iter().chain(extra).copied().collect()
    }

    /// The columns of its lines, in order; all are shown unless the manager picks some.
    pub fn columns(self) -> &'static [ReportColumn] {
        match self {
            Dataset::Contacts => &[C::Id, C::At, C::Source, C::State],
            Dataset::Consents => &[
                C::At,
                C::Contact,
                C::Consent,
                C::Channel,
                C::Decision,
                C::Method,
                C::User,
            ],
            Dataset::Changes => &[C::At, C::Contact, C::Field, C::Source, C::User],
            Dataset::Disclosures => &[
                C::Id,
                C::At,
                C::Recipient,
                C::Fields,
                C::LegalBasis,
                C::Purpose,
                C::ContactCount,
                C::User,
            ],
            Dataset::Reads => &[C::At, C::Contact, C::Via, C::User],
            Dataset::Erasure => &[
                C::Id,
                C::At,
                C::Contact,
                C::Ground,
                C::State,
                C::Deadline,
                C::Decided,
                C::Late,
                C::User,
            ],
            Dataset::Imports => &[
                C::Id,
                C::At,
                C::Name,
                C::File,
                C::Source,
                C::State,
                C::Rows,
                C::Added,
                C::Rejected,
                C::Suppressed,
                C::User,
            ],
            Dataset::Communications => &[
                C::At,
                C::Contact,
                C::Channel,
                C::Purpose,
                C::Outcome,
                C::Reason,
                C::User,
            ],
        }
    }

    /// The figures counted per group, in order. How many different people a period's
    /// card reads touched is not the sum of its hours, so periods count reads only.
    pub fn measures_for(self, grouping: Grouping) -> Vec<Measure> {
        let mut all = self.measures();
        if self == Dataset::Reads && grouping.is_time() {
            all.truncate(1);
        }
        all
    }

    /// Every figure the dataset counts, in order.
    pub fn measures(self) -> Vec<Measure> {
        match self {
            Dataset::Contacts => ContactState::ALL
                .iter()
                .map(|s| m(s.label(), true))
                .collect(),
            Dataset::Consents => Decision::ALL.iter().map(|d| m(d.label(), true)).collect(),
            Dataset::Changes => vec![m(Msg::ReportMeasureChanges, true)],
            Dataset::Disclosures => vec![
                m(Msg::ReportMeasureDisclosures, true),
                m(Msg::ReportMeasureDisclosedRecords, false),
            ],
            Dataset::Reads => vec![
                m(Msg::ReportMeasureReads, true),
                m(Msg::ReportMeasureContacts, false),
            ],
            Dataset::Erasure => {
                let mut v = vec![m(Msg::ReportMeasureRequests, false)];
                v.extend(RequestState::ALL.iter().map(|s| m(s.label(), true)));
                v.push(m(Msg::ReportMeasureLate, false));
                v
            }
            Dataset::Imports => vec![
                m(Msg::ReportMeasureImports, false),
                m(Msg::ReportMeasureRows, false),
                m(Msg::ReportColAdded, true),
                m(Msg::ReportColRejected, true),
                m(Msg::ReportColSuppressed, true),
            ],
            Dataset::Communications => vec![
                m(Msg::ReportOutcomeDone, true),
                m(Msg::ReportOutcomeBlocked, true),
            ],
        }
    }

    /// The filters that apply, besides the period.
    pub fn filters(self) -> &'static [FilterKind] {
        use FilterKind as F;
        match self {
            Dataset::Contacts => &[F::Source, F::State],
            Dataset::Consents => &[F::Consent, F::Channel, F::State, F::User],
            Dataset::Changes => &[F::Source, F::User],
            Dataset::Disclosures => &[F::Recipient, F::User],
            Dataset::Reads => &[F::User],
            Dataset::Erasure => &[F::State, F::User],
            Dataset::Imports => &[F::Source, F::State, F::User],
            Dataset::Communications => &[F::Channel, F::State, F::User],
        }
    }

    /// The values the state filter takes for this dataset, with their labels.
    pub fn states(self) -> Vec<(&'static str, Msg)> {
        match self {
            Dataset::Contacts => ContactState::ALL
                .iter()
                .map(|s| (s.as_str(), s.label()))
                .collect(),
            Dataset::Consents => Decision::ALL
                .iter()
                .map(|d| (d.as_str(), d.label()))
                .collect(),
            Dataset::Erasure => RequestState::ALL
                .iter()
                .map(|s| (s.as_str(), s.label()))
                .collect(),
            Dataset::Imports => ImportStatus::ALL
                .iter()
                .map(|s| (s.as_str(), s.label()))
                .collect(),
            Dataset::Communications => vec![
                ("done", Msg::ReportOutcomeDone),
                ("blocked", Msg::ReportOutcomeBlocked),
            ],
            _ => Vec::new(),
        }
    }

    /// What the period filter and the time grouping look at.
    pub fn time_label(self) -> Msg {
        match self {
            Dataset::Contacts | Dataset::Imports => Msg::ReportTimeCreated,
            Dataset::Erasure => Msg::ReportTimeRequested,
            _ => Msg::ReportColAt,
        }
    }
}

/// The channels the channel filter offers (a consent "for any channel" is one of them).
pub const CHANNELS: [ConsentChannel; 5] = [
    ConsentChannel::Any,
    ConsentChannel::Email,
    ConsentChannel::Sms,
    ConsentChannel::Call,
    ConsentChannel::AutomatedCall,
];

impl Dataset {
    /// The channels its channel filter offers: a communication is always on one channel.
    pub fn channels(self) -> &'static [ConsentChannel] {
        match self {
            Dataset::Communications => &CHANNELS[1..],
            _ => &CHANNELS,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    Source,
    Consent,
    Recipient,
    User,
    State,
    Channel,
}

/// The query keys.
pub mod keys {
    pub const DATASET: &str = "zbior";
    pub const GROUPING: &str = "grupuj";
    pub const FROM: &str = "od";
    pub const TO: &str = "do";
    pub const SOURCE: &str = "zrodlo";
    pub const CONSENT: &str = "zgoda";
    pub const RECIPIENT: &str = "odbiorca";
    pub const USER: &str = "uzytkownik";
    pub const STATE: &str = "stan";
    pub const CHANNEL: &str = "kanal";
    pub const COLUMN: &str = "kol";
}

/// A report's whole definition. Filters that do not apply to the dataset are dropped
/// when it is parsed, so a saved report never carries a condition it ignores.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    pub dataset: Dataset,
    pub grouping: Grouping,
    /// `YYYY-MM-DD`, Europe/Warsaw days, both ends inclusive.
    pub from: String,
    pub to: String,
    pub source_id: Option<SourceId>,
    pub definition_id: Option<i64>,
    pub recipient_id: Option<i64>,
    pub user_id: Option<UserId>,
    /// A value of `Dataset::states`.
    pub state: Option<String>,
    pub channel: Option<ConsentChannel>,
    /// Empty: every column of the dataset.
    pub columns: Vec<ReportColumn>,
}

impl ReportQuery {
    pub fn applies(&self, kind: FilterKind) -> bool {
        self.dataset.filters().contains(&kind)
    }

    /// The columns shown, in the dataset's order.
    pub fn shown_columns(&self) -> Vec<ReportColumn> {
        self.dataset
            .columns()
            .iter()
            .copied()
            .filter(|c| self.columns.is_empty() || self.columns.contains(c))
            .collect()
    }

    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = vec![
            (keys::DATASET, self.dataset.as_str().into()),
            (keys::GROUPING, self.grouping.as_str().into()),
        ];
        let mut put = |key: &'static str, value: Option<String>| {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                pairs.push((key, v));
            }
        };
        put(keys::FROM, Some(self.from.clone()));
        put(keys::TO, Some(self.to.clone()));
        put(keys::SOURCE, self.source_id.map(|v| v.to_string()));
        put(keys::CONSENT, self.definition_id.map(|v| v.to_string()));
        put(keys::RECIPIENT, self.recipient_id.map(|v| v.to_string()));
        put(keys::USER, self.user_id.map(|v| v.to_string()));
        put(keys::STATE, self.state.clone());
        put(keys::CHANNEL, self.channel.map(|c| c.as_str().to_string()));
        for c in self.shown_columns() {
            if !self.columns.is_empty() {
                pairs.push((keys::COLUMN, c.as_str().into()));
            }
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Parses what `to_query` wrote and what the GET form submits; unknown keys are
    /// ignored, every bad value is reported with its field.
    pub fn from_query(q: &str) -> Result<ReportQuery, AppError> {
        let mut r = ReportQuery::default();
        let mut errors = Vec::new();
        let mut stale_columns = false;
        let pairs = decode_pairs(q);
        // The dataset first: it decides which of the other keys mean anything.
        for (key, value) in &pairs {
            let value = value.trim();
            if key == keys::DATASET && !value.is_empty() {
                match Dataset::parse(value) {
                    Some(d) => r.dataset = d,
                    None => errors.push(FieldError::new(key, Msg::SearchErrChoice)),
                }
            }
        }
        for (key, value) in pairs {
            let value = value.trim().to_string();
            if value.is_empty() {
                continue;
            }
            let id = |errors: &mut Vec<FieldError>| match value.parse::<i64>() {
                Ok(v) if v > 0 => Some(v),
                _ => {
                    errors.push(FieldError::new(&key, Msg::SearchErrChoice));
                    None
                }
            };
            match key.as_str() {
                // A grouping, state or column of another dataset is what the form still
                // holds right after the manager switched datasets: dropped, not refused.
                keys::GROUPING => match Grouping::parse(&value) {
                    Some(g) if r.dataset.groupings().contains(&g) => r.grouping = g,
                    Some(_) => {}
                    None => errors.push(FieldError::new(&key, Msg::SearchErrChoice)),
                },
                keys::FROM | keys::TO => {
                    if crate::search::model::warsaw_day_start_ms(&value).is_none() {
                        errors.push(FieldError::new(&key, Msg::ErrDate));
                    } else if key == keys::FROM {
                        r.from = value;
                    } else {
                        r.to = value;
                    }
                }
                keys::SOURCE if r.applies(FilterKind::Source) => {
                    r.source_id = id(&mut errors).map(SourceId)
                }
                keys::CONSENT if r.applies(FilterKind::Consent) => {
                    r.definition_id = id(&mut errors)
                }
                keys::RECIPIENT if r.applies(FilterKind::Recipient) => {
                    r.recipient_id = id(&mut errors)
                }
                keys::USER if r.applies(FilterKind::User) => {
                    r.user_id = id(&mut errors).map(UserId)
                }
                keys::STATE
                    if r.applies(FilterKind::State)
                        && r.dataset.states().iter().any(|(code, _)| *code == value) =>
                {
                    r.state = Some(value)
                }
                keys::CHANNEL if r.applies(FilterKind::Channel) => {
                    match ConsentChannel::parse(&value) {
                        Some(c) if r.dataset.channels().contains(&c) => r.channel = Some(c),
                        Some(_) => {}
                        None => errors.push(FieldError::new(&key, Msg::SearchErrChoice)),
                    }
                }
                keys::COLUMN => match ReportColumn::parse(&value) {
                    Some(c) if r.dataset.columns().contains(&c) => {
                        if !r.columns.contains(&c) {
                            r.columns.push(c);
                        }
                    }
                    Some(_) => stale_columns = true,
                    None => errors.push(FieldError::new(&key, Msg::SearchErrChoice)),
                },
                _ => {}
            }
        }
        if let (Some(from), Some(to)) = (
            crate::search::model::warsaw_day_start_ms(&r.from),
            crate::search::model::warsaw_day_start_ms(&r.to),
        ) {
            if from > to {
                errors.push(FieldError::new(keys::TO, Msg::ErrDateOrder));
            }
        }
        // Every column picked is the same as none picked; columns of another dataset mean
        // the pick was made for that one, so this dataset shows all of its own.
        if stale_columns || r.columns.len() == r.dataset.columns().len() {
            r.columns.clear();
        }
        if errors.is_empty() {
            Ok(r)
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

/// One cell of a report line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportCell {
    Empty,
    /// A name a manager gave (a source, a recipient, a consent, a user's display name).
    Text(String),
    Number(i64),
    /// UTC milliseconds.
    Time(i64),
    Label(Msg),
    Contact(ContactId),
}

/// One group of a grouped report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportGroup {
    /// A period (`2026-11-30`, `2026-W48`, `2026-11`) or a category's name.
    pub label: ReportCell,
    /// One per measure of the dataset.
    pub values: Vec<i64>,
    /// How many records the group holds.
    pub records: i64,
    /// Far above the other groups (card reads per user): worth a look.
    pub unusual: bool,
}

/// What a report shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportResult {
    pub query: ReportQuery,
    /// Lines (no grouping), newest first, at most `LINE_LIMIT`.
    pub columns: Vec<ReportColumn>,
    pub lines: Vec<Vec<ReportCell>>,
    /// How many records match.
    pub total: i64,
    pub groups: Vec<ReportGroup>,
    pub measures: Vec<Measure>,
}

/// What waits for a manager, on the managers' home.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagerCounters {
    /// Erasure requests not yet decided.
    pub erasure_waiting: i64,
    /// Of those, due within the next 7 days.
    pub erasure_due_soon: i64,
    /// Of those, past their deadline (Art. 12(3)).
    pub erasure_overdue: i64,
    /// Large exports queued or being prepared.
    pub exports_running: i64,
    /// Finished imports with rejected rows whose report nobody confirmed yet.
    pub imports_with_rejects: i64,
    /// Requests for a copy of one's data (Art. 15 and 20) not yet delivered.
    pub access_waiting: i64,
    /// Of those, past their deadline.
    pub access_overdue: i64,
}

/// Lines shown on the page; the file export carries every one.
pub const LINE_LIMIT: i64 = 500;

/// A report kept under a name, shared by the managers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedReport {
    pub id: i64,
    pub name: String,
    pub query: String,
    pub created_by: Option<String>,
    pub created_at: i64,
}

/// The ready-made reports to start from: (title, query).
pub fn ready_made() -> Vec<(Msg, String)> {
    let q = |dataset, grouping, extra: &str| {
        let mut r = ReportQuery {
            dataset,
            grouping,
            ..ReportQuery::default()
        };
        if let Ok(parsed) = ReportQuery::from_query(&format!(
            "{}={}&{}={}&{extra}",
            keys::DATASET,
            dataset.as_str(),
            keys::GROUPING,
            grouping.as_str()
        )) {
            r = parsed;
        }
        r.to_query()
    };
    vec![
        (
            Msg::ReportReadyConsents,
            q(Dataset::Consents, Grouping::Month, ""),
        ),
        (
            Msg::ReportReadyErasure,
            q(Dataset::Erasure, Grouping::Month, ""),
        ),
        (
            Msg::ReportReadyDisclosures,
            q(Dataset::Disclosures, Grouping::Recipient, ""),
        ),
        (Msg::ReportReadyReads, q(Dataset::Reads, Grouping::User, "")),
        (
            Msg::ReportReadyImports,
            q(Dataset::Imports, Grouping::Source, ""),
        ),
    ]
}

#[cfg(test)]
mod tests;
