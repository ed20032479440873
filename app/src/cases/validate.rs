//! A case checked as a whole before anything is written.

use crate::domain::text::{check_plain_text, check_single_line};
use crate::error::FieldError;
use crate::i18n::Msg;

use super::model::CaseInput;

/// Trims the texts and names every field that is wrong.
pub fn validate(input: &CaseInput) -> Result<CaseInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let subject = input.subject.trim().to_string();
    if subject.is_empty() {
        errors.push(FieldError::new("subject", Msg::ErrRequired));
    } else if let Err(msg) = check_single_line(&subject, 200) {
        errors.push(FieldError::new("subject", msg));
    }
    let description = input.description.trim().to_string();
    if let Err(msg) = check_plain_text(&description, 10_000) {
        errors.push(FieldError::new("description", msg));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CaseInput {
        subject,
        description,
        ..input.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_is_required_and_single_line() {
        let errors = validate(&CaseInput::default()).unwrap_err();
        assert_eq!(errors[0].field, "subject");
        let input = CaseInput {
            subject: "Reklamacja\nlinia".into(),
            ..CaseInput::default()
        };
        assert_eq!(
            validate(&input).unwrap_err()[0].msg,
            Msg::ErrInvalidCharacters
        );
        let ok = CaseInput {
            subject: "  Reklamacja  ".into(),
            description: "Opis\nw dwóch liniach".into(),
            ..CaseInput::default()
        };
        assert_eq!(validate(&ok).unwrap().subject, "Reklamacja");
    }
}
