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
///
/// Polish numbers, nearly every row of a Polish list, are checked against the same
/// metadata patterns directly: the library's parser costs far more than the check, and
/// each of its pattern lookups takes a process-wide lock and hashes the pattern's text.
/// Anything else, and any Polish number that is not plain digits, goes through the
/// parser. A property test holds both to the same verdicts.
#[cfg(feature = "ssr")]
pub fn libphonenumber_check(e164: &str) -> bool {
    if let Some(verdict) = e164
        .strip_prefix("+48")
        .and_then(|national| polish::plan()?.check(national))
    {
        return verdict;
    }
    parsed_check(e164)
}

/// The library's own way: parse, then validate.
#[cfg(feature = "ssr")]
pub fn parsed_check(e164: &str) -> bool {
    phonenumber::parse(None, e164)
        .map(|n| phonenumber::is_valid(&n))
        .unwrap_or(false)
}

/// Poland's numbering plan from libphonenumber's metadata, compiled once.
#[cfg(feature = "ssr")]
mod polish {
    use phonenumber::metadata::Descriptor;
    use std::sync::LazyLock;

    /// One of the plan's descriptors: the lengths it allows and its pattern, which the
    /// library matches from the first digit (`find` starting at 0: here `^(?:…)`).
    struct Pattern {
        lengths: Vec<u16>,
        regex: regex::Regex,
    }

    impl Pattern {
        fn of(d: &Descriptor) -> Option<Self> {
            Some(Self {
                lengths: d.possible_length().to_vec(),
                // Compiled as the library compiles its metadata: whitespace in the
                // patterns is layout, not part of the pattern.
                regex: regex::RegexBuilder::new(&format!("^(?:{})", d.national_number().as_str()))
                    .ignore_whitespace(true)
                    .build()
                    .ok()?,
            })
        }

        fn matches(&self, national: &str) -> bool {
            (self.lengths.is_empty() || self.lengths.contains(&(national.len() as u16)))
                && self.regex.is_match(national)
        }
    }

    pub struct Plan {
        general: Pattern,
        /// Every type the library counts as valid (premium rate, toll free, shared cost,
        /// VoIP, personal, pager, UAN, voicemail, fixed line, mobile).
        types: Vec<Pattern>,
    }

    impl Plan {
        /// The library's verdict for `+48<national>`, or `None` when only its parser can
        /// say (not plain digits, a leading zero, longer than any number).
        pub fn check(&self, national: &str) -> Option<bool> {
            let plain = !national.is_empty()
                && national.len() <= 15
                && !national.starts_with('0')
                && national.bytes().all(|b| b.is_ascii_digit());
            plain.then(|| {
                self.general.matches(national) && self.types.iter().any(|t| t.matches(national))
            })
        }
    }

    static PLAN: LazyLock<Option<Plan>> = LazyLock::new(|| {
        let meta = phonenumber::metadata::DATABASE.by_id("PL")?;
        let d = meta.descriptors();
        let types = [
            d.premium_rate(),
            d.toll_free(),
            d.shared_cost(),
            d.voip(),
            d.personal_number(),
            d.pager(),
            d.uan(),
            d.voicemail(),
            d.fixed_line(),
            d.mobile(),
        ]
        .into_iter()
        .flatten()
        .map(Pattern::of)
        .collect::<Option<Vec<_>>>()?;
        Some(Plan {
            general: Pattern::of(d.general())?,
            types,
        })
    });

    /// `None` if the metadata lacked Poland (then every number goes to the parser).
    pub fn plan() -> Option<&'static Plan> {
        PLAN.as_ref()
    }
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
        assert!(polish::plan().is_some(), "Poland is in the metadata");
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

    #[cfg(feature = "ssr")]
    #[test]
    fn the_polish_shortcut_agrees_on_every_two_digit_range() {
        let mut valid = 0;
        for prefix in 10..100 {
            for tail in ["0000000", "1234567", "9999999", "123456", "12345678"] {
                let e164 = format!("+48{prefix}{tail}");
                assert_eq!(libphonenumber_check(&e164), parsed_check(&e164), "{e164}");
                valid += usize::from(parsed_check(&e164));
            }
        }
        // Both verdicts occur: the comparison is not between two constant answers.
        assert!((100..400).contains(&valid), "{valid}");
    }

    #[cfg(feature = "ssr")]
    fn polish_number() -> impl Strategy<Value = String> {
        prop_oneof![
            // Anything at all after +48, mostly not a number.
            "[0-9]{0,16}",
            // Nine digits from the first digits that ranges begin with.
            ("[1-9]", "[0-9]{8}").prop_map(|(a, b)| format!("{a}{b}")),
            (
                "(45|5[0137]|6[069]|7[2389]|88|80[01]|70[01]|39|2[2-9]|1[2-8])",
                "[0-9]{5,9}"
            )
                .prop_map(|(a, b)| format!("{a}{b}")),
        ]
        .prop_map(|n| format!("+48{n}"))
    }

    #[cfg(feature = "ssr")]
    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn the_polish_shortcut_agrees_with_the_parser(e164 in polish_number()) {
            prop_assert_eq!(libphonenumber_check(&e164), parsed_check(&e164), "{}", e164);
        }
    }
}
