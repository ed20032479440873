//! Withdrawal as easy as granting: a link for the person, put into e-mails by the
//! mailing tool, that opens a page where one button withdraws that consent. The link
//! holds the contact and definition ids and a MAC under the instance's blind-index key,
//! so it cannot be forged or pointed at another person; it shows no personal data, so a
//! forwarded e-mail reveals nothing. Opening it changes nothing (mail scanners open
//! links); only the button does.

use serde::{Deserialize, Serialize};

use super::model::ConsentChannel;
#[cfg(feature = "ssr")]
use crate::ids::{ContactId, DefinitionId};

/// Where withdrawal links lead; the token follows.
pub const PAGE_PREFIX: &str = "/wycofanie-zgody/";

/// A withdrawal link for one contact and one consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WithdrawalLink {
    /// The path of the page (`/wycofanie-zgody/…`).
    pub path: String,
    /// The whole address, when Zgoda knows its public address (`ZGODA_PUBLIC_URL`);
    /// otherwise put that address before `path`.
    pub url: Option<String>,
}

/// What the page shows: the consent, never the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkPage {
    pub consent: String,
    pub statement: String,
    pub channel: ConsentChannel,
    /// Whether the consent is granted now (so there is something to withdraw).
    pub granted: bool,
}

/// The MAC's length in bytes (hex in the link): 128 bits.
#[cfg(feature = "ssr")]
const MAC_BYTES: usize = 16;

#[cfg(feature = "ssr")]
fn mac(index: &crate::vault::BlindIndex, contact: ContactId, definition: DefinitionId) -> Vec<u8> {
    let mut mac = index.token(
        crate::vault::TokenKind::WithdrawalLink,
        &format!("{contact}:{definition}"),
    );
    mac.truncate(MAC_BYTES);
    mac
}

/// The token of a link: `<contact>-<definition>-<mac>`.
#[cfg(feature = "ssr")]
pub fn token(
    index: &crate::vault::BlindIndex,
    contact: ContactId,
    definition: DefinitionId,
) -> String {
    format!(
        "{contact}-{definition}-{}",
        hex::encode(mac(index, contact, definition))
    )
}

/// The contact and definition of a genuine token; `None` for anything else.
#[cfg(feature = "ssr")]
pub fn verify(index: &crate::vault::BlindIndex, token: &str) -> Option<(ContactId, DefinitionId)> {
    if token.len() > 100 {
        return None;
    }
    let mut parts = token.split('-');
    let contact: ContactId = parts.next()?.parse().ok()?;
    let definition: DefinitionId = parts.next()?.parse().ok()?;
    let given = hex::decode(parts.next()?).ok()?;
    if parts.next().is_some() || given.len() != MAC_BYTES {
        return None;
    }
    let expected = mac(index, contact, definition);
    // Constant time: the comparison must not tell how much of a guess was right.
    let difference = expected
        .iter()
        .zip(&given)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    (difference == 0).then_some((contact, definition))
}

/// The evidence of a withdrawal by link: when, from which address and browser.
#[cfg(feature = "ssr")]
pub fn evidence_document(consent: &str, ip: &str, user_agent: Option<&str>, at_ms: i64) -> Vec<u8> {
    let doc = serde_json::json!({
        "evidence": "withdrawal_link",
        "decision": "withdrawn",
        "consent": consent,
        "client_ip": ip,
        "user_agent": user_agent,
        "at": crate::time_fmt::iso_utc(at_ms),
    });
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::vault::BlindIndex;

    fn index(byte: u8) -> BlindIndex {
        BlindIndex::new(crate::vault::keyring::Key32([byte; 32]))
    }

    #[test]
    fn a_link_opens_only_its_own_consent_of_its_own_contact() {
        let index = index(7);
        let t = token(&index, ContactId(42), DefinitionId(3));
        assert_eq!(verify(&index, &t), Some((ContactId(42), DefinitionId(3))));
        // Another contact or consent with the same MAC, another instance's key, a cut or
        // lengthened MAC, junk: nothing.
        let mac = t.rsplit('-').next().unwrap();
        assert_eq!(verify(&index, &format!("43-3-{mac}")), None);
        assert_eq!(verify(&index, &format!("42-4-{mac}")), None);
        assert_eq!(verify(&self::index(8), &t), None);
        assert_eq!(verify(&index, &t[..t.len() - 2]), None);
        assert_eq!(verify(&index, &format!("{t}00")), None);
        assert_eq!(verify(&index, &format!("{t}-1")), None);
        for junk in ["", "-", "42-3", "x-y-z", "42-3-zz", &"1".repeat(200)] {
            assert_eq!(verify(&index, junk), None, "{junk}");
        }
    }

    #[test]
    fn the_evidence_says_when_and_from_where() {
        let doc: serde_json::Value = serde_json::from_slice(&evidence_document(
            "Marketing e-mail",
            "203.0.113.9",
            Some("Thunderbird"),
            0,
        ))
        .unwrap();
        assert_eq!(doc["decision"], "withdrawn");
        assert_eq!(doc["client_ip"], "203.0.113.9");
        assert_eq!(doc["at"], "1970-01-01T00:00:00.000Z");
    }
}
