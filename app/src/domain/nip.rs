//! NIP, the Polish tax identification number: 10 digits with a check digit, often
//! written with dashes (`123-456-32-18`) or a `PL` prefix.

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Nip(String);

const WEIGHTS: [u32; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];

impl Nip {
    /// Keeps the ten digits only.
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        let trimmed = raw.trim();
        let trimmed = trimmed
            .strip_prefix("PL")
            .or_else(|| trimmed.strip_prefix("pl"))
            .unwrap_or(trimmed);
        let compact: String = trimmed
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        let digits: Vec<u32> = compact
            .chars()
            .map(|c| c.to_digit(10))
            .collect::<Option<_>>()
            .ok_or(Msg::ErrNipInvalid)?;
        if digits.len() != 10 {
            return Err(Msg::ErrNipInvalid);
        }
        let check = WEIGHTS.iter().zip(&digits).map(|(w, d)| w * d).sum::<u32>() % 11;
        if check == 10 || check != digits[9] {
            return Err(Msg::ErrNipInvalid);
        }
        Ok(Self(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn written_forms() {
        for raw in [
            "1234563218",
            "123-456-32-18",
            "123 456 32 18",
            "PL1234563218",
            " pl 123-45-63-218 ",
        ] {
            assert_eq!(Nip::parse(raw).unwrap().as_str(), "1234563218", "{raw:?}");
        }
        for raw in [
            "",
            "123456321",
            "1234563217",
            "12345632189",
            "123456321x",
            "DE1234563218",
        ] {
            assert_eq!(Nip::parse(raw), Err(Msg::ErrNipInvalid), "{raw:?}");
        }
    }

    proptest! {
        #[test]
        fn every_single_digit_error_is_caught(first in 100_000_000u32..=999_999_999, pos in 0usize..10, delta in 1u32..10) {
            let d: Vec<u32> = first.to_string().chars().map(|c| c.to_digit(10).unwrap()).collect();
            let check = WEIGHTS.iter().zip(&d).map(|(w, x)| w * x).sum::<u32>() % 11;
            prop_assume!(check != 10);
            let valid = format!("{first}{check}");
            prop_assert!(Nip::parse(&valid).is_ok());
            let mut bytes = valid.into_bytes();
            bytes[pos] = b'0' + ((bytes[pos] - b'0') as u32 + delta) as u8 % 10;
            let typo = String::from_utf8(bytes).unwrap();
            prop_assert!(Nip::parse(&typo).is_err(), "{} accepted", typo);
        }
    }
}
