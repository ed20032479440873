//! Rules for consent definitions, checked before anything is saved.

use crate::domain::text::TextChecks;
use crate::error::FieldError;
use crate::i18n::Msg;

use super::model::{ConsentChannel, Definition, LegalBasis};

pub fn validate(d: &Definition) -> Result<Definition, Vec<FieldError>> {
    let mut checks = TextChecks::default();
    let name = checks.line("name", &d.name, 200, true);
    let statement = checks.text("statement", &d.statement, 5000, true);
    let purpose = checks.text("purpose", &d.purpose, 1000, true);
    let balancing_note = checks.text(
        "balancing_note",
        &d.balancing_note,
        5000,
        d.legal_basis == LegalBasis::LegitimateInterest,
    );
    let mut errors = checks.errors;
    // Direct marketing by electronic means and calls needs prior consent, per channel.
    if d.marketing && d.channel == ConsentChannel::Any {
        errors.push(FieldError::new("channel", Msg::ErrMarketingOneChannel));
    }
    if d.marketing && d.legal_basis != LegalBasis::Consent {
        errors.push(FieldError::new(
            "legal_basis",
            Msg::ErrMarketingNeedsConsent,
        ));
    }
    // Nothing is granted for a purpose based on legitimate interest, so nothing can be
    // required of the consultant; the person may object instead.
    if d.required && d.legal_basis == LegalBasis::LegitimateInterest {
        errors.push(FieldError::new(
            "required",
            Msg::ErrRequiredLegitimateInterest,
        ));
    }
    // A consent to sharing is what a disclosure "on the basis of consent" looks for.
    if d.sharing && (d.marketing || d.legal_basis != LegalBasis::Consent) {
        errors.push(FieldError::new("sharing", Msg::ErrSharingNeedsConsent));
    }
    if !(0..=10_000).contains(&d.position) {
        errors.push(FieldError::new("position", Msg::ErrNotANumber));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Definition {
        name,
        statement,
        purpose,
        balancing_note,
        ..d.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marketing_email() -> Definition {
        Definition {
            name: "Marketing e-mail".into(),
            statement: "Wyrażam zgodę na otrzymywanie ofert e-mailem.".into(),
            purpose: "Oferty handlowe".into(),
            legal_basis: LegalBasis::Consent,
            channel: ConsentChannel::Email,
            marketing: true,
            active: true,
            ..Definition::default()
        }
    }

    #[test]
    fn marketing_needs_one_channel_and_consent() {
        assert!(validate(&marketing_email()).is_ok());
        let any = Definition {
            channel: ConsentChannel::Any,
            ..marketing_email()
        };
        assert_eq!(validate(&any).unwrap_err()[0].field, "channel");
        let contract = Definition {
            legal_basis: LegalBasis::Contract,
            ..marketing_email()
        };
        assert_eq!(validate(&contract).unwrap_err()[0].field, "legal_basis");
    }

    #[test]
    fn legitimate_interest_needs_its_balancing_test() {
        let d = Definition {
            legal_basis: LegalBasis::LegitimateInterest,
            marketing: false,
            ..marketing_email()
        };
        assert_eq!(validate(&d).unwrap_err()[0].field, "balancing_note");
        let noted = Definition {
            balancing_note: "Test równowagi: ...".into(),
            ..d
        };
        assert!(validate(&noted).is_ok());
        let required = Definition {
            required: true,
            ..noted
        };
        assert_eq!(validate(&required).unwrap_err()[0].field, "required");
    }

    #[test]
    fn a_sharing_consent_is_a_consent_and_not_marketing() {
        let sharing = Definition {
            name: "Udostępnianie".into(),
            marketing: false,
            sharing: true,
            channel: ConsentChannel::Any,
            ..marketing_email()
        };
        assert!(validate(&sharing).is_ok());
        let marketing = Definition {
            sharing: true,
            ..marketing_email()
        };
        assert_eq!(validate(&marketing).unwrap_err()[0].field, "sharing");
        let contract = Definition {
            legal_basis: LegalBasis::Contract,
            ..sharing
        };
        assert_eq!(validate(&contract).unwrap_err()[0].field, "sharing");
    }

    #[test]
    fn name_statement_and_purpose_are_required() {
        let errors = validate(&Definition::default()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "statement", "purpose"]);
    }
}
