//! Phone numbers in E.164 (`+48600123456`), Poland as the default region.

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

/// A phone number validated once and kept in E.164.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Phone(String);

const POLAND: &str = "48";

impl Phone {
    /// Accepts `+48 600 123 456`, `0048600123456`, `(600) 123-456` (nine digits: Poland)
    /// and other countries written with `+` or `00`. Separators (spaces, dashes, dots,
    /// slashes, brackets) are ignored.
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        let compact: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '-' | '.' | '/' | '(' | ')'))
            .collect();
        let (international, digits) = if let Some(rest) = compact.strip_prefix('+') {
            (true, rest)
        } else if let Some(rest) = compact.strip_prefix("00") {
            (true, rest)
        } else {
            (false, compact.as_str())
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Msg::ErrPhoneInvalid);
        }
        let e164 = if international {
            if let Some(national) = digits.strip_prefix(POLAND) {
                polish(national)?
            } else {
                // E.164: at most 15 digits; no country code starts with 0.
                if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
                    return Err(Msg::ErrPhoneInvalid);
                }
                format!("+{digits}")
            }
        } else {
            polish(digits)?
        };
        Ok(Self(e164))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The Polish numbering plan is closed: nine digits, never starting with 0.
fn polish(national: &str) -> Result<String, Msg> {
    if national.len() != 9 || national.starts_with('0') {
        return Err(Msg::ErrPhoneInvalid);
    }
    Ok(format!("+{POLAND}{national}"))
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn polish_numbers_in_their_usual_dress() {
        for raw in [
            "600123456",
            "600 123 456",
            "600-123-456",
            "+48 600 123 456",
            "0048600123456",
            "+48 (600) 123-456",
            " +48600123456 ",
        ] {
            assert_eq!(Phone::parse(raw).unwrap().as_str(), "+48600123456", "{raw}");
        }
        assert_eq!(
            Phone::parse("22 123 45 67").unwrap().as_str(),
            "+48221234567"
        );
    }

    #[test]
    fn foreign_numbers_and_refusals() {
        assert_eq!(
            Phone::parse("+49 30 1234567").unwrap().as_str(),
            "+49301234567"
        );
        assert_eq!(
            Phone::parse("0044 20 7946 0958").unwrap().as_str(),
            "+442079460958"
        );
        for raw in [
            "",
            "+",
            "12345",
            "60012345",
            "6001234567",
            "+48 60012345",
            "+48 0600123456",
            "abc",
            "600 123 45x",
            "+0123456789",
            "+1234567890123456",
        ] {
            assert_eq!(Phone::parse(raw), Err(Msg::ErrPhoneInvalid), "{raw:?}");
        }
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent(raw in "[+0-9 ()-]{0,20}") {
            if let Ok(phone) = Phone::parse(&raw) {
                prop_assert_eq!(Phone::parse(phone.as_str()), Ok(phone.clone()));
                prop_assert!(phone.as_str().starts_with('+'));
                prop_assert!(phone.as_str().len() <= 16);
            }
        }

        #[test]
        fn any_nine_digit_polish_number_is_accepted(n in 100_000_000u32..=999_999_999) {
            let phone = Phone::parse(&n.to_string()).unwrap();
            prop_assert_eq!(phone.as_str(), format!("+48{n}"));
        }
    }
}
