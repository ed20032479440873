//! The password policy: pure rules shared by the browser (hints) and the server (the
//! decision). What holds whatever the settings: at most 1024 characters (so at least 64
//! are always accepted), not a shipped common password, not a recent password (checked
//! on the server against stored hashes).

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

pub const MAX_PASSWORD_CHARS: usize = 1024;
/// How many former passwords a new one may not repeat (besides the current one).
pub const HISTORY_DEPTH: i64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// The specification's rules: 8+ characters, mixed case, a digit or special, 30 days.
    Spec,
    /// OWASP ASVS / NIST SP 800-63B: 12+ characters, no composition rules, no expiry.
    AsvsNist,
    Custom,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub preset: Preset,
    pub min_length: u32,
    pub require_lower: bool,
    pub require_upper: bool,
    pub require_digit_or_special: bool,
    /// Days after which a password must be changed; 0 means never.
    pub max_age_days: u32,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self::spec()
    }
}

impl PasswordPolicy {
    pub fn spec() -> Self {
        Self {
            preset: Preset::Spec,
            min_length: 8,
            require_lower: true,
            require_upper: true,
            require_digit_or_special: true,
            max_age_days: 30,
        }
    }

    pub fn asvs_nist() -> Self {
        Self {
            preset: Preset::AsvsNist,
            min_length: 12,
            require_lower: false,
            require_upper: false,
            require_digit_or_special: false,
            max_age_days: 0,
        }
    }

    /// Settings an administrator may choose: a minimum between 8 and 128, an expiry up to
    /// a year. Weaker minimums are refused so the policy cannot be switched off.
    pub fn validate_settings(&self) -> Result<(), Msg> {
        if !(8..=128).contains(&self.min_length) {
            return Err(Msg::ErrPolicyMinLength);
        }
        if self.max_age_days > 365 {
            return Err(Msg::ErrPolicyMaxAge);
        }
        Ok(())
    }

    /// When a password set at `changed_at` (UTC ms) expires, if it does.
    pub fn expires_at(&self, changed_at: i64) -> Option<i64> {
        (self.max_age_days > 0).then(|| changed_at + i64::from(self.max_age_days) * 86_400_000)
    }

    /// Every rule the candidate breaks; empty means acceptable (history aside).
    pub fn check(&self, candidate: &str) -> Vec<Msg> {
        let mut broken = Vec::new();
        let chars = candidate.chars().count();
        if chars < self.min_length as usize {
            broken.push(Msg::ErrPasswordTooShort);
        }
        if chars > MAX_PASSWORD_CHARS {
            broken.push(Msg::ErrPasswordTooLong);
        }
        if self.require_lower && !candidate.chars().any(char::is_lowercase) {
            broken.push(Msg::ErrPasswordNeedsLower);
        }
        if self.require_upper && !candidate.chars().any(char::is_uppercase) {
            broken.push(Msg::ErrPasswordNeedsUpper);
        }
        if self.require_digit_or_special
            && !candidate
                .chars()
                .any(|c| !c.is_alphabetic() && !c.is_whitespace())
        {
            broken.push(Msg::ErrPasswordNeedsDigitOrSpecial);
        }
        if is_common(candidate) {
            broken.push(Msg::ErrPasswordCommon);
        }
        broken
    }
}

const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Compared case-insensitively and ignoring a trailing run of digits and punctuation, so
/// "Haslo123!" counts as the common "haslo".
pub fn is_common(candidate: &str) -> bool {
    let lower = candidate.trim().to_lowercase();
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|common| common == lower || (!stem.is_empty() && common == stem))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spec_policy_rules() {
        let p = PasswordPolicy::spec();
        assert!(p.check("Kot-w-butach7").is_empty());
        assert!(p.check("Abc1").contains(&Msg::ErrPasswordTooShort));
        assert!(p.check("abcdefgh1").contains(&Msg::ErrPasswordNeedsUpper));
        assert!(p.check("ABCDEFGH1").contains(&Msg::ErrPasswordNeedsLower));
        assert!(p
            .check("Abcdefghij")
            .contains(&Msg::ErrPasswordNeedsDigitOrSpecial));
        assert!(
            p.check("Zażółć-gęślą").is_empty(),
            "Polish letters count as letters"
        );
    }

    #[test]
    fn common_passwords_are_refused_in_any_dress() {
        let p = PasswordPolicy::spec();
        assert!(p.check("Haslo123!").contains(&Msg::ErrPasswordCommon));
        assert!(p.check("Qwerty123").contains(&Msg::ErrPasswordCommon));
        assert!(p.check("Password1").contains(&Msg::ErrPasswordCommon));
        assert!(!is_common("Kot-w-butach7"));
    }

    #[test]
    fn nist_preset_has_length_only_and_no_expiry() {
        let p = PasswordPolicy::asvs_nist();
        assert!(p.check("correct horse battery").is_empty());
        assert!(p.check("shortpass").contains(&Msg::ErrPasswordTooShort));
        assert_eq!(p.expires_at(1_000), None);
        assert_eq!(PasswordPolicy::spec().expires_at(0), Some(30 * 86_400_000));
    }

    #[test]
    fn settings_cannot_switch_the_policy_off() {
        let mut p = PasswordPolicy::spec();
        p.min_length = 4;
        assert_eq!(p.validate_settings(), Err(Msg::ErrPolicyMinLength));
        p.min_length = 10;
        p.max_age_days = 400;
        assert_eq!(p.validate_settings(), Err(Msg::ErrPolicyMaxAge));
    }

    proptest! {
        #[test]
        fn long_passwords_up_to_the_limit_are_accepted(len in 64usize..=MAX_PASSWORD_CHARS) {
            let candidate: String = "Ab1-".chars().cycle().take(len).collect();
            prop_assert!(PasswordPolicy::spec().check(&candidate).is_empty());
        }

        #[test]
        fn check_never_panics(s in "\\PC{0,80}") {
            let _ = PasswordPolicy::spec().check(&s);
            let _ = PasswordPolicy::asvs_nist().check(&s);
        }
    }
}
