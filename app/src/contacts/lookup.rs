//! What the consultant typed into the search box, understood: an e-mail address, a
//! number (phone, PESEL or NIP) or words of a name. Each becomes blind-index tokens.

use crate::domain::{Email, Nip, Pesel, Phone};
use crate::i18n::Msg;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Nothing typed: the newest contacts.
    Latest,
    Email(String),
    /// A number may be a phone, a PESEL or a NIP at once; any of them matches.
    Number {
        phone: Option<String>,
        pesel: Option<String>,
        nip: Option<String>,
    },
    /// Every word must be a whole word of the contact's name.
    Words(Vec<String>),
}

pub const MAX_QUERY_CHARS: usize = 200;

pub fn classify(raw: &str) -> Result<Lookup, Msg> {
    let q = raw.trim();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(Msg::ErrTooLong);
    }
    if q.is_empty() {
        return Ok(Lookup::Latest);
    }
    if q.contains('@') {
        return Email::parse(q)
            .map(|e| Lookup::Email(e.as_str().to_string()))
            .map_err(|_| Msg::ErrEmailInvalid);
    }
    let numeric = q
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
        || q.get(..2).zip(q.get(2..)).is_some_and(|(prefix, rest)| {
            prefix.eq_ignore_ascii_case("pl")
                && !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        });
    if numeric && q.chars().any(|c| c.is_ascii_digit()) {
        let phone = Phone::parse(q).ok().map(|p| p.as_str().to_string());
        let pesel = Pesel::parse(q).ok().map(|p| p.as_str().to_string());
        let nip = Nip::parse(q).ok().map(|n| n.as_str().to_string());
        if phone.is_none() && pesel.is_none() && nip.is_none() {
            return Err(Msg::ErrSearchNumber);
        }
        return Ok(Lookup::Number { phone, pesel, nip });
    }
    let words = crate::domain::words::name_words(q);
    if words.is_empty() {
        return Ok(Lookup::Latest);
    }
    Ok(Lookup::Words(words))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_typed_is_understood() {
        assert_eq!(classify("  "), Ok(Lookup::Latest));
        assert_eq!(
            classify("Jan.Kowalski@Example.pl"),
            Ok(Lookup::Email("jan.kowalski@example.pl".into()))
        );
        assert_eq!(
            classify("600 100 200"),
            Ok(Lookup::Number {
                phone: Some("+48600100200".into()),
                pesel: None,
                nip: None
            })
        );
        assert!(matches!(
            classify("44051401359"),
            Ok(Lookup::Number { pesel: Some(_), .. })
        ));
        assert!(matches!(
            classify("PL 526-000-12-46"),
            Ok(Lookup::Number { nip: Some(_), .. })
        ));
        assert_eq!(
            classify("Łucja Nowak"),
            Ok(Lookup::Words(vec!["lucja".into(), "nowak".into()]))
        );
        assert_eq!(classify("12"), Err(Msg::ErrSearchNumber));
        assert_eq!(classify("a@"), Err(Msg::ErrEmailInvalid));
    }
}
