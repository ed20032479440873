//! Cases (sprawy / zgłoszenia) as they travel between browser, integrators and server.

use crate::ids::{CaseId, ContactId, UserId};
use serde::{Deserialize, Serialize};

use crate::contacts::ContactCard;
use crate::i18n::Msg;

plain_enum!(CaseStatus {
    New = "new" => CaseStatusNew,
    InProgress = "in_progress" => CaseStatusInProgress,
    Closed = "closed" => CaseStatusClosed,
});

plain_enum!(CaseChannel {
    Phone = "phone" => ChannelPhone,
    Email = "email" => ChannelEmail,
    Sms = "sms" => ChannelSms,
    Chat = "chat" => ChannelChat,
    Web = "web" => ChannelWeb,
    Letter = "letter" => ChannelLetter,
    InPerson = "in_person" => ChannelInPerson,
});

/// A case as the contact card lists it. `None` is a value that is empty or erased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CaseRow {
    pub id: CaseId,
    pub subject: Option<String>,
    pub status: CaseStatus,
    pub channel: CaseChannel,
    pub assignee: Option<String>,
    pub updated_at: i64,
}

/// A create (no `id`) or an edit of the version the consultant saw.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct CaseInput {
    pub id: Option<CaseId>,
    pub version: i64,
    pub contact_id: ContactId,
    pub subject: String,
    pub description: String,
    pub status: CaseStatus,
    pub channel: CaseChannel,
    pub assigned_to: Option<UserId>,
}

/// The case card: the case and its contact's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CaseCard {
    pub case: CaseInput,
    pub created_at: i64,
    pub updated_at: i64,
    pub contact: ContactCard,
}

/// A user a case can be assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Assignee {
    pub id: UserId,
    pub name: String,
}
