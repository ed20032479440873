use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::i18n::Msg;

/// The source every consultant's entry records unless another is picked (seeded by the
/// migration).
pub const CONSULTANT_SOURCE: i64 = 1;

plain_enum!(SourceKind {
    Consultant = "consultant" => SourceConsultant,
    WebForm = "web_form" => SourceWebForm,
    ImportFile = "import_file" => SourceImportFile,
    Purchased = "purchased" => SourcePurchased,
    Partner = "partner" => SourcePartner,
});

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataSource {
    pub id: i64,
    pub name: String,
    pub kind: SourceKind,
    /// For a purchased database: who sold it, when, and on what basis it was acquired.
    pub seller: String,
    pub acquired_on: String,
    pub acquisition_basis: String,
    pub active: bool,
}

/// A purchased database names its seller, the date and the basis of acquisition.
pub fn validate(s: &DataSource) -> Result<DataSource, Vec<FieldError>> {
    use crate::domain::text::check_single_line;
    let mut errors = Vec::new();
    let mut line = |field: &str, value: &str, max: usize, required: bool| {
        let value = value.trim().to_string();
        if let Err(msg) = check_single_line(&value, max) {
            errors.push(FieldError::new(field, msg));
        } else if required && value.is_empty() {
            errors.push(FieldError::new(field, Msg::ErrRequired));
        }
        value
    };
    let purchased = s.kind == SourceKind::Purchased;
    let name = line("name", &s.name, 200, true);
    let seller = line("seller", &s.seller, 200, purchased);
    let acquired_on = line("acquired_on", &s.acquired_on, 10, purchased);
    let acquisition_basis = line("acquisition_basis", &s.acquisition_basis, 500, purchased);
    if !acquired_on.is_empty() && !is_date(&acquired_on) {
        errors.push(FieldError::new("acquired_on", Msg::ErrDate));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(DataSource {
        name,
        seller,
        acquired_on,
        acquisition_basis,
        ..s.clone()
    })
}

/// `YYYY-MM-DD` with a plausible month and day.
pub fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    matches!(
        (num(y, 4), num(m, 2), num(d, 2)),
        (Some(1900..=2999), Some(1..=12), Some(1..=31))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_purchased_base_names_seller_date_and_basis() {
        let bought = DataSource {
            name: "Baza z targów".into(),
            kind: SourceKind::Purchased,
            ..DataSource::default()
        };
        let fields: Vec<String> = validate(&bought)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["seller", "acquired_on", "acquisition_basis"]);
        let complete = DataSource {
            seller: "Data Sp. z o.o.".into(),
            acquired_on: "2026-03-01".into(),
            acquisition_basis: "umowa sprzedaży z 1.03.2026, zgody marketingowe".into(),
            ..bought
        };
        assert!(validate(&complete).is_ok());
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("1.03.2026"));
    }
}
