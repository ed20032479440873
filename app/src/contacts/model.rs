//! What travels between the browser, integrators and the server about contacts.

use crate::ids::{ContactId, SourceId};
use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

plain_enum!(ContactKind {
    Person = "person",
    Company = "company",
});

plain_enum!(
    /// The lifecycle of a contact's personal data; plain in the database, so queues and
    /// reports need no decryption.
    ContactState {
        Active = "active" => ContactStateActive,
        ErasurePending = "erasure_pending" => ContactStateErasurePending,
        Erased = "erased" => ContactStateErased,
        Restricted = "restricted" => ContactStateRestricted,
    }
);

/// A phone number or an e-mail address with the channels it serves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "ChannelWire")]
pub struct Channel {
    /// Absent for a value added in this edit.
    pub id: Option<i64>,
    pub value: String,
    pub for_call: bool,
    pub for_sms: bool,
    pub for_email: bool,
}

/// A channel as it arrives. A flag left out of a *new* number or address serves its
/// channel: an integrator sending one means it to be used. On an existing one (with its
/// `id`) every flag must be sent, so an edit cannot switch on a channel a consultant
/// switched off at the person's request. The form always sends all three; a phone's
/// `for_email` and an address's `for_call`/`for_sms` mean nothing and are not stored.
#[derive(Deserialize, schemars::JsonSchema)]
struct ChannelWire {
    #[serde(default)]
    id: Option<i64>,
    value: String,
    for_call: Option<bool>,
    for_sms: Option<bool>,
    for_email: Option<bool>,
}

impl TryFrom<ChannelWire> for Channel {
    type Error = &'static str;

    fn try_from(w: ChannelWire) -> Result<Self, Self::Error> {
        let flags = [w.for_call, w.for_sms, w.for_email];
        if w.id.is_some() && flags.iter().any(Option::is_none) {
            return Err("an existing channel needs for_call, for_sms and for_email");
        }
        Ok(Channel {
            id: w.id,
            value: w.value,
            for_call: w.for_call.unwrap_or(true),
            for_sms: w.for_sms.unwrap_or(true),
            for_email: w.for_email.unwrap_or(true),
        })
    }
}

/// A contact's personal data as people type and read it. Empty strings mean "none".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ContactData {
    pub kind: ContactKind,
    pub first_name: String,
    pub last_name: String,
    pub company: String,
    pub phones: Vec<Channel>,
    pub emails: Vec<Channel>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub pesel: String,
    pub nip: String,
    pub notes: String,
}

impl ContactData {
    /// The name a list shows: the person's name or the company's.
    pub fn display_name(&self) -> String {
        display_name(self.kind, &self.first_name, &self.last_name, &self.company)
    }
}

pub fn display_name(kind: ContactKind, first: &str, last: &str, company: &str) -> String {
    match kind {
        ContactKind::Person => format!("{} {}", first.trim(), last.trim())
            .trim()
            .to_string(),
        ContactKind::Company => company.trim().to_string(),
    }
}

/// A create (no `id`) or an edit of the version the consultant saw.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContactInput {
    #[serde(default)]
    pub id: Option<ContactId>,
    #[serde(default)]
    pub version: i64,
    pub data: ContactData,
    /// Where this data came from (the data-source register); a consultant by default.
    #[serde(default)]
    pub source_id: Option<SourceId>,
    /// Why the data changed, kept in the field history.
    #[serde(default)]
    pub reason: String,
}

/// The contact card: its data, decrypted, and the plain facts around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContactCard {
    pub id: ContactId,
    pub version: i64,
    pub state: ContactState,
    pub data: ContactData,
    /// The source the contact came from.
    pub source: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub cases: Vec<crate::cases::CaseRow>,
    /// The defined consents with this contact's decisions; empty when none is defined.
    pub consents: Vec<crate::consents::ConsentStatus>,
    /// An objection to direct marketing (Art. 21(2)) is on record.
    pub marketing_objection: bool,
    /// The latest request to erase the contact's personal data.
    pub erasure: Option<crate::erasure::ErasureStatus>,
    /// The restriction of processing in force (Art. 18), when the state is restricted.
    pub restriction: Option<crate::restriction::RestrictionStatus>,
}

/// One line of the contact list. `None` is a field that is empty or erased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContactRow {
    pub id: ContactId,
    pub state: ContactState,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub city: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContactPage {
    pub rows: Vec<ContactRow>,
    /// The cursor of the next page, when there is one.
    pub next_before: Option<i64>,
}

#[cfg(test)]
mod channel_wire_tests {
    use super::Channel;

    #[test]
    fn a_new_channel_without_flags_serves_them_and_an_existing_one_must_say() {
        let new: Channel = serde_json::from_str(r#"{"value": "ewa@example.pl"}"#).unwrap();
        assert!(new.for_email && new.for_call && new.for_sms);
        let off: Channel =
            serde_json::from_str(r#"{"value": "600100200", "for_sms": false}"#).unwrap();
        assert!(off.for_call && !off.for_sms);
        let edit = r#"{"id": 7, "value": "600100200", "for_call": true}"#;
        assert!(serde_json::from_str::<Channel>(edit).is_err());
        let full = r#"{"id": 7, "value": "600100200", "for_call": true, "for_sms": false, "for_email": false}"#;
        let kept: Channel = serde_json::from_str(full).unwrap();
        assert!(kept.for_call && !kept.for_sms);
        // What the server sends back reads back the same.
        assert_eq!(
            serde_json::from_str::<Channel>(&serde_json::to_string(&kept).unwrap()).unwrap(),
            kept
        );
    }
}
