//! What the import wizard, the report and integrators exchange with the server.

use crate::ids::{DefinitionId, ImportId, SourceId};
use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::i18n::Msg;

plain_enum!(TextEncoding {
    Utf8 = "utf-8" => EncUtf8,
    Windows1250 = "windows-1250" => EncWindows1250,
    Iso88592 = "iso-8859-2" => EncIso88592,
    Cp852 = "cp852" => EncCp852,
    Utf16Le = "utf-16le" => EncUtf16Le,
    Utf16Be = "utf-16be" => EncUtf16Be,
});

plain_enum!(FileFormat {
    Delimited = "delimited" => FormatDelimited,
    Xlsx = "xlsx" => FormatXlsx,
});

// Where a file column goes on the contact. `Phone` and `Email` may take several columns.
plain_enum!(Target {
    Skip = "skip" => TargetSkip,
    FirstName = "first_name" => FirstNameLabel,
    LastName = "last_name" => LastNameLabel,
    FullName = "full_name" => DisplayNameLabel,
    Company = "company" => CompanyLabel,
    Phone = "phone" => TargetPhone,
    Email = "email" => ColEmail,
    Street = "street" => StreetLabel,
    PostalCode = "postal_code" => PostalCodeLabel,
    City = "city" => CityLabel,
    Pesel = "pesel" => PeselLabel,
    Nip = "nip" => NipLabel,
    Notes = "notes" => NotesLabel,
});

impl Target {
    pub fn repeatable(self) -> bool {
        matches!(self, Target::Skip | Target::Phone | Target::Email)
    }
}

// A row whose phone or e-mail matches a contact already there.
plain_enum!(DuplicateMode {
    Skip = "skip" => DupSkip,
    Update = "update" => DupUpdate,
    Add = "add" => DupAdd,
});

// A phone number that cannot be repaired.
plain_enum!(InvalidPhone {
    Drop = "drop" => InvalidPhoneDrop,
    KeepFlagged = "keep_flagged" => InvalidPhoneKeep,
});

plain_enum!(ImportStatus {
    Draft = "draft" => ImportDraftStatus,
    Queued = "queued" => ImportQueued,
    Running = "running" => ImportRunning,
    Done = "done" => ImportDone,
    Failed = "failed" => ImportFailed,
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneRepair {
    /// Spaces, dashes, dots, slashes and brackets go.
    pub strip_separators: bool,
    /// "0048…" and "48…" (with a full national number after it) become "+48…".
    pub international_prefix: bool,
    /// A trunk "0" before a national number goes ("0 22 …" → "22 …").
    pub leading_zero: bool,
    /// Country calling code for numbers written without one (digits only, "48").
    pub default_country: String,
    /// Check the number against libphonenumber's metadata for its country.
    pub validate: bool,
    pub invalid: InvalidPhone,
}

impl Default for PhoneRepair {
    fn default() -> Self {
        Self {
            strip_separators: true,
            international_prefix: true,
            leading_zero: true,
            default_country: "48".into(),
            validate: true,
            invalid: InvalidPhone::Drop,
        }
    }
}

/// Everything the manager set in the wizard's second and third steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSettings {
    pub file_name: String,
    pub name: String,
    pub description: String,
    pub source_id: SourceId,
    /// Consent definitions granted by every imported person, method "import".
    pub consents: Vec<DefinitionId>,
    pub encoding: TextEncoding,
    /// One ASCII character; tab as "\t".
    pub delimiter: String,
    pub quote: String,
    pub has_header: bool,
    /// One target per file column, in column order.
    pub mapping: Vec<Target>,
    pub duplicates: DuplicateMode,
    pub phone: PhoneRepair,
}

impl Default for ImportSettings {
    fn default() -> Self {
        Self {
            file_name: String::new(),
            name: String::new(),
            description: String::new(),
            source_id: SourceId(0),
            consents: Vec::new(),
            encoding: TextEncoding::Utf8,
            delimiter: ";".into(),
            quote: "\"".into(),
            has_header: true,
            mapping: Vec::new(),
            duplicates: DuplicateMode::Skip,
            phone: PhoneRepair::default(),
        }
    }
}

/// The first rows of a loaded file as they will be imported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub format: FileFormat,
    pub encoding: TextEncoding,
    /// False when the code page could not be told apart: the manager picks one.
    pub encoding_certain: bool,
    pub delimiter: String,
    pub quote: String,
    pub has_header: bool,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub suggested: Vec<Target>,
}

/// A loaded file waiting for the wizard's next steps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadedFile {
    pub id: ImportId,
    pub file_name: String,
    pub size_bytes: i64,
    pub preview: Preview,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    pub rows_read: i64,
    pub added: i64,
    pub updated: i64,
    pub duplicates: i64,
    pub erased_skipped: i64,
    pub rejected: i64,
    pub phones_repaired: i64,
    pub phones_flagged: i64,
    pub consents: i64,
}

/// One rejected or reported row: its number in the file, the column and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub row: i64,
    pub column: String,
    pub reason: Msg,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: ImportId,
    pub name: String,
    pub description: String,
    pub file_name: String,
    pub source: String,
    pub status: ImportStatus,
    pub counters: Counters,
    pub bytes_total: i64,
    pub bytes_done: i64,
    pub rows_per_second: i64,
    /// Seconds left at the current pace; `None` before the pace is known.
    pub seconds_left: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    pub confirmed: bool,
    /// The first rejections; `counters.rejected` says how many there are.
    pub rejections: Vec<Rejection>,
    /// The rejected rows are kept (sealed) for download until the import is purged.
    pub rejects_available: bool,
    pub failure: Option<Msg>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingTemplate {
    pub id: i64,
    pub name: String,
    /// Header (folded) → target, so a template fits files with columns in any order.
    pub columns: Vec<(String, Target)>,
}

/// Where the rejected rows of an import are downloaded.
pub fn rejects_href(id: ImportId) -> String {
    format!("/menedzer/import/{id}/odrzucone.csv")
}

/// Rejections shown on the report page; the CSV download carries all of them.
pub const REPORT_REJECTIONS: usize = 200;

/// Checks the wizard's settings before anything is queued; the browser runs it too.
pub fn validate(s: &ImportSettings, columns: usize) -> Result<ImportSettings, Vec<FieldError>> {
    let mut checks = crate::domain::text::TextChecks::default();
    let name = checks.line("name", &s.name, 200, true);
    let file_name = checks.line("file_name", &s.file_name, 200, true);
    let description = checks.text("description", &s.description, 2000, false);
    let mut errors = checks.errors;
    if s.source_id.get() <= 0 {
        errors.push(FieldError::new("source_id", Msg::ErrRequired));
    }
    if single_ascii(&s.delimiter).is_none_or(|c| c == b'\n' || c == b'\r' || c == b'"') {
        errors.push(FieldError::new("delimiter", Msg::ErrImportDelimiter));
    }
    if single_ascii(&s.quote).is_none_or(|c| c.is_ascii_alphanumeric()) {
        errors.push(FieldError::new("quote", Msg::ErrImportDelimiter));
    }
    let country = s.phone.default_country.trim().trim_start_matches('+');
    if country.is_empty()
        || country.len() > 3
        || !country.bytes().all(|b| b.is_ascii_digit())
        || country.starts_with('0')
    {
        errors.push(FieldError::new("default_country", Msg::ErrImportCountry));
    }
    if s.mapping.len() != columns {
        errors.push(FieldError::new("mapping", Msg::ErrBadRequest));
    } else {
        let mapped: Vec<Target> = s
            .mapping
            .iter()
            .copied()
            .filter(|t| *t != Target::Skip)
            .collect();
        if !mapped.iter().any(|t| {
            matches!(
                t,
                Target::Phone
                    | Target::Email
                    | Target::LastName
                    | Target::FullName
                    | Target::Company
            )
        }) {
            errors.push(FieldError::new("mapping", Msg::ErrImportNothingMapped));
        }
        if mapped
            .iter()
            .enumerate()
            .any(|(i, t)| !t.repeatable() && mapped[..i].contains(t))
        {
            errors.push(FieldError::new("mapping", Msg::ErrImportMappedTwice));
        }
        let names = mapped.contains(&Target::FirstName) || mapped.contains(&Target::LastName);
        if names && mapped.contains(&Target::FullName) {
            errors.push(FieldError::new("mapping", Msg::ErrImportMappedTwice));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut consents = s.consents.clone();
    consents.sort_unstable();
    consents.dedup();
    Ok(ImportSettings {
        name,
        file_name,
        description,
        consents,
        phone: PhoneRepair {
            default_country: country.to_string(),
            ..s.phone.clone()
        },
        ..s.clone()
    })
}

/// "\t" or "tab" stand for a tab; otherwise exactly one ASCII character.
pub fn single_ascii(s: &str) -> Option<u8> {
    match s {
        "\\t" | "\t" | "tab" | "TAB" => Some(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Some(s.as_bytes()[0]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(mapping: Vec<Target>) -> ImportSettings {
        ImportSettings {
            file_name: "baza.csv".into(),
            name: "Baza targowa".into(),
            source_id: SourceId(2),
            mapping,
            ..ImportSettings::default()
        }
    }

    #[test]
    fn a_complete_setting_passes_and_is_normalised() {
        let mut s = settings(vec![
            Target::FullName,
            Target::Phone,
            Target::Phone,
            Target::Skip,
        ]);
        s.consents = [3, 1, 3].map(DefinitionId).to_vec();
        s.phone.default_country = "+48".into();
        let ok = validate(&s, 4).unwrap();
        assert_eq!(ok.consents, [1, 3].map(DefinitionId).to_vec());
        assert_eq!(ok.phone.default_country, "48");
    }

    #[test]
    fn every_missing_piece_is_named() {
        let mut s = settings(vec![Target::City, Target::City]);
        s.name = " ".into();
        s.source_id = SourceId(0);
        s.delimiter = ";;".into();
        s.phone.default_country = "x".into();
        let fields: Vec<String> = validate(&s, 2)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        for f in [
            "name",
            "source_id",
            "delimiter",
            "default_country",
            "mapping",
        ] {
            assert!(fields.contains(&f.to_string()), "{f} missing in {fields:?}");
        }
    }

    #[test]
    fn names_split_and_whole_do_not_mix() {
        let s = settings(vec![Target::FullName, Target::LastName]);
        assert!(validate(&s, 2).is_err());
        assert!(
            validate(&settings(vec![Target::Phone]), 2).is_err(),
            "column count"
        );
    }

    #[test]
    fn tab_is_spelled_out() {
        assert_eq!(single_ascii("\\t"), Some(b'\t'));
        assert_eq!(single_ascii(";"), Some(b';'));
        assert_eq!(single_ascii("ż"), None);
    }
}
