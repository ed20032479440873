use crate::ids::{ContactId, ErasureRequestId, HoldId, UserId};
use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

// Art. 17(1)(a)–(f): why the data must go.
plain_enum!(Ground {
    NoLongerNeeded = "no_longer_needed" => GroundNoLongerNeeded,
    ConsentWithdrawn = "consent_withdrawn" => GroundConsentWithdrawn,
    Objection = "objection" => GroundObjection,
    Unlawful = "unlawful" => GroundUnlawful,
    LegalObligation = "legal_obligation" => GroundLegalObligation,
    Child = "child" => GroundChild,
});

plain_enum!(RequestState {
    Pending = "pending" => ErasurePending,
    Withdrawn = "withdrawn" => ErasureWithdrawn,
    Approved = "approved" => ErasureApproved,
    Refused = "refused" => ErasureRefused,
});

/// The latest erasure request of a contact, as its card shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ErasureStatus {
    pub id: ErasureRequestId,
    pub state: RequestState,
    pub ground: Ground,
    pub requested_by: Option<String>,
    /// Who asked, so the card offers "Cofnij" only to them and to managers (the server
    /// decides again in `erasure::rules::may_withdraw`).
    #[serde(default)]
    pub requested_by_id: Option<UserId>,
    pub requested_at: i64,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub refusal_reason: Option<String>,
}

/// A request the user made that a manager refused, or left pending with a longer
/// deadline: what the consultant may have to explain to the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AnsweredRequest {
    pub id: ErasureRequestId,
    pub contact_id: ContactId,
    pub state: RequestState,
    pub requested_at: i64,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub refusal_reason: Option<String>,
    pub extended_until: Option<i64>,
    pub extension_reason: Option<String>,
}

/// A pending request in the managers' queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct QueueItem {
    pub id: ErasureRequestId,
    pub contact_id: ContactId,
    pub contact_name: Option<String>,
    pub ground: Ground,
    pub requested_by: Option<String>,
    /// For a request the retention job made: the rule that ended the last purpose.
    #[serde(default)]
    pub retention_rule: Option<String>,
    pub requested_at: i64,
    pub updated_at: i64,
    /// One month from the request (Art. 12(3)), or the extended deadline.
    pub deadline_at: i64,
    pub extended: bool,
    /// Whole days left until the deadline (negative once overdue), computed by the server.
    pub days_left: i64,
    /// An active legal hold: its reason and end date.
    pub hold: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LegalHold {
    pub id: HoldId,
    pub contact_id: ContactId,
    pub reason: String,
    pub until_date: String,
}

/// What a (bulk) approval did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ApprovalReport {
    pub approved: Vec<ErasureRequestId>,
    pub failed: Vec<(ErasureRequestId, Msg)>,
}
