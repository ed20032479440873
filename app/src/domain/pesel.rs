//! PESEL, the Polish national identification number: 11 digits encoding the date of
//! birth and sex, with a check digit.

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Pesel(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Female,
    Male,
}

const WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

impl Pesel {
    /// Accepts 11 digits (surrounding spaces ignored) whose check digit and date of birth
    /// are valid.
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        let value = raw.trim();
        let digits = digits(value).ok_or(Msg::ErrPeselInvalid)?;
        if digits.len() != 11 || check_digit(&digits) != digits[10] || birth_date(&digits).is_none()
        {
            return Err(Msg::ErrPeselInvalid);
        }
        Ok(Self(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// (year, month, day)
    pub fn birth_date(&self) -> (i32, u32, u32) {
        birth_date(&digits(&self.0).expect("validated")).expect("validated")
    }

    pub fn sex(&self) -> Sex {
        if (self.0.as_bytes()[9] - b'0').is_multiple_of(2) {
            Sex::Female
        } else {
            Sex::Male
        }
    }
}

fn digits(s: &str) -> Option<Vec<u32>> {
    s.chars().map(|c| c.to_digit(10)).collect()
}

fn check_digit(d: &[u32]) -> u32 {
    let sum: u32 = WEIGHTS.iter().zip(d).map(|(w, x)| w * x).sum();
    (10 - sum % 10) % 10
}

/// The month carries the century: +80 for the 1800s, +0 the 1900s, +20 the 2000s,
/// +40 the 2100s, +60 the 2200s.
fn birth_date(d: &[u32]) -> Option<(i32, u32, u32)> {
    let yy = (d[0] * 10 + d[1]) as i32;
    let mm = d[2] * 10 + d[3];
    let day = d[4] * 10 + d[5];
    let (century, month) = match mm {
        81..=92 => (1800, mm - 80),
        1..=12 => (1900, mm),
        21..=32 => (2000, mm - 20),
        41..=52 => (2100, mm - 40),
        61..=72 => (2200, mm - 60),
        _ => return None,
    };
    let year = century + yy;
    (day >= 1 && day <= days_in_month(year, month)).then_some((year, month, day))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Builds a valid PESEL from its first ten digits (tests and demo data).
pub fn with_check_digit(first_ten: &str) -> String {
    let d = digits(first_ten).expect("digits");
    format!("{first_ten}{}", check_digit(&d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_numbers() {
        let p = Pesel::parse("44051401359").unwrap();
        assert_eq!(p.birth_date(), (1944, 5, 14));
        assert_eq!(p.sex(), Sex::Male);
        let p = Pesel::parse(&with_check_digit("0422290122")).unwrap();
        assert_eq!(p.birth_date(), (2004, 2, 29));
        assert_eq!(p.sex(), Sex::Female);
    }

    #[test]
    fn refusals() {
        for raw in [
            "",
            "4405140135",
            "440514013599",
            "44051401358",
            "4405140135a",
            "44130101234",
            "02223001232",
        ] {
            assert_eq!(Pesel::parse(raw), Err(Msg::ErrPeselInvalid), "{raw:?}");
        }
        // 29 February exists only in leap years.
        assert!(Pesel::parse(&with_check_digit("0102290123")).is_err());
        assert!(Pesel::parse(&with_check_digit("0022290123")).is_ok());
    }

    proptest! {
        #[test]
        fn every_single_digit_error_is_caught(
            yy in 0u32..100, mm in 1u32..=12, dd in 1u32..=28, serial in 0u32..10_000,
            pos in 0usize..11, delta in 1u32..10,
        ) {
            let valid = with_check_digit(&format!("{yy:02}{:02}{dd:02}{serial:04}", mm + 20));
            prop_assert!(Pesel::parse(&valid).is_ok());
            let mut bytes = valid.into_bytes();
            bytes[pos] = b'0' + ((bytes[pos] - b'0') as u32 + delta) as u8 % 10;
            let typo = String::from_utf8(bytes).unwrap();
            prop_assert!(Pesel::parse(&typo).is_err(), "{} accepted", typo);
        }
    }
}
