//! One file row → a checked contact, or the reasons it cannot be one. Phones are
//! repaired first; then the same validation as the contact card applies, and each error
//! is reported against the file column the value came from.

use super::delimited::Record;
use super::mapping::split_full_name;
use super::model::{ImportSettings, InvalidPhone, Target};
use super::phone_repair::{repair, Repaired};
use crate::contacts::validate::{validate, ValidContact, MAX_CHANNELS};
use crate::contacts::{Channel, ContactData, ContactKind};
use crate::i18n::Msg;

/// A non-fatal remark on an imported row, or one reason a row was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub column: String,
    pub reason: Msg,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub valid: ValidContact,
    /// Phones kept as the file had them (option "keep flagged").
    pub flagged: Vec<String>,
    pub notes: Vec<Note>,
    pub repaired: i64,
    /// The column each phone and e-mail came from, in `valid`'s order, for reports.
    pub phone_columns: Vec<String>,
    pub email_columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Contact(Box<Candidate>),
    Rejected(Vec<Note>),
}

/// What rows are read against: the settings and the columns' names for the report.
pub struct RowContext<'a> {
    pub settings: &'a ImportSettings,
    pub columns: Vec<String>,
    pub check: &'a dyn Fn(&str) -> bool,
}

impl RowContext<'_> {
    /// Report names: the header when the file has one, else "#3" (from 1).
    pub fn column_names(headers: Option<&[String]>, count: usize) -> Vec<String> {
        (0..count)
            .map(|i| match headers.and_then(|h| h.get(i)) {
                Some(h) if !h.trim().is_empty() => h.trim().chars().take(100).collect(),
                _ => format!("#{}", i + 1),
            })
            .collect()
    }

    fn column(&self, i: usize) -> String {
        self.columns
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("#{}", i + 1))
    }

    fn column_of(&self, target: Target) -> String {
        self.settings
            .mapping
            .iter()
            .position(|t| *t == target)
            .map(|i| self.column(i))
            .unwrap_or_default()
    }
}

fn rejected(column: String, reason: Msg) -> Outcome {
    Outcome::Rejected(vec![Note { column, reason }])
}

pub fn prepare(record: &Record, ctx: &RowContext<'_>) -> Outcome {
    if record.too_long {
        return rejected(String::new(), Msg::ErrImportRowTooLong);
    }
    if record.raw.contains('\u{fffd}') || record.cells.iter().any(|c| c.contains('\u{fffd}')) {
        return rejected(String::new(), Msg::ErrImportBadCharacters);
    }
    let mapping = &ctx.settings.mapping;
    if let Some(extra) = record
        .cells
        .iter()
        .enumerate()
        .skip(mapping.len())
        .find(|(_, c)| !c.is_empty())
    {
        return rejected(ctx.column(extra.0), Msg::ErrImportRaggedRow);
    }
    let mut data = ContactData::default();
    let mut notes = Vec::new();
    let mut flagged = Vec::new();
    let mut repaired = 0;
    let mut phone_columns = Vec::new();
    let mut email_columns = Vec::new();
    for (i, target) in mapping.iter().enumerate() {
        let cell = record.cells.get(i).map(|c| c.trim()).unwrap_or("");
        if cell.is_empty() {
            continue;
        }
        match target {
            Target::Skip => {}
            Target::FirstName => data.first_name = cell.into(),
            Target::LastName => data.last_name = cell.into(),
            Target::FullName => (data.first_name, data.last_name) = split_full_name(cell),
            Target::Company => data.company = cell.into(),
            Target::Street => data.street = cell.into(),
            Target::PostalCode => data.postal_code = cell.into(),
            Target::City => data.city = cell.into(),
            Target::Pesel => data.pesel = cell.into(),
            Target::Nip => data.nip = cell.into(),
            Target::Notes => data.notes = cell.into(),
            Target::Phone => match repair(cell, &ctx.settings.phone, ctx.check) {
                Repaired::Valid { e164, changed } => {
                    if !data.phones.iter().any(|p| p.value == e164) {
                        repaired += i64::from(changed);
                        data.phones.push(Channel {
                            id: None,
                            value: e164,
                            for_call: true,
                            for_sms: true,
                            for_email: false,
                        });
                        phone_columns.push(ctx.column(i));
                    }
                }
                Repaired::Invalid { original } => {
                    let keep = ctx.settings.phone.invalid == InvalidPhone::KeepFlagged;
                    if keep && original.chars().count() <= 40 && !flagged.contains(&original) {
                        flagged.push(original);
                        notes.push(Note {
                            column: ctx.column(i),
                            reason: Msg::ErrImportPhoneFlagged,
                        });
                    } else {
                        notes.push(Note {
                            column: ctx.column(i),
                            reason: Msg::ErrImportPhoneDropped,
                        });
                    }
                }
            },
            Target::Email => {
                let lower = cell.to_lowercase();
                if !data.emails.iter().any(|e| e.value.to_lowercase() == lower) {
                    data.emails.push(Channel {
                        id: None,
                        value: cell.into(),
                        for_call: false,
                        for_sms: false,
                        for_email: true,
                    });
                    email_columns.push(ctx.column(i));
                }
            }
        }
    }
    data.kind =
        if data.first_name.is_empty() && data.last_name.is_empty() && !data.company.is_empty() {
            ContactKind::Company
        } else {
            ContactKind::Person
        };
    data.phones.truncate(MAX_CHANNELS);
    data.emails.truncate(MAX_CHANNELS);
    match validate(&data) {
        Ok(valid) => Outcome::Contact(Box::new(Candidate {
            valid,
            flagged,
            notes,
            repaired,
            phone_columns,
            email_columns,
        })),
        Err(errors) => Outcome::Rejected(
            errors
                .into_iter()
                .map(|e| Note {
                    column: column_for_field(ctx, &e.field, &phone_columns, &email_columns),
                    reason: e.msg,
                })
                .collect(),
        ),
    }
}

fn column_for_field(
    ctx: &RowContext<'_>,
    field: &str,
    phones: &[String],
    emails: &[String],
) -> String {
    let nth = |list: &[String], rest: &str| {
        rest.parse::<usize>()
            .ok()
            .and_then(|i| list.get(i).cloned())
            .unwrap_or_default()
    };
    if let Some(rest) = field.strip_prefix("phones.") {
        return nth(phones, rest);
    }
    if let Some(rest) = field.strip_prefix("emails.") {
        return nth(emails, rest);
    }
    let target = match field {
        "first_name" | "last_name" if ctx.settings.mapping.contains(&Target::FullName) => {
            Target::FullName
        }
        "first_name" => Target::FirstName,
        "last_name" => Target::LastName,
        "company" => Target::Company,
        "street" => Target::Street,
        "postal_code" => Target::PostalCode,
        "city" => Target::City,
        "pesel" => Target::Pesel,
        "nip" => Target::Nip,
        "notes" => Target::Notes,
        _ => return String::new(),
    };
    ctx.column_of(target)
}

/// A duplicate's data merged into the stored contact for "update": the file's values
/// replace stored ones where the file has a value; phones and e-mails are added.
pub fn merge(stored: &ContactData, file: &ContactData) -> ContactData {
    let pick = |s: &String, f: &String| if f.is_empty() { s.clone() } else { f.clone() };
    let mut out = ContactData {
        kind: stored.kind,
        first_name: pick(&stored.first_name, &file.first_name),
        last_name: pick(&stored.last_name, &file.last_name),
        company: pick(&stored.company, &file.company),
        phones: stored.phones.clone(),
        emails: stored.emails.clone(),
        street: pick(&stored.street, &file.street),
        postal_code: pick(&stored.postal_code, &file.postal_code),
        city: pick(&stored.city, &file.city),
        pesel: pick(&stored.pesel, &file.pesel),
        nip: pick(&stored.nip, &file.nip),
        notes: pick(&stored.notes, &file.notes),
    };
    for p in &file.phones {
        if out.phones.len() < MAX_CHANNELS && !out.phones.iter().any(|x| x.value == p.value) {
            out.phones.push(p.clone());
        }
    }
    for e in &file.emails {
        if out.emails.len() < MAX_CHANNELS
            && !out
                .emails
                .iter()
                .any(|x| x.value.eq_ignore_ascii_case(&e.value))
        {
            out.emails.push(e.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imports::model::ImportSettings;

    fn any(_: &str) -> bool {
        true
    }

    fn record(cells: &[&str]) -> Record {
        Record {
            line: 7,
            cells: cells.iter().map(|c| c.to_string()).collect(),
            raw: cells.join(";"),
            too_long: false,
        }
    }

    fn settings() -> ImportSettings {
        ImportSettings {
            mapping: vec![
                Target::FullName,
                Target::Phone,
                Target::Email,
                Target::Pesel,
            ],
            ..ImportSettings::default()
        }
    }

    fn run(s: &ImportSettings, cells: &[&str]) -> Outcome {
        let headers: Vec<String> = ["Klient", "Telefon", "E-mail", "PESEL"]
            .iter()
            .map(|h| h.to_string())
            .collect();
        let ctx = RowContext {
            settings: s,
            columns: RowContext::column_names(Some(&headers), 4),
            check: &any,
        };
        prepare(&record(cells), &ctx)
    }

    #[test]
    fn a_good_row_becomes_a_contact_with_its_phone_repaired() {
        let Outcome::Contact(c) = run(
            &settings(),
            &["Anna Nowak", "0048 601-234-567", "A@B.PL", ""],
        ) else {
            panic!("rejected")
        };
        assert_eq!(c.valid.first_name, "Anna");
        assert_eq!(c.valid.last_name, "Nowak");
        assert_eq!(c.valid.phones[0].value, "+48601234567");
        assert_eq!(c.valid.emails[0].value, "a@b.pl");
        assert_eq!(c.repaired, 1);
    }

    #[test]
    fn errors_name_the_file_column() {
        let Outcome::Rejected(notes) = run(&settings(), &["Anna Nowak", "", "nie-mail", "123"])
        else {
            panic!("imported")
        };
        let columns: Vec<&str> = notes.iter().map(|n| n.column.as_str()).collect();
        assert!(columns.contains(&"E-mail"), "{notes:?}");
        assert!(columns.contains(&"PESEL"), "{notes:?}");
    }

    #[test]
    fn a_bad_phone_is_dropped_or_kept_flagged() {
        let Outcome::Contact(c) = run(&settings(), &["Anna Nowak", "brak", "", ""]) else {
            panic!("rejected")
        };
        assert!(c.valid.phones.is_empty() && c.flagged.is_empty());
        assert_eq!(c.notes[0].reason, Msg::ErrImportPhoneDropped);
        let mut keep = settings();
        keep.phone.invalid = InvalidPhone::KeepFlagged;
        let Outcome::Contact(c) = run(&keep, &["Anna Nowak", "brak", "", ""]) else {
            panic!("rejected")
        };
        assert_eq!(c.flagged, vec!["brak".to_string()]);
        assert_eq!(c.notes[0].reason, Msg::ErrImportPhoneFlagged);
    }

    #[test]
    fn broken_rows_are_rejected_with_a_reason() {
        assert!(matches!(
            run(&settings(), &["", "601234567", "", ""]),
            Outcome::Rejected(_)
        ));
        assert_eq!(
            run(&settings(), &["Anna Nowak", "", "", "", "nadmiar"]),
            rejected("#5".into(), Msg::ErrImportRaggedRow)
        );
        assert_eq!(
            run(&settings(), &["Anna \u{fffd}", "", "", ""]),
            rejected(String::new(), Msg::ErrImportBadCharacters)
        );
    }

    #[test]
    fn merging_keeps_stored_values_the_file_lacks_and_adds_channels() {
        let stored = ContactData {
            first_name: "Anna".into(),
            city: "Gdańsk".into(),
            phones: vec![Channel {
                id: Some(3),
                value: "+48601234567".into(),
                for_call: true,
                for_sms: false,
                for_email: false,
            }],
            ..ContactData::default()
        };
        let file = ContactData {
            city: "Sopot".into(),
            phones: vec![
                Channel {
                    value: "+48601234567".into(),
                    ..Channel::default()
                },
                Channel {
                    value: "+48602000000".into(),
                    ..Channel::default()
                },
            ],
            ..ContactData::default()
        };
        let m = merge(&stored, &file);
        assert_eq!(m.first_name, "Anna");
        assert_eq!(m.city, "Sopot");
        assert_eq!(m.phones.len(), 2);
        assert_eq!(m.phones[0].id, Some(3));
    }
}
