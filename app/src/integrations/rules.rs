//! What a new token may be: checked once, on the server, before anything is stored.

use ipnet::IpNet;

use super::model::DEFAULT_RATE_PER_SEC;
use crate::auth::access::{decide, endpoint_access, API};
use crate::auth::Role;
use crate::error::FieldError;
use crate::i18n::Msg;

const MAX_NAME_CHARS: usize = 100;
const MAX_DAYS: i64 = 3650;
const MAX_RATE: i64 = 10_000;

/// A token as the administrator asked for it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub name: String,
    pub role: Role,
    pub endpoints: Option<Vec<String>>,
    pub allowed_addresses: Option<Vec<IpNet>>,
    pub valid_days: Option<i64>,
    pub rate_per_sec: i64,
}

/// The form's fields as typed; every problem at once, beside its field.
pub fn check(
    name: &str,
    role: &str,
    endpoints: &str,
    allowed_addresses: &str,
    valid_days: &str,
    rate_per_sec: &str,
) -> Result<NewToken, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = name.trim().to_string();
    if name.is_empty() {
        errors.push(FieldError::new("name", Msg::ErrRequired));
    } else if let Err(msg) = crate::domain::text::check_single_line(&name, MAX_NAME_CHARS) {
        errors.push(FieldError::new("name", msg));
    }
    let role = Role::parse(role.trim());
    if role.is_none() {
        errors.push(FieldError::new("role", Msg::ErrBadRequest));
    }
    let words = |s: &str| -> Vec<String> {
        s.split([' ', ',', ';', '\n', '\r', '\t'])
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let endpoints = words(endpoints);
    if let Some(role) = role {
        let admitted = |e: &str| {
            API.contains(&e)
                && endpoint_access(e).is_some_and(|a| decide(a, Some((role, false))).is_none())
        };
        if endpoints.iter().any(|e| !admitted(e)) {
            errors.push(FieldError::new("endpoints", Msg::ErrTokenEndpoint));
        }
    }
    let mut nets = Vec::new();
    for word in words(allowed_addresses) {
        let net = word
            .parse::<IpNet>()
            .or_else(|_| word.parse::<std::net::IpAddr>().map(IpNet::from));
        match net {
            Ok(net) => nets.push(net),
            Err(_) => {
                errors.push(FieldError::new("allowed_addresses", Msg::ErrTokenAddress));
                break;
            }
        }
    }
    let number = |s: &str, field: &str, max: i64, msg: Msg, errors: &mut Vec<FieldError>| {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        match s.parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError::new(field, msg));
                None
            }
        }
    };
    let valid_days = number(
        valid_days,
        "valid_days",
        MAX_DAYS,
        Msg::ErrTokenDays,
        &mut errors,
    );
    let rate = number(
        rate_per_sec,
        "rate_per_sec",
        MAX_RATE,
        Msg::ErrTokenRate,
        &mut errors,
    );
    match role {
        Some(role) if errors.is_empty() => Ok(NewToken {
            name,
            role,
            endpoints: (!endpoints.is_empty()).then_some(endpoints),
            allowed_addresses: (!nets.is_empty()).then_some(nets),
            valid_days,
            rate_per_sec: rate.unwrap_or(DEFAULT_RATE_PER_SEC),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(r: Result<NewToken, Vec<FieldError>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.field)
            .collect()
    }

    #[test]
    fn a_plain_token_gets_the_defaults() {
        let t = check(" Dialer ", "consultant", "", "", "", "").unwrap();
        assert_eq!(t.name, "Dialer");
        assert_eq!((t.endpoints, t.allowed_addresses), (None, None));
        assert_eq!((t.valid_days, t.rate_per_sec), (None, DEFAULT_RATE_PER_SEC));
    }

    #[test]
    fn endpoints_must_be_integrator_endpoints_the_role_may_call() {
        let ok = check("CRM", "consultant", "can_contact, contact_get", "", "", "");
        assert_eq!(
            ok.unwrap().endpoints,
            Some(vec!["can_contact".to_string(), "contact_get".to_string()])
        );
        // Not an integrator endpoint at all, whatever the role.
        assert_eq!(
            fields(check("x", "administrator", "users_list", "", "", "")),
            ["endpoints"]
        );
        // An integrator endpoint the role may not call.
        assert_eq!(
            fields(check("x", "consultant", "disclosure_record", "", "", "")),
            ["endpoints"]
        );
    }

    #[test]
    fn addresses_days_and_rates_are_checked_together() {
        let t = check("x", "manager", "", "10.0.0.0/8 192.168.1.7", "30", "5").unwrap();
        let nets = t.allowed_addresses.unwrap();
        assert!(nets[0].contains(&"10.1.2.3".parse::<std::net::IpAddr>().unwrap()));
        assert!(nets[1].contains(&"192.168.1.7".parse::<std::net::IpAddr>().unwrap()));
        assert_eq!((t.valid_days, t.rate_per_sec), (Some(30), 5));
        assert_eq!(
            fields(check("", "boss", "", "10.0.0.300", "0", "-1")),
            [
                "name",
                "role",
                "allowed_addresses",
                "valid_days",
                "rate_per_sec"
            ]
        );
    }
}
