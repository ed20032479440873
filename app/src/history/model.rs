use serde::{Deserialize, Serialize};

use crate::consents::model::{BlockReason, ConsentChannel, Decision, Method, Purpose};
use crate::contacts::ContactData;
use crate::i18n::Msg;

/// The personal fields a contact's history follows, with their labels.
pub const FIELDS: &[(&str, Msg)] = &[
    ("first_name", Msg::FirstNameLabel),
    ("last_name", Msg::LastNameLabel),
    ("company", Msg::CompanyLabel),
    ("phones", Msg::PhonesLabel),
    ("emails", Msg::EmailsLabel),
    ("street", Msg::StreetLabel),
    ("postal_code", Msg::PostalCodeLabel),
    ("city", Msg::CityLabel),
    ("pesel", Msg::PeselLabel),
    ("nip", Msg::NipLabel),
    ("notes", Msg::NotesLabel),
];

pub fn field_label(field: &str) -> Msg {
    if field == "import" {
        return Msg::HistoryImported;
    }
    if field.starts_with("consent:") {
        return Msg::ExportConsentColumns;
    }
    if let Some(label) = crate::exports::model::plain_column_label(field) {
        return label;
    }
    FIELDS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, m)| *m)
        .unwrap_or(Msg::HistoryTitle)
}

/// Each field's value as the history keeps it: phones and e-mails as one list, each
/// with the channels it serves.
pub fn values_of(d: &ContactData) -> Vec<(&'static str, String)> {
    let list = |rows: &[crate::contacts::Channel]| {
        rows.iter()
            .map(|c| {
                let mut serves = Vec::new();
                if c.for_call {
                    serves.push("call");
                }
                if c.for_sms {
                    serves.push("sms");
                }
                if c.for_email {
                    serves.push("email");
                }
                format!("{} [{}]", c.value, serves.join(" "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    vec![
        ("first_name", d.first_name.clone()),
        ("last_name", d.last_name.clone()),
        ("company", d.company.clone()),
        ("phones", list(&d.phones)),
        ("emails", list(&d.emails)),
        ("street", d.street.clone()),
        ("postal_code", d.postal_code.clone()),
        ("city", d.city.clone()),
        ("pesel", d.pesel.clone()),
        ("nip", d.nip.clone()),
        ("notes", d.notes.clone()),
    ]
}

/// One change of one field. `None` is a value that was empty (or is erased).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FieldChange {
    pub id: i64,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub source: Option<String>,
    pub reason: Option<String>,
    pub changed_by: Option<String>,
    pub changed_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActivityDetail {
    FieldsChanged {
        fields: Vec<String>,
    },
    Consent {
        name: String,
        decision: Decision,
        method: Method,
    },
    Communication {
        channel: ConsentChannel,
        purpose: Purpose,
        blocked: Option<BlockReason>,
    },
    Disclosure {
        recipient: String,
        fields: Vec<String>,
        purpose: String,
    },
    ErasureRequested {
        ground: crate::erasure::model::Ground,
    },
    ErasureDecided {
        state: crate::erasure::RequestState,
    },
    Restricted {
        ground: crate::restriction::RestrictionGround,
    },
    /// Lifted once the person was told (Art. 18(3)).
    RestrictionLifted,
}

/// One entry of the contact's activities, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Activity {
    pub at: i64,
    pub who: Option<String>,
    pub detail: ActivityDetail,
}

/// Who opened the contact card: "who has seen my data".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Reader {
    pub name: String,
    /// The card, a case card, the history or evidence opened.
    pub reads: i64,
    /// Times the contact was shown in a page of search results.
    pub listed: i64,
    pub last_read_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContactTimeline {
    pub changes: Vec<FieldChange>,
    pub activities: Vec<Activity>,
    pub readers: Vec<Reader>,
}
