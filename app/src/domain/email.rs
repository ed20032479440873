//! E-mail addresses, validated and normalised to lower case.

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// A pragmatic check of `local@domain`: what mail systems deliver in practice,
    /// not every form RFC 5322 allows (no quoted local parts, no IP literals).
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        let address = raw.trim().to_lowercase();
        if address.chars().count() > 254 {
            return Err(Msg::ErrEmailInvalid);
        }
        let (local, domain) = address.rsplit_once('@').ok_or(Msg::ErrEmailInvalid)?;
        if !valid_local(local) || !valid_domain(domain) {
            return Err(Msg::ErrEmailInvalid);
        }
        Ok(Self(address))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn valid_local(local: &str) -> bool {
    !local.is_empty()
        && local.chars().count() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars().count() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepted_and_normalised() {
        assert_eq!(
            Email::parse(" Jan.Kowalski@Example.PL ").unwrap().as_str(),
            "jan.kowalski@example.pl"
        );
        assert!(Email::parse("a+tag@sub.domena.com.pl").is_ok());
        assert!(Email::parse("zażółć@gęślą.pl").is_ok());
    }

    #[test]
    fn refused() {
        for raw in [
            "",
            "jan",
            "jan@",
            "@example.pl",
            "jan@example",
            "jan@@example.pl",
            "jan..k@example.pl",
            ".jan@example.pl",
            "jan@-example.pl",
            "jan@example.p1",
            "jan kowalski@example.pl",
            "jan@exa mple.pl",
        ] {
            assert_eq!(Email::parse(raw), Err(Msg::ErrEmailInvalid), "{raw:?}");
        }
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent(raw in "[a-zA-Z0-9.@_-]{0,30}") {
            if let Ok(email) = Email::parse(&raw) {
                prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
                prop_assert_eq!(email.as_str().matches('@').count(), 1);
            }
        }
    }
}
