//! What an export is made of, shared by the page (wasm) and the server: the columns a
//! manager may pick, the file's format, code page and delimiter, and the form posted to
//! the export route, checked in one place.

use crate::ids::ExportId;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldError};
use crate::i18n::Msg;

/// The route the export form posts to; the page that shows the form.
pub const EXPORT_ROUTE: &str = "/menedzer/eksport";
pub const EXPORT_PAGE: &str = "/menedzer/szukaj/eksport";
/// Where a background export's progress and download live.
pub fn job_href(id: ExportId) -> String {
    format!("/menedzer/eksporty/{id}")
}
pub fn file_href(id: ExportId) -> String {
    format!("/menedzer/eksporty/{id}/plik")
}
/// The query key carrying a refused form's message back to the page (a `Msg` key).
pub const ERROR_KEY: &str = "blad_eksportu";
/// A line of free text (purpose, reason) is cut at this many characters.
pub const MAX_TEXT: usize = 500;
/// The most data rows an XLSX sheet holds (1 048 576 rows, one for the header).
pub const XLSX_MAX_ROWS: usize = 1_048_575;

/// Columns that are not consents, in the order the form offers and the file writes them.
pub const PLAIN_COLUMNS: &[(&str, Msg)] = &[
    ("id", Msg::ExportColId),
    ("first_name", Msg::FirstNameLabel),
    ("last_name", Msg::LastNameLabel),
    ("company", Msg::CompanyLabel),
    ("street", Msg::StreetLabel),
    ("postal_code", Msg::PostalCodeLabel),
    ("city", Msg::CityLabel),
    ("pesel", Msg::PeselLabel),
    ("nip", Msg::NipLabel),
    ("phones", Msg::PhonesLabel),
    ("emails", Msg::EmailsLabel),
    ("notes", Msg::NotesLabel),
    ("source", Msg::SourceLabel),
    ("created_at", Msg::CreatedAt),
    ("updated_at", Msg::UpdatedAt),
    ("state", Msg::ExportColState),
];

/// Columns ticked when the form opens.
pub const DEFAULT_COLUMNS: &[&str] = &[
    "id",
    "first_name",
    "last_name",
    "company",
    "phones",
    "emails",
    "city",
];

/// One column of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Column {
    Id,
    FirstName,
    LastName,
    Company,
    Street,
    PostalCode,
    City,
    Pesel,
    Nip,
    Phones,
    Emails,
    Notes,
    Source,
    CreatedAt,
    UpdatedAt,
    State,
    /// The current decision on one consent definition.
    Consent(i64),
}

impl Column {
    pub fn parse(key: &str) -> Option<Column> {
        if let Some(id) = key.strip_prefix("consent:") {
            return id.parse().ok().filter(|id| *id > 0).map(Column::Consent);
        }
        Some(match key {
            "id" => Column::Id,
            "first_name" => Column::FirstName,
            "last_name" => Column::LastName,
            "company" => Column::Company,
            "street" => Column::Street,
            "postal_code" => Column::PostalCode,
            "city" => Column::City,
            "pesel" => Column::Pesel,
            "nip" => Column::Nip,
            "phones" => Column::Phones,
            "emails" => Column::Emails,
            "notes" => Column::Notes,
            "source" => Column::Source,
            "created_at" => Column::CreatedAt,
            "updated_at" => Column::UpdatedAt,
            "state" => Column::State,
            _ => return None,
        })
    }

    pub fn key(self) -> String {
        match self {
            Column::Consent(id) => format!("consent:{id}"),
            other => PLAIN_COLUMNS
                .iter()
                .map(|(k, _)| *k)
                .find(|k| Column::parse(k) == Some(other))
                .unwrap_or_default()
                .to_string(),
        }
    }

    /// The sealed column of `contacts` this column opens, if any.
    pub fn sealed(self) -> Option<&'static str> {
        Some(match self {
            Column::FirstName => "first_name",
            Column::LastName => "last_name",
            Column::Company => "company",
            Column::Street => "street",
            Column::PostalCode => "postal_code",
            Column::City => "city",
            Column::Pesel => "pesel",
            Column::Nip => "nip",
            Column::Notes => "notes",
            _ => return None,
        })
    }
}

/// The label of a non-consent column key (for the disclosure log), if it is one.
pub fn plain_column_label(key: &str) -> Option<Msg> {
    PLAIN_COLUMNS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, m)| *m)
}

plain_enum!(ExportFormat {
    Csv = "csv" => ExportFormatCsv,
    Xlsx = "xlsx" => ExportFormatXlsx,
});

plain_enum!(CsvEncoding {
    Utf8Bom = "utf8" => ExportEncodingUtf8,
    Windows1250 = "cp1250" => ExportEncodingCp1250,
});

plain_enum!(Delimiter {
    Semicolon = "semicolon" => ExportDelimSemicolon,
    Comma = "comma" => ExportDelimComma,
    Tab = "tab" => ExportDelimTab,
});

impl Delimiter {
    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Semicolon => b';',
            Delimiter::Comma => b',',
            Delimiter::Tab => b'\t',
        }
    }
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv",
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }
}

/// The export form, checked: what the route acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    /// The search filter as the "Szukaj" page showed it (a query string).
    pub filter: String,
    pub columns: Vec<Column>,
    pub format: ExportFormat,
    pub encoding: CsvEncoding,
    pub delimiter: Delimiter,
    pub purpose: String,
    /// Include restricted and erasure-pending contacts, for this reason.
    pub override_reason: Option<String>,
}

fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_TEXT)
        .collect()
}

impl ExportRequest {
    /// Reads the posted form (`col` repeats, one per column); every problem is reported
    /// by field, none of them panics.
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<ExportRequest, AppError> {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        let mut errors = Vec::new();
        let mut columns = Vec::new();
        for (_, v) in pairs.iter().filter(|(k, _)| k == "col") {
            match Column::parse(v) {
                Some(c) if !columns.contains(&c) => columns.push(c),
                Some(_) => {}
                None => errors.push(FieldError::new("col", Msg::ErrBadRequest)),
            }
        }
        if columns.is_empty() && errors.is_empty() {
            errors.push(FieldError::new("col", Msg::ErrExportColumns));
        }
        let pick =
            |field: &str, default: &str| -> String { get(field).unwrap_or(default).to_string() };
        let format = ExportFormat::parse(&pick("format", "csv"));
        let encoding = CsvEncoding::parse(&pick("encoding", "utf8"));
        let delimiter = Delimiter::parse(&pick("delimiter", "semicolon"));
        for (field, ok) in [
            ("format", format.is_some()),
            ("encoding", encoding.is_some()),
            ("delimiter", delimiter.is_some()),
        ] {
            if !ok {
                errors.push(FieldError::new(field, Msg::ErrBadRequest));
            }
        }
        let purpose = one_line(get("purpose").unwrap_or_default());
        if purpose.is_empty() {
            errors.push(FieldError::new("purpose", Msg::ErrExportPurpose));
        }
        let override_on = matches!(get("override"), Some("on" | "1" | "true"));
        let reason = one_line(get("reason").unwrap_or_default());
        if override_on && reason.is_empty() {
            errors.push(FieldError::new("reason", Msg::ErrExportReason));
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(ExportRequest {
            filter: get("filter").unwrap_or_default().trim().to_string(),
            columns,
            format: format.unwrap_or_default(),
            encoding: encoding.unwrap_or_default(),
            delimiter: delimiter.unwrap_or_default(),
            purpose,
            override_reason: override_on.then_some(reason),
        })
    }

    pub fn column_keys(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.key()).collect()
    }
}

/// The file name the browser saves: `zgoda-eksport-YYYYMMDD-HHMM.csv` (UTC).
pub fn file_name(created_at_ms: i64, format: ExportFormat) -> String {
    let secs = created_at_ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "zgoda-eksport-{y:04}{m:02}{d:02}-{:02}{:02}.{}",
        rem / 3600,
        (rem % 3600) / 60,
        format.extension()
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// What the export page needs before the manager chooses: how many contacts the filter
/// finds, how many of them are held back unless the override is ticked, and the consent
/// definitions that can become columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportSummary {
    pub matching: i64,
    /// Restricted or erasure pending: left out unless the override is ticked.
    pub held_back: i64,
    pub definitions: Vec<(i64, String)>,
    pub background_over: i64,
}

plain_enum!(JobStatus {
    Streamed = "streamed" => ExportStatusStreamed,
    Queued = "queued" => ExportStatusQueued,
    Running = "running" => ExportStatusRunning,
    Done = "done" => ExportStatusDone,
    Failed = "failed" => ExportStatusFailed,
});

/// A background export as its progress page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportJob {
    pub id: ExportId,
    pub status: JobStatus,
    pub format: ExportFormat,
    pub row_count: i64,
    pub rows_done: i64,
    pub created_at: i64,
    /// Until when the finished file can be downloaded (UTC ms).
    pub expires_at: i64,
    /// The file is gone (24 hours passed).
    pub purged: bool,
    pub purpose: String,
    pub file_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn fields(err: AppError) -> Vec<String> {
        match err {
            AppError::Validation(v) => v.into_iter().map(|f| f.field).collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn a_complete_form_is_read() {
        let r = ExportRequest::from_pairs(&pairs(&[
            ("filter", "stan=active"),
            ("col", "id"),
            ("col", "last_name"),
            ("col", "consent:3"),
            ("col", "id"),
            ("format", "xlsx"),
            ("encoding", "cp1250"),
            ("delimiter", "tab"),
            ("purpose", "  Kampania\r\nwiosenna "),
            ("override", "on"),
            ("reason", "Decyzja IOD"),
        ]))
        .unwrap();
        assert_eq!(
            r.columns,
            vec![Column::Id, Column::LastName, Column::Consent(3)]
        );
        assert_eq!(r.format, ExportFormat::Xlsx);
        assert_eq!(r.encoding, CsvEncoding::Windows1250);
        assert_eq!(r.delimiter.byte(), b'\t');
        assert_eq!(r.purpose, "Kampania wiosenna");
        assert_eq!(r.override_reason.as_deref(), Some("Decyzja IOD"));
        assert_eq!(r.column_keys(), vec!["id", "last_name", "consent:3"]);
    }

    #[test]
    fn defaults_are_csv_utf8_semicolon() {
        let r = ExportRequest::from_pairs(&pairs(&[("col", "city"), ("purpose", "x")])).unwrap();
        assert_eq!(r.format, ExportFormat::Csv);
        assert_eq!(r.encoding, CsvEncoding::Utf8Bom);
        assert_eq!(r.delimiter, Delimiter::Semicolon);
        assert_eq!(r.override_reason, None);
    }

    #[test]
    fn missing_purpose_columns_and_reason_are_named() {
        let err =
            ExportRequest::from_pairs(&pairs(&[("override", "on"), ("purpose", " ")])).unwrap_err();
        assert_eq!(fields(err), vec!["col", "purpose", "reason"]);
        let err = ExportRequest::from_pairs(&pairs(&[
            ("col", "password"),
            ("purpose", "x"),
            ("format", "pdf"),
        ]))
        .unwrap_err();
        assert_eq!(fields(err), vec!["col", "format"]);
    }

    #[test]
    fn every_column_key_round_trips() {
        for (key, _) in PLAIN_COLUMNS {
            assert_eq!(Column::parse(key).unwrap().key(), *key);
        }
        assert_eq!(Column::parse("consent:0"), None);
        assert_eq!(Column::parse("consent:x"), None);
    }

    #[test]
    fn file_names_carry_the_utc_minute() {
        // 2026-03-01 07:05 UTC
        assert_eq!(
            file_name(1_772_348_700_000, ExportFormat::Csv),
            "zgoda-eksport-20260301-0705.csv"
        );
        assert_eq!(
            file_name(0, ExportFormat::Xlsx),
            "zgoda-eksport-19700101-0000.xlsx"
        );
    }
}
