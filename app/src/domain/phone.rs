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

    /// The number the way people read it: `+48 500 000 039`. The country code stands
    /// apart, the rest goes in groups of three (a lone last digit joins the group before
    /// it). Only for display: exports, the API and `tel:` links keep E.164.
    pub fn grouped(&self) -> String {
        let digits = &self.0[1..];
        let code_len = country_code_len(digits);
        let (code, national) = digits.split_at(code_len);
        let mut out = format!("+{code}");
        let bytes = national.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let left = bytes.len() - start;
            let take = if left == 4 { 4 } else { left.min(3) };
            out.push(' ');
            out.push_str(&national[start..start + take]);
            start += take;
        }
        out
    }

    /// A stored value for display: grouped when it is a valid number, as it is otherwise
    /// (an import may have kept something that is not one).
    pub fn display(stored: &str) -> String {
        Phone::parse(stored)
            .map(|p| p.grouped())
            .unwrap_or_else(|_| stored.to_string())
    }
}

/// The length of the ITU-T E.164 country code the digits start with: 1 and 7 are one
/// digit; zones 2 to 9 have a fixed set of two-digit codes; everything else takes three.
fn country_code_len(digits: &str) -> usize {
    const TWO_DIGIT: &[&str] = &[
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
        "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
        "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    if digits.starts_with('1') || digits.starts_with('7') {
        1
    } else if TWO_DIGIT.iter().any(|code| digits.starts_with(code)) {
        2
    } else {
        3
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

    #[test]
    fn grouped_the_way_people_read_them() {
        let cases = [
            ("500000039", "+48 500 000 039"),
            ("22 123 45 67", "+48 221 234 567"),
            ("+49 30 1234567", "+49 301 234 567"),
            ("0044 20 7946 0958", "+44 207 946 0958"),
            ("+1 212 555 0123", "+1 212 555 0123"),
            ("+420 601 123 456", "+420 601 123 456"),
            ("+380 44 123 4567", "+380 441 234 567"),
            ("+7 495 123 45 67", "+7 495 123 4567"),
            ("+353 1 234 5678", "+353 123 456 78"),
        ];
        for (raw, shown) in cases {
            assert_eq!(Phone::parse(raw).unwrap().grouped(), shown, "{raw}");
        }
        assert_eq!(Phone::display("+48600123456"), "+48 600 123 456");
        assert_eq!(Phone::display("not a phone"), "not a phone");
        assert_eq!(Phone::display(""), "");
    }

    proptest! {
        #[test]
        fn grouping_only_adds_spaces(raw in "\\+?[1-9][0-9]{7,14}") {
            if let Ok(phone) = Phone::parse(&raw) {
                let shown = phone.grouped();
                prop_assert_eq!(shown.replace(' ', ""), phone.as_str());
                prop_assert!(!shown.contains("  ") && !shown.ends_with(' '));
                // No group of one digit, none longer than four.
                for group in shown.split(' ').skip(1) {
                    prop_assert!((2..=4).contains(&group.len()), "{}", shown);
                }
                prop_assert_eq!(Phone::parse(&shown), Ok(phone.clone()));
            }
        }

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
