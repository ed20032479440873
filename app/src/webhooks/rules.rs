//! What an administrator may subscribe: a name, an http(s) address, at least one event.

use super::model::WebhookEvent;
use crate::error::FieldError;
use crate::i18n::Msg;

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_URL_CHARS: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebhook {
    pub name: String,
    pub url: String,
    pub events: Vec<WebhookEvent>,
}

/// `url` must name a host after `http://` or `https://` and hold no spaces; plain http
/// is allowed for receivers inside the contact center's network.
pub fn check(
    name: &str,
    url: &str,
    events: &[WebhookEvent],
) -> Result<NewWebhook, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", Msg::ErrRequired));
    } else if let Err(msg) = crate::domain::text::check_single_line(name, MAX_NAME_CHARS) {
        errors.push(FieldError::new("name", msg));
    }
    let url = url.trim();
    let host = ["https://", "http://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    });
    let host_ok = host.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !host.contains('@')
    });
    if !host_ok
        || url.chars().count() > MAX_URL_CHARS
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        errors.push(FieldError::new("url", Msg::ErrWebhookUrl));
    }
    if events.is_empty() {
        errors.push(FieldError::new("events", Msg::ErrWebhookEvents));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut events = events.to_vec();
    events.sort_by_key(|e| e.as_str());
    events.dedup();
    Ok(NewWebhook {
        name: name.to_string(),
        url: url.to_string(),
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(r: Result<NewWebhook, Vec<FieldError>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn an_address_needs_a_scheme_and_a_host_and_no_credentials() {
        let events = [WebhookEvent::ConsentWithdrawn];
        for (url, ok) in [
            ("https://dialer.example.pl/zgoda", true),
            ("http://10.0.0.7:8080/hook?x=1", true),
            ("HTTPS://Dialer.example.pl", true),
            ("https://", false),
            ("https:///path", false),
            ("ftp://dialer.example.pl", false),
            ("https://user:pass@dialer.example.pl", false),
            ("https://dialer.example.pl/a b", false),
            ("dialer.example.pl", false),
        ] {
            assert_eq!(check("Dialer", url, &events).is_ok(), ok, "{url}");
        }
    }

    #[test]
    fn a_name_and_an_event_are_required_and_events_are_kept_once() {
        assert_eq!(fields(check(" ", "https://a.pl", &[])), ["name", "events"]);
        let ok = check(
            "Dialer",
            "https://a.pl",
            &[
                WebhookEvent::ErasureApproved,
                WebhookEvent::ConsentWithdrawn,
                WebhookEvent::ErasureApproved,
            ],
        )
        .unwrap();
        assert_eq!(
            ok.events,
            [
                WebhookEvent::ConsentWithdrawn,
                WebhookEvent::ErasureApproved
            ]
        );
    }
}
