//! Repairing phone numbers as purchased and exported lists write them: "0048 601-234-567",
//! "(22) 628 12 34", "48601234567", "0 22 6281234". Pure: the libphonenumber check is
//! passed in, so the wizard's preview and the import apply the same rules.

use super::model::PhoneRepair;
use crate::domain::Phone;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repaired {
    /// The number in E.164; `changed` when it differs from what the file held.
    Valid { e164: String, changed: bool },
    /// Not a phone number even after repair; the original text, trimmed.
    Invalid { original: String },
}

const SEPARATORS: [char; 9] = [' ', '\u{a0}', '\t', '-', '.', '/', '(', ')', '\u{2013}'];

/// Repairs `raw` under the options; `check` answers whether an E.164 number exists in
/// its country's numbering plan (libphonenumber's metadata on the server).
pub fn repair(raw: &str, options: &PhoneRepair, check: &dyn Fn(&str) -> bool) -> Repaired {
    let original = raw.trim();
    let invalid = || Repaired::Invalid {
        original: original.to_string(),
    };
    let compact: String = if options.strip_separators {
        original
            .chars()
            .filter(|c| !SEPARATORS.contains(c))
            .collect()
    } else {
        original.to_string()
    };
    let country = options.default_country.trim_start_matches('+');
    let digits_of = |s: &str| -> Option<String> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.to_string())
    };
    let e164 = if let Some(rest) = compact.strip_prefix('+') {
        digits_of(rest).map(|d| format!("+{d}"))
    } else if let Some(rest) = compact
        .strip_prefix("00")
        .filter(|_| options.international_prefix)
    {
        digits_of(rest).map(|d| format!("+{d}"))
    } else if options.international_prefix
        && compact.starts_with(country)
        && compact.len() >= country.len() + 9
        && digits_of(&compact).is_some()
    {
        // "48601234567": the country code without its "+", a full national number after.
        Some(format!("+{compact}"))
    } else {
        let national = if options.leading_zero {
            compact.strip_prefix('0').unwrap_or(&compact)
        } else {
            compact.as_str()
        };
        digits_of(national).map(|d| format!("+{country}{d}"))
    };
    let Some(e164) = e164 else {
        return invalid();
    };
    if options.validate && !check(&e164) {
        return invalid();
    }
    match Phone::parse(&e164) {
        Ok(phone) => Repaired::Valid {
            changed: phone.as_str() != original,
            e164: phone.as_str().to_string(),
        },
        Err(_) => invalid(),
    }
}

/// libphonenumber's verdict: the number fits a range its country has assigned.
#[cfg(feature = "ssr")]
pub fn libphonenumber_check(e164: &str) -> bool {
    phonenumber::parse(None, e164)
        .map(|n| phonenumber::is_valid(&n))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_number(_: &str) -> bool {
        true
    }

    fn fixed(raw: &str) -> Repaired {
        repair(raw, &PhoneRepair::default(), &any_number)
    }

    fn valid(e164: &str) -> Repaired {
        Repaired::Valid {
            e164: e164.into(),
            changed: true,
        }
    }

    #[test]
    fn the_usual_polish_spellings_become_e164() {
        for raw in [
            "601 234 567",
            "601-234-567",
            "(601) 234 567",
            "0048 601 234 567",
            "0048601234567",
            "48601234567",
            "48 601 234 567",
            "+48 601.234.567",
            "0601234567",
        ] {
            assert_eq!(fixed(raw), valid("+48601234567"), "{raw}");
        }
        assert_eq!(fixed("0 22 628 12 34"), valid("+48226281234"));
        assert_eq!(
            fixed("+48601234567"),
            Repaired::Valid {
                e164: "+48601234567".into(),
                changed: false
            }
        );
    }

    #[test]
    fn each_repair_can_be_turned_off() {
        let off = |f: fn(&mut PhoneRepair)| {
            let mut o = PhoneRepair::default();
            f(&mut o);
            o
        };
        let no_strip = off(|o| o.strip_separators = false);
        assert!(matches!(
            repair("601 234 567", &no_strip, &any_number),
            Repaired::Invalid { .. }
        ));
        let no_prefix = off(|o| o.international_prefix = false);
        assert!(matches!(
            repair("0048601234567", &no_prefix, &any_number),
            Repaired::Invalid { .. }
        ));
        let no_zero = off(|o| o.leading_zero = false);
        assert!(matches!(
            repair("0601234567", &no_zero, &any_number),
            Repaired::Invalid { .. }
        ));
        let german = off(|o| o.default_country = "49".into());
        assert_eq!(
            repair("030 1234567", &german, &any_number),
            valid("+49301234567")
        );
    }

    #[test]
    fn the_numbering_plan_check_is_applied_when_asked() {
        let nothing = |_: &str| false;
        assert!(matches!(
            repair("601234567", &PhoneRepair::default(), &nothing),
            Repaired::Invalid { .. }
        ));
        let o = PhoneRepair {
            validate: false,
            ..PhoneRepair::default()
        };
        assert_eq!(repair("601234567", &o, &nothing), valid("+48601234567"));
    }

    #[test]
    fn rubbish_stays_rubbish_and_keeps_its_text() {
        for raw in ["brak", "12", "601 234 56x", "++48601234567", "0048"] {
            assert_eq!(
                fixed(raw),
                Repaired::Invalid {
                    original: raw.trim().into()
                },
                "{raw}"
            );
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn libphonenumber_knows_polish_ranges() {
        assert!(libphonenumber_check("+48601234567"));
        assert!(libphonenumber_check("+48226281234"));
        assert!(!libphonenumber_check("+48101234567"));
        assert!(libphonenumber_check("+442079460958"));
    }

    proptest! {
        #[test]
        fn repair_never_panics_and_valid_means_e164(raw in "\\PC{0,30}") {
            if let Repaired::Valid { e164, .. } = fixed(&raw) {
                prop_assert!(e164.starts_with('+'));
                prop_assert!(e164[1..].bytes().all(|b| b.is_ascii_digit()));
            }
        }

        #[test]
        fn any_polish_mobile_survives_any_dress(n in 500_000_000u64..899_999_999, dress in 0usize..4) {
            let s = n.to_string();
            let raw = match dress {
                0 => format!("{} {} {}", &s[..3], &s[3..6], &s[6..]),
                1 => format!("0048{s}"),
                2 => format!("48-{}-{}-{}", &s[..3], &s[3..6], &s[6..]),
                _ => format!("({}) {}", &s[..3], &s[3..]),
            };
            prop_assert_eq!(fixed(&raw), valid(&format!("+48{s}")));
        }
    }
}
