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
        /// The legal bases of the fields disclosed (Art. 6(1) points, as stored).
        #[serde(default)]
        legal_basis: String,
        /// How many people the disclosure covered.
        #[serde(default)]
        covered: i64,
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
    /// An objection under Art. 21(1) to a purpose (its consent definition's name).
    ObjectionRecorded {
        purpose: String,
    },
    ObjectionLifted {
        purpose: String,
        ground: crate::consents::model::ObjectionLift,
    },
    /// A copy of the person's own data was handed out (`zip` or `json`).
    DataExported {
        form: String,
    },
}

/// What an activity says: its kind, and the detail in words, in `lang`. The card's tab
/// and the person's copy read the same words.
pub fn describe_activity(detail: &ActivityDetail, lang: crate::i18n::Lang) -> (Msg, String) {
    let labels = |fields: &[String]| {
        fields
            .iter()
            .map(|f| field_label(f).text(lang))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match detail {
        ActivityDetail::FieldsChanged { fields } => (Msg::ActivityFields, labels(fields)),
        ActivityDetail::Consent {
            name,
            decision,
            method,
        } => (
            Msg::ActivityConsent,
            format!(
                "{name}: {} ({})",
                decision.label().text(lang),
                method.label().text(lang)
            ),
        ),
        ActivityDetail::Communication {
            channel,
            purpose,
            blocked,
        } => (
            Msg::ActivityCommunication,
            format!(
                "{}, {}{}",
                channel.label().text(lang),
                purpose.label().text(lang),
                blocked
                    .map(|r| format!(
                        " — {} {}",
                        Msg::ContactBlocked.text(lang),
                        r.label().text(lang)
                    ))
                    .unwrap_or_default()
            ),
        ),
        ActivityDetail::Disclosure {
            recipient,
            fields,
            purpose,
            legal_basis,
            ..
        } => {
            let bases = legal_basis
                .split(',')
                .filter_map(crate::consents::model::LegalBasis::parse)
                .map(|b| b.label().text(lang))
                .collect::<Vec<_>>()
                .join(", ");
            let mut notes: Vec<String> = Vec::new();
            if !purpose.is_empty() {
                notes.push(purpose.clone());
            }
            if !bases.is_empty() {
                notes.push(format!("{}: {bases}", Msg::SubjectDocLegalBasis.text(lang)));
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join("; "))
            };
            (
                Msg::ActivityDisclosure,
                format!("{recipient}: {}{notes}", labels(fields)),
            )
        }
        ActivityDetail::ErasureRequested { ground } => (
            Msg::ActivityErasureRequested,
            ground.label().text(lang).to_string(),
        ),
        ActivityDetail::ErasureDecided { state } => (
            Msg::ActivityErasureDecided,
            state.label().text(lang).to_string(),
        ),
        ActivityDetail::Restricted { ground } => (
            Msg::ActivityRestricted,
            ground.label().text(lang).to_string(),
        ),
        ActivityDetail::RestrictionLifted => (Msg::ActivityRestrictionLifted, String::new()),
        ActivityDetail::ObjectionRecorded { purpose } => {
            (Msg::ActivityObjectionRecorded, purpose.clone())
        }
        ActivityDetail::ObjectionLifted { purpose, ground } => (
            Msg::ActivityObjectionLifted,
            format!("{purpose}: {}", ground.label().text(lang)),
        ),
        ActivityDetail::DataExported { form } => (Msg::ActivityDataExported, form.to_uppercase()),
    }
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
