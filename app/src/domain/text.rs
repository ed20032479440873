//! Free text typed by people. PostgreSQL refuses NUL in text, and control characters have
//! no business in names or logins, so they are refused with a message rather than stored.

use crate::i18n::Msg;

/// Accepts text of at most `max_chars` characters with no control characters other than
/// tab and line breaks.
pub fn check_plain_text(value: &str, max_chars: usize) -> Result<(), Msg> {
    if value.chars().count() > max_chars {
        return Err(Msg::ErrTooLong);
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(Msg::ErrInvalidCharacters);
    }
    Ok(())
}

/// Like [`check_plain_text`], for values that fit one line (names, addresses).
pub fn check_single_line(value: &str, max_chars: usize) -> Result<(), Msg> {
    if value.contains(['\n', '\r', '\t']) {
        return Err(Msg::ErrInvalidCharacters);
    }
    check_plain_text(value, max_chars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn control_characters_and_length() {
        assert_eq!(check_plain_text("Zażółć gęślą jaźń", 100), Ok(()));
        assert_eq!(
            check_plain_text("a\u{0}b", 100),
            Err(Msg::ErrInvalidCharacters)
        );
        assert_eq!(
            check_plain_text("a\u{1b}[31m", 100),
            Err(Msg::ErrInvalidCharacters)
        );
        assert_eq!(check_plain_text("wiersz\ndrugi", 100), Ok(()));
        assert_eq!(check_plain_text("ąąą", 2), Err(Msg::ErrTooLong));
        assert_eq!(
            check_single_line("wiersz\ndrugi", 100),
            Err(Msg::ErrInvalidCharacters)
        );
        assert_eq!(check_single_line("ul. Długa 5/7", 100), Ok(()));
    }

    proptest! {
        #[test]
        fn accepted_text_has_no_nul(s in "\\PC{0,40}") {
            if check_plain_text(&s, 40).is_ok() {
                prop_assert!(!s.contains(char::from(0)));
            }
        }
    }
}
