use crate::ids::SourceId;
use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::i18n::Msg;
use crate::time_fmt::is_date;

/// The source every consultant's entry records unless another is picked (seeded by the
/// migration).
pub const CONSULTANT_SOURCE: SourceId = SourceId(1);

plain_enum!(SourceKind {
    Consultant = "consultant" => SourceConsultant,
    WebForm = "web_form" => SourceWebForm,
    ImportFile = "import_file" => SourceImportFile,
    Purchased = "purchased" => SourcePurchased,
    Partner = "partner" => SourcePartner,
});

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DataSource {
    pub id: SourceId,
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
    let mut checks = crate::domain::text::TextChecks::default();
    let purchased = s.kind == SourceKind::Purchased;
    let name = checks.line("name", &s.name, 200, true);
    let seller = checks.line("seller", &s.seller, 200, purchased);
    let acquired_on = checks.line("acquired_on", &s.acquired_on, 10, purchased);
    let acquisition_basis = checks.line("acquisition_basis", &s.acquisition_basis, 500, purchased);
    let mut errors = checks.errors;
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
