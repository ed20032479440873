//! The person's copy: what the card and the history show of them, without what belongs
//! to the controller's staff (who typed, who read). Machine-readable as it stands
//! (Art. 20); `document` renders the same value for reading.

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

use crate::cases::{CaseChannel, CaseStatus};
use crate::consents::model::{ConsentChannel, Decision, LegalBasis, Method};
use crate::contacts::model::{ContactData, ContactState};
use crate::erasure::model::{Ground, RequestState};
use crate::history::model::ActivityDetail;
use crate::ids::{CaseId, ContactId};
use crate::restriction::RestrictionGround;

/// The format's version, for whoever reads the JSON later.
pub const FORMAT: &str = "zgoda.subject-data/1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SubjectData {
    pub format: String,
    /// When this copy was made (ms since the epoch, UTC).
    pub generated_at: i64,
    pub contact_id: ContactId,
    pub state: ContactState,
    /// The personal data with the channels each number and address serves.
    pub data: ContactData,
    /// Where the data came from.
    pub source: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub consents: Vec<SubjectConsent>,
    /// An objection to direct marketing (Art. 21(2)) is on record.
    pub marketing_objection: bool,
    pub restriction: Option<SubjectRestriction>,
    pub erasure: Option<SubjectErasure>,
    /// Every change of a personal field, with its source.
    pub changes: Vec<SubjectChange>,
    pub cases: Vec<SubjectCase>,
    /// Contacts made or refused, disclosures to recipients, decisions and requests.
    pub activities: Vec<SubjectActivity>,
    /// How long the data is kept, rule by rule (Art. 15(1)(d)); `None` while no retention
    /// rule applies to the person.
    pub retention: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SubjectConsent {
    pub name: String,
    /// What the data is processed for under this consent, and on which legal basis.
    pub purpose: String,
    pub legal_basis: LegalBasis,
    pub channel: ConsentChannel,
    pub marketing: bool,
    /// `None`: never asked.
    pub decision: Option<Decision>,
    pub decisions: Vec<SubjectDecision>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SubjectDecision {
    pub decision: Decision,
    pub method: Method,
    pub recorded_at: i64,
    /// The statement the person was shown or read, in the version they heard.
    pub statement_version: i64,
    pub statement: String,
    /// The evidence kept (a recording, an e-mail, a form): its type and name.
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SubjectRestriction {
    pub ground: RestrictionGround,
    pub since: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SubjectErasure {
    pub ground: Ground,
    pub state: RequestState,
    pub requested_at: i64,
    pub decided_at: Option<i64>,
    pub refusal_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SubjectChange {
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub source: Option<String>,
    pub reason: Option<String>,
    pub changed_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SubjectCase {
    pub id: CaseId,
    pub subject: Option<String>,
    pub status: CaseStatus,
    pub channel: CaseChannel,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SubjectActivity {
    pub at: i64,
    pub detail: ActivityDetail,
}

plain_enum!(
    /// What the person asked for: a copy to read (Art. 15) or their data to take
    /// elsewhere (Art. 20). One ZIP answers both.
    AccessKind {
        Access = "access" => AccessKindAccess,
        Portability = "portability" => AccessKindPortability,
    }
);

/// A request for a copy, with its Art. 12(3) deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequest {
    pub id: i64,
    pub kind: AccessKind,
    pub requested_at: i64,
    pub deadline_at: i64,
    pub delivered_at: Option<i64>,
    pub requested_by: Option<String>,
    /// Still open after its deadline, as the server's clock saw it.
    pub overdue: bool,
}
