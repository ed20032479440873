//! A consent given on a web form and relayed by the form's server: the decision is
//! recorded on the statement version the form showed, and its evidence is a small JSON
//! document (the page's address, the person's IP address and browser, the statement as
//! shown, when it was submitted and who relayed it), sealed under the contact's key like
//! a recording.

use serde::{Deserialize, Serialize};

use super::model::Decision;
use crate::error::FieldError;
use crate::i18n::Msg;
use crate::ids::{ContactId, DefinitionId};

pub const MAX_URL_CHARS: usize = 2000;
pub const MAX_USER_AGENT_CHARS: usize = 512;
/// A relay may queue a submission for a while, not for months.
pub const MAX_RELAY_DELAY_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// Clocks differ; a submission this far in the future is still believed.
pub const MAX_CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;

/// A decision a person made on a web form, sent by the form's server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WebFormConsent {
    /// The contact (find or create it first with `contact_search` / `contact_save`).
    pub contact_id: ContactId,
    pub definition_id: DefinitionId,
    /// `granted` when the person ticked the box; `refused` or `withdrawn` when the form
    /// records those.
    pub decision: Decision,
    /// The version of the statement the form showed (`consent_definitions` gives the
    /// version in force); the decision is recorded on that version.
    pub statement_version: i64,
    /// The address of the page with the form (`http://` or `https://`).
    pub form_url: String,
    /// The person's IP address, as the form's server received it.
    pub client_ip: String,
    /// The person's browser, as it named itself.
    #[serde(default)]
    pub user_agent: Option<String>,
    /// When the person submitted the form, in milliseconds since 1970 (UTC); when the
    /// request arrives if left out. At most 30 days back.
    #[serde(default)]
    pub submitted_at: Option<i64>,
}

/// Checks everything a person could not have typed wrong but a relay could send wrong.
pub fn validate(form: &WebFormConsent, now_ms: i64) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let url = form.form_url.trim();
    let scheme_ok = ["http://", "https://"].iter().any(|s| {
        url.get(..s.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(s))
            && url.len() > s.len()
    });
    if !scheme_ok
        || url.chars().count() > MAX_URL_CHARS
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        errors.push(FieldError::new("form_url", Msg::ErrFormUrl));
    }
    if form.client_ip.trim().parse::<std::net::IpAddr>().is_err() {
        errors.push(FieldError::new("client_ip", Msg::ErrClientIp));
    }
    if let Some(agent) = &form.user_agent {
        if let Err(msg) = crate::domain::text::check_single_line(agent, MAX_USER_AGENT_CHARS) {
            errors.push(FieldError::new("user_agent", msg));
        }
    }
    if form.statement_version < 1 {
        errors.push(FieldError::new(
            "statement_version",
            Msg::ErrStatementVersion,
        ));
    }
    if let Some(at) = form.submitted_at {
        if at > now_ms.saturating_add(MAX_CLOCK_SKEW_MS)
            || at < now_ms.saturating_sub(MAX_RELAY_DELAY_MS)
        {
            errors.push(FieldError::new("submitted_at", Msg::ErrSubmittedAt));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// What the evidence document says besides the form's own fields.
#[cfg(feature = "ssr")]
pub struct Relay<'a> {
    pub definition: &'a str,
    pub statement: &'a str,
    /// The integration's account name.
    pub relayed_by: &'a str,
    /// The address the relay's request came from.
    pub relayed_from: &'a str,
    pub received_at_ms: i64,
}

/// The evidence file: a JSON document a data protection officer can read as it is.
#[cfg(feature = "ssr")]
pub fn evidence_document(form: &WebFormConsent, relay: &Relay<'_>) -> Vec<u8> {
    let iso = |ms: i64| crate::time_fmt::iso_utc(ms);
    let doc = serde_json::json!({
        "evidence": "web_form",
        "decision": form.decision.as_str(),
        "consent": relay.definition,
        "statement_version": form.statement_version,
        "statement": relay.statement,
        "form_url": form.form_url.trim(),
        "client_ip": form.client_ip.trim(),
        "user_agent": form.user_agent.as_deref().map(str::trim),
        "submitted_at": iso(form.submitted_at.unwrap_or(relay.received_at_ms)),
        "received_at": iso(relay.received_at_ms),
        "relayed_by": relay.relayed_by,
        "relayed_from": relay.relayed_from,
    });
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> WebFormConsent {
        WebFormConsent {
            contact_id: ContactId(7),
            definition_id: DefinitionId(3),
            decision: Decision::Granted,
            statement_version: 2,
            form_url: "https://sklep.example.pl/newsletter?utm=x".into(),
            client_ip: "2a01:110::1".into(),
            user_agent: Some("Mozilla/5.0 (Linux; Android 14)".into()),
            submitted_at: Some(1_000_000_000_000),
        }
    }

    fn fields(result: Result<(), Vec<FieldError>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_complete_form_passes() {
        assert_eq!(validate(&form(), 1_000_000_060_000), Ok(()));
    }

    #[test]
    fn each_bad_field_is_named() {
        let now = 1_000_000_000_000;
        for (url, ok) in [
            ("https://a.pl/f", true),
            ("HTTP://a.pl", true),
            ("https://", false),
            ("javascript:alert(1)", false),
            ("ftp://a.pl", false),
            ("https://a.pl/ f", false),
            ("https://a.pl/\u{7}", false),
        ] {
            let f = WebFormConsent {
                form_url: url.into(),
                ..form()
            };
            assert_eq!(validate(&f, now).is_ok(), ok, "{url}");
        }
        let bad = WebFormConsent {
            client_ip: "300.1.1.1".into(),
            user_agent: Some("a\nb".into()),
            statement_version: 0,
            submitted_at: Some(now + MAX_CLOCK_SKEW_MS + 1),
            ..form()
        };
        assert_eq!(
            fields(validate(&bad, now)),
            [
                "client_ip",
                "user_agent",
                "statement_version",
                "submitted_at"
            ]
        );
        let stale = WebFormConsent {
            submitted_at: Some(now - MAX_RELAY_DELAY_MS - 1),
            ..form()
        };
        assert_eq!(fields(validate(&stale, now)), ["submitted_at"]);
        let long = WebFormConsent {
            form_url: format!("https://a.pl/{}", "x".repeat(MAX_URL_CHARS)),
            ..form()
        };
        assert_eq!(fields(validate(&long, now)), ["form_url"]);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_evidence_names_the_page_the_address_and_the_statement() {
        let relay = Relay {
            definition: "Marketing e-mail",
            statement: "Zgadzam się na newsletter.",
            relayed_by: "Formularz WWW",
            relayed_from: "10.0.0.5",
            received_at_ms: 1_000_000_060_000,
        };
        let doc: serde_json::Value =
            serde_json::from_slice(&evidence_document(&form(), &relay)).unwrap();
        assert_eq!(doc["form_url"], "https://sklep.example.pl/newsletter?utm=x");
        assert_eq!(doc["client_ip"], "2a01:110::1");
        assert_eq!(doc["statement"], "Zgadzam się na newsletter.");
        assert_eq!(doc["statement_version"], 2);
        assert_eq!(doc["decision"], "granted");
        assert_eq!(doc["relayed_from"], "10.0.0.5");
        assert!(doc["submitted_at"]
            .as_str()
            .unwrap()
            .starts_with("2001-09-09"));
    }
}
