//! The filter set of "Szukaj", shared by the page, the server functions and the export.
//! It lives in the URL query, so a search can be bookmarked, works without JavaScript,
//! and the export receives exactly what the page is showing.

use crate::ids::{ContactId, ImportId, SourceId};
use serde::{Deserialize, Serialize};

use super::query::{decode_pairs, encode};
use crate::cases::model::CaseStatus;
use crate::consents::model::ConsentChannel;
use crate::contacts::ContactState;
use crate::domain::{Email, Nip, Pesel, Phone};
use crate::error::{AppError, FieldError};
use crate::i18n::Msg;

plain_enum!(
    /// What a contact's current decision on one consent definition must be.
    ConsentState {
        Granted = "granted" => SearchConsentGranted,
        Refused = "refused" => SearchConsentRefused,
        Withdrawn = "withdrawn" => SearchConsentWithdrawn,
        NeverAsked = "never" => SearchConsentNever,
    }
);

/// Every filter of "Szukaj"; an empty field or `None` is not applied, the rest must all
/// hold. Text fields keep what the person typed (the form shows it back); they are
/// normalised when the query is built. Dates are `YYYY-MM-DD`, Europe/Warsaw days,
/// both ends inclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchFilter {
    /// Whole words of the name or company; every word must match.
    pub name: String,
    pub phone: String,
    pub email: String,
    pub pesel: String,
    pub nip: String,
    pub city: String,
    pub postal_code: String,
    pub source_id: Option<SourceId>,
    pub import_id: Option<ImportId>,
    pub created_from: String,
    pub created_to: String,
    pub changed_from: String,
    pub changed_to: String,
    /// `None`: every state but erased.
    pub state: Option<ContactState>,
    /// Per consent definition id, ascending by id.
    pub consents: Vec<(i64, ConsentState)>,
    /// Direct marketing allowed on this channel, as the contact check decides it.
    pub marketing: Option<ConsentChannel>,
    pub open_case: bool,
    /// Has at least one case in this status.
    pub case_status: Option<CaseStatus>,
    /// Last communication done between these days.
    pub contact_from: String,
    pub contact_to: String,
}

pub const MAX_TEXT: usize = 200;

/// The query keys, in the order `to_query` writes them.
pub mod keys {
    pub const NAME: &str = "nazwa";
    pub const PHONE: &str = "telefon";
    pub const EMAIL: &str = "email";
    pub const PESEL: &str = "pesel";
    pub const NIP: &str = "nip";
    pub const CITY: &str = "miasto";
    pub const POSTAL: &str = "kod";
    pub const SOURCE: &str = "zrodlo";
    pub const IMPORT: &str = "import";
    pub const CREATED_FROM: &str = "utworzono_od";
    pub const CREATED_TO: &str = "utworzono_do";
    pub const CHANGED_FROM: &str = "zmieniono_od";
    pub const CHANGED_TO: &str = "zmieniono_do";
    pub const STATE: &str = "stan";
    /// Followed by the definition id: `zgoda_3=granted`.
    pub const CONSENT_PREFIX: &str = "zgoda_";
    pub const MARKETING: &str = "marketing";
    pub const OPEN_CASE: &str = "otwarta_sprawa";
    pub const CASE_STATUS: &str = "status_sprawy";
    pub const CONTACT_FROM: &str = "kontakt_od";
    pub const CONTACT_TO: &str = "kontakt_do";
}

/// The channels marketing can be allowed on (`any` is not one a person is reached by).
pub const MARKETING_CHANNELS: [ConsentChannel; 4] = [
    ConsentChannel::Email,
    ConsentChannel::Sms,
    ConsentChannel::Call,
    ConsentChannel::AutomatedCall,
];

impl SearchFilter {
    pub fn is_empty(&self) -> bool {
        *self == SearchFilter::default()
    }

    /// The filter as a URL query string: only set fields, in a fixed order.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut text = |key: &str, value: &str| {
            if !value.trim().is_empty() {
                pairs.push((key.to_string(), value.trim().to_string()));
            }
        };
        text(keys::NAME, &self.name);
        text(keys::PHONE, &self.phone);
        text(keys::EMAIL, &self.email);
        text(keys::PESEL, &self.pesel);
        text(keys::NIP, &self.nip);
        text(keys::CITY, &self.city);
        text(keys::POSTAL, &self.postal_code);
        let source = self.source_id.map(|v| v.to_string()).unwrap_or_default();
        text(keys::SOURCE, &source);
        let import = self.import_id.map(|v| v.to_string()).unwrap_or_default();
        text(keys::IMPORT, &import);
        text(keys::CREATED_FROM, &self.created_from);
        text(keys::CREATED_TO, &self.created_to);
        text(keys::CHANGED_FROM, &self.changed_from);
        text(keys::CHANGED_TO, &self.changed_to);
        text(keys::STATE, self.state.map(|s| s.as_str()).unwrap_or(""));
        let mut consents = self.consents.clone();
        consents.sort_by_key(|(id, _)| *id);
        for (id, state) in consents {
            text(&format!("{}{id}", keys::CONSENT_PREFIX), state.as_str());
        }
        text(
            keys::MARKETING,
            self.marketing.map(|c| c.as_str()).unwrap_or(""),
        );
        text(keys::OPEN_CASE, if self.open_case { "1" } else { "" });
        text(
            keys::CASE_STATUS,
            self.case_status.map(|s| s.as_str()).unwrap_or(""),
        );
        text(keys::CONTACT_FROM, &self.contact_from);
        text(keys::CONTACT_TO, &self.contact_to);
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Parses what `to_query` wrote and what the GET form submits. Unknown keys are
    /// ignored (the page's own paging and sorting keys among them); every bad value is
    /// reported with its field.
    pub fn from_query(q: &str) -> Result<SearchFilter, AppError> {
        let mut f = SearchFilter::default();
        let mut errors = Vec::new();
        for (key, value) in decode_pairs(q) {
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
                keys::NAME => f.name = value,
                keys::PHONE => f.phone = value,
                keys::EMAIL => f.email = value,
                keys::PESEL => f.pesel = value,
                keys::NIP => f.nip = value,
                keys::CITY => f.city = value,
                keys::POSTAL => f.postal_code = value,
                keys::SOURCE => f.source_id = id(&mut errors).map(SourceId),
                keys::IMPORT => f.import_id = id(&mut errors).map(ImportId),
                keys::CREATED_FROM => f.created_from = value,
                keys::CREATED_TO => f.created_to = value,
                keys::CHANGED_FROM => f.changed_from = value,
                keys::CHANGED_TO => f.changed_to = value,
                keys::CONTACT_FROM => f.contact_from = value,
                keys::CONTACT_TO => f.contact_to = value,
                keys::STATE => match ContactState::parse(&value) {
                    Some(s) => f.state = Some(s),
                    None => errors.push(FieldError::new(&key, Msg::SearchErrChoice)),
                },
                keys::MARKETING => match ConsentChannel::parse(&value) {
                    Some(c) if MARKETING_CHANNELS.contains(&c) => f.marketing = Some(c),
                    _ => errors.push(FieldError::new(&key, Msg::SearchErrChoice)),
                },
                keys::OPEN_CASE => f.open_case = value != "0",
                keys::CASE_STATUS => match CaseStatus::parse(&value) {
                    Some(s) => f.case_status = Some(s),
                    None => errors.push(FieldError::new(&key, Msg::SearchErrChoice)),
                },
                other => {
                    let Some(def) = other.strip_prefix(keys::CONSENT_PREFIX) else {
                        continue;
                    };
                    match (def.parse::<i64>(), ConsentState::parse(&value)) {
                        (Ok(def), Some(state)) if def > 0 => {
                            f.consents.retain(|(d, _)| *d != def);
                            f.consents.push((def, state));
                        }
                        _ => errors.push(FieldError::new(&key, Msg::SearchErrChoice)),
                    }
                }
            }
        }
        f.consents.sort_by_key(|(id, _)| *id);
        if let Err(more) = f.validate() {
            errors.extend(more);
        }
        if errors.is_empty() {
            Ok(f)
        } else {
            Err(AppError::Validation(errors))
        }
    }

    /// Checks every typed value (a filter may also arrive as JSON, not from a query).
    /// Every field error at once, beside its field.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let texts = [
            (keys::NAME, &self.name),
            (keys::CITY, &self.city),
            (keys::POSTAL, &self.postal_code),
        ];
        for (key, value) in texts {
            if let Err(msg) = crate::domain::text::check_single_line(value, MAX_TEXT) {
                errors.push(FieldError::new(key, msg));
            }
        }
        type Check = fn(&str) -> Result<(), Msg>;
        let checks: [(&str, &String, Check); 4] = [
            (keys::PHONE, &self.phone, |v| Phone::parse(v).map(|_| ())),
            (keys::EMAIL, &self.email, |v| Email::parse(v).map(|_| ())),
            (keys::PESEL, &self.pesel, |v| Pesel::parse(v).map(|_| ())),
            (keys::NIP, &self.nip, |v| Nip::parse(v).map(|_| ())),
        ];
        for (key, value, check) in checks {
            if !value.trim().is_empty() {
                if let Err(msg) = check(value.trim()) {
                    errors.push(FieldError::new(key, msg));
                }
            }
        }
        let dates = [
            (keys::CREATED_FROM, &self.created_from),
            (keys::CREATED_TO, &self.created_to),
            (keys::CHANGED_FROM, &self.changed_from),
            (keys::CHANGED_TO, &self.changed_to),
            (keys::CONTACT_FROM, &self.contact_from),
            (keys::CONTACT_TO, &self.contact_to),
        ];
        for (key, value) in dates {
            if !value.trim().is_empty() && warsaw_day_start_ms(value.trim()).is_none() {
                errors.push(FieldError::new(key, Msg::ErrDate));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

plain_enum!(
    /// A plain column the results can be ordered by.
    SortBy {
        Id = "id",
        Created = "created",
        Changed = "changed",
        State = "state",
        Source = "source",
    }
);

/// How a page of results is ordered and which page it is (1-based). Lives in the same
/// URL query as the filter, under keys the filter ignores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchView {
    pub sort: SortBy,
    pub desc: bool,
    pub page: i64,
}

impl Default for SearchView {
    fn default() -> Self {
        Self {
            sort: SortBy::Id,
            desc: true,
            page: 1,
        }
    }
}

pub const PAGE_SIZE: i64 = 50;

/// The count of results stops here; beyond it the page says "more than 10,000"
/// (`Msg::SearchTotalOver` spells the figure).
pub const COUNT_CAP: i64 = 10_000;

impl SearchView {
    /// Lenient: a bad sort or page falls back to the default rather than failing.
    pub fn from_query(q: &str) -> Self {
        let mut view = SearchView::default();
        for (key, value) in decode_pairs(q) {
            match key.as_str() {
                "sort" => view.sort = SortBy::parse(&value).unwrap_or_default(),
                "kier" => view.desc = value != "asc",
                "strona" => view.page = value.parse::<i64>().unwrap_or(1).clamp(1, 1_000_000),
                _ => {}
            }
        }
        view
    }

    pub fn to_query(&self) -> String {
        format!(
            "sort={}&kier={}&strona={}",
            self.sort.as_str(),
            if self.desc { "desc" } else { "asc" },
            self.page
        )
    }
}

/// One line of the results; personal values come from the contact's sealed columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRow {
    pub id: ContactId,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub city: Option<String>,
    pub source: Option<String>,
    /// Granted consents out of the active definitions.
    pub consents_granted: i64,
    pub consents_total: i64,
    pub state: ContactState,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage {
    pub rows: Vec<SearchRow>,
    /// How many contacts match, counted up to [`COUNT_CAP`].
    pub total: i64,
    /// False when more than `total` match (the count stopped at the cap).
    pub total_exact: bool,
    pub page: i64,
    pub page_size: i64,
}

/// A search kept under a name by the manager who saved it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSearch {
    pub id: i64,
    pub name: String,
    pub query: String,
    pub created_at: i64,
}

/// The UTC millisecond at which a `YYYY-MM-DD` day begins in Europe/Warsaw (CET, with
/// CEST from the last Sunday of March to the last Sunday of October, EU rules).
pub fn warsaw_day_start_ms(date: &str) -> Option<i64> {
    const DAY: i64 = 86_400_000;
    const HOUR: i64 = 3_600_000;
    let utc = crate::time_fmt::day_start_ms(date)?;
    // Reject days the shape check lets through but the calendar does not (02-30).
    if crate::time_fmt::format_utc(utc).get(..10) != Some(date) {
        return None;
    }
    let year = &date[..4];
    let last_sunday = |month_end: &str| -> Option<i64> {
        let end = crate::time_fmt::day_start_ms(&format!("{year}-{month_end}"))? / DAY;
        // 1970-01-01 was a Thursday: (days + 4) mod 7 is 0 on Sundays.
        Some(end - (end + 4).rem_euclid(7))
    };
    let day = utc / DAY;
    // Local midnight falls in summer time from the day after the spring change up to
    // and including the autumn change day (the change itself happens at 01:00 UTC).
    let summer = day > last_sunday("03-31")? && day <= last_sunday("10-31")?;
    Some(utc - if summer { 2 * HOUR } else { HOUR })
}

/// The start of the day after `date` in Europe/Warsaw: the exclusive end of an
/// inclusive date range.
pub fn warsaw_day_end_ms(date: &str) -> Option<i64> {
    let next = crate::time_fmt::day_start_ms(date)? + 86_400_000;
    let next = crate::time_fmt::format_utc(next);
    warsaw_day_start_ms(next.get(..10)?)
}

#[cfg(test)]
mod tests;
