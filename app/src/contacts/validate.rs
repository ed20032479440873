//! Checks a contact as a whole before anything is written, so an invalid field never
//! leaves a record saved half-way. Pure: the browser runs it for instant messages and
//! the server runs it again as the rule.

use crate::domain::text::{check_plain_text, check_single_line};
use crate::domain::{Email, Nip, Pesel, Phone};
use crate::error::FieldError;
use crate::i18n::Msg;

use super::model::{Channel, ContactData, ContactKind};

pub const MAX_CHANNELS: usize = 10;

/// A contact whose every value is checked and normalised: phones in E.164, e-mail
/// addresses lower-cased, PESEL and NIP as bare digits, text trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidContact {
    pub kind: ContactKind,
    pub first_name: String,
    pub last_name: String,
    pub company: String,
    pub phones: Vec<Channel>,
    pub emails: Vec<Channel>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub pesel: Option<Pesel>,
    pub nip: Option<Nip>,
    pub notes: String,
}

impl ValidContact {
    /// The checked values in the shape people read them.
    pub fn to_data(&self) -> ContactData {
        ContactData {
            kind: self.kind,
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            company: self.company.clone(),
            phones: self.phones.clone(),
            emails: self.emails.clone(),
            street: self.street.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            pesel: self
                .pesel
                .as_ref()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
            nip: self
                .nip
                .as_ref()
                .map(|n| n.as_str().to_string())
                .unwrap_or_default(),
            notes: self.notes.clone(),
        }
    }
}

pub fn validate(data: &ContactData) -> Result<ValidContact, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut line = |field: &str, value: &str, max: usize| -> String {
        let value = value.trim();
        if let Err(msg) = check_single_line(value, max) {
            errors.push(FieldError::new(field, msg));
        }
        value.to_string()
    };
    let first_name = line("first_name", &data.first_name, 100);
    let last_name = line("last_name", &data.last_name, 100);
    let company = line("company", &data.company, 200);
    let street = line("street", &data.street, 200);
    let postal_code = line("postal_code", &data.postal_code, 12);
    let city = line("city", &data.city, 100);
    let notes = data.notes.trim().to_string();
    if let Err(msg) = check_plain_text(&notes, 5000) {
        errors.push(FieldError::new("notes", msg));
    }
    match data.kind {
        ContactKind::Person if first_name.is_empty() && last_name.is_empty() => {
            errors.push(FieldError::new("last_name", Msg::ErrPersonNameRequired));
        }
        ContactKind::Company if company.is_empty() => {
            errors.push(FieldError::new("company", Msg::ErrRequired));
        }
        _ => {}
    }
    let phones = channels(&data.phones, "phones", &mut errors, |v| {
        Phone::parse(v).map(|p| p.as_str().to_string())
    });
    let emails = channels(&data.emails, "emails", &mut errors, |v| {
        Email::parse(v).map(|e| e.as_str().to_string())
    });
    let pesel = optional(&data.pesel, "pesel", &mut errors, Pesel::parse);
    let nip = optional(&data.nip, "nip", &mut errors, Nip::parse);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidContact {
        kind: data.kind,
        first_name,
        last_name,
        company,
        phones,
        emails,
        street,
        postal_code,
        city,
        pesel,
        nip,
        notes,
    })
}

/// Empty rows are dropped; each value is normalised; the same value twice is refused.
/// Field names are `phones.0`, `emails.2`, ... by the row's position in the form.
fn channels(
    rows: &[Channel],
    list: &str,
    errors: &mut Vec<FieldError>,
    parse: impl Fn(&str) -> Result<String, Msg>,
) -> Vec<Channel> {
    let mut out: Vec<Channel> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.value.trim().is_empty() {
            continue;
        }
        let field = format!("{list}.{i}");
        if out.len() == MAX_CHANNELS {
            errors.push(FieldError::new(&field, Msg::ErrTooManyChannels));
            continue;
        }
        match parse(&row.value) {
            Ok(value) if out.iter().any(|c| c.value == value) => {
                errors.push(FieldError::new(&field, Msg::ErrDuplicateValue));
            }
            Ok(value) => out.push(Channel {
                value,
                ..row.clone()
            }),
            Err(msg) => errors.push(FieldError::new(&field, msg)),
        }
    }
    out
}

fn optional<T>(
    raw: &str,
    field: &str,
    errors: &mut Vec<FieldError>,
    parse: impl Fn(&str) -> Result<T, Msg>,
) -> Option<T> {
    if raw.trim().is_empty() {
        return None;
    }
    parse(raw)
        .map_err(|msg| errors.push(FieldError::new(field, msg)))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> ContactData {
        ContactData {
            first_name: " Jan ".into(),
            last_name: "Kowalski".into(),
            phones: vec![Channel {
                value: "600 100 200".into(),
                for_call: true,
                ..Channel::default()
            }],
            emails: vec![Channel {
                value: "Jan.Kowalski@Example.PL".into(),
                for_email: true,
                ..Channel::default()
            }],
            pesel: "44051401359".into(),
            ..ContactData::default()
        }
    }

    #[test]
    fn values_are_normalised() {
        let valid = validate(&person()).unwrap();
        assert_eq!(valid.first_name, "Jan");
        assert_eq!(valid.phones[0].value, "+48600100200");
        assert!(valid.phones[0].for_call);
        assert_eq!(valid.emails[0].value, "jan.kowalski@example.pl");
        assert_eq!(valid.pesel.unwrap().as_str(), "44051401359");
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let mut data = person();
        data.phones.push(Channel {
            value: "12".into(),
            ..Channel::default()
        });
        data.emails[0].value = "nie-mail".into();
        data.pesel = "44051401358".into();
        data.nip = "123".into();
        let errors = validate(&data).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["phones.1", "emails.0", "pesel", "nip"]);
        assert_eq!(errors[0].msg, Msg::ErrPhoneInvalid);
        assert_eq!(errors[2].msg, Msg::ErrPeselInvalid);
    }

    #[test]
    fn a_name_or_a_company_is_required() {
        let errors = validate(&ContactData::default()).unwrap_err();
        assert_eq!(errors[0].field, "last_name");
        let company = ContactData {
            kind: ContactKind::Company,
            ..ContactData::default()
        };
        assert_eq!(validate(&company).unwrap_err()[0].field, "company");
    }

    #[test]
    fn empty_rows_are_dropped_and_duplicates_refused() {
        let mut data = person();
        data.phones.insert(0, Channel::default());
        data.phones.push(Channel {
            value: "+48 600-100-200".into(),
            ..Channel::default()
        });
        let errors = validate(&data).unwrap_err();
        assert_eq!(errors[0].field, "phones.2");
        assert_eq!(errors[0].msg, Msg::ErrDuplicateValue);
    }

    #[test]
    fn names_are_single_lines() {
        let mut data = person();
        data.last_name = "Kowal\nski".into();
        assert_eq!(validate(&data).unwrap_err()[0].field, "last_name");
    }
}
