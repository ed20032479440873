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

/// Checks a form's text fields one by one, keeping one message per wrong field, in
/// the order the fields were checked.
#[derive(Debug, Default)]
pub struct TextChecks {
    pub errors: Vec<crate::error::FieldError>,
}

impl TextChecks {
    /// A one-line value, trimmed; `required` refuses it empty.
    pub fn line(&mut self, field: &str, value: &str, max: usize, required: bool) -> String {
        self.check(field, value, required, |v| check_single_line(v, max))
    }

    /// Text that may span lines, trimmed; `required` refuses it empty.
    pub fn text(&mut self, field: &str, value: &str, max: usize, required: bool) -> String {
        self.check(field, value, required, |v| check_plain_text(v, max))
    }

    pub fn push(&mut self, field: &str, msg: Msg) {
        self.errors.push(crate::error::FieldError::new(field, msg));
    }

    fn check(
        &mut self,
        field: &str,
        value: &str,
        required: bool,
        rule: impl Fn(&str) -> Result<(), Msg>,
    ) -> String {
        let value = value.trim().to_string();
        if let Err(msg) = rule(&value) {
            self.push(field, msg);
        } else if required && value.is_empty() {
            self.push(field, Msg::ErrRequired);
        }
        value
    }
}

/// Text made safe inside HTML, in an element or a quoted attribute: for the pages and
/// documents the server writes by hand (the API's page, a person's copy).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn markup_in_a_value_is_text() {
        assert_eq!(
            escape_html("<script>alert('x')</script> & \"Kowalska\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Kowalska&quot;"
        );
    }

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
