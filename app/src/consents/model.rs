//! Consents as they travel between browser, integrators and server.

use crate::ids::DefinitionId;
use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

plain_enum!(LegalBasis {
    Consent = "consent" => BasisConsent,
    Contract = "contract" => BasisContract,
    LegalObligation = "legal_obligation" => BasisLegalObligation,
    VitalInterest = "vital_interest" => BasisVitalInterest,
    PublicTask = "public_task" => BasisPublicTask,
    LegitimateInterest = "legitimate_interest" => BasisLegitimateInterest,
});

// The channel a consent covers; marketing consents name exactly one.
plain_enum!(ConsentChannel {
    Any = "any" => ConsentChannelAny,
    Call = "call" => ConsentChannelCall,
    Sms = "sms" => ConsentChannelSms,
    Email = "email" => ConsentChannelEmail,
    AutomatedCall = "automated_call" => ConsentChannelAutomatedCall,
});

plain_enum!(Decision {
    Granted = "granted" => DecisionGranted,
    Refused = "refused" => DecisionRefused,
    Withdrawn = "withdrawn" => DecisionWithdrawn,
});

// How the person expressed the decision.
plain_enum!(Method {
    Call = "call" => MethodCall,
    Email = "email" => MethodEmail,
    Sms = "sms" => MethodSms,
    WebForm = "web_form" => MethodWebForm,
    Import = "import" => MethodImport,
    InPerson = "in_person" => MethodInPerson,
    Letter = "letter" => MethodLetter,
});

// Why an objection under Art. 21(1) no longer stops its purpose.
plain_enum!(ObjectionLift {
    Withdrawn = "withdrawn" => ObjectionLiftWithdrawn,
    CompellingGrounds = "compelling_grounds" => ObjectionLiftCompelling,
});

plain_enum!(Purpose {
    Service = "service" => PurposeService,
    Marketing = "marketing" => PurposeMarketing,
});

// Why the contact check said no.
plain_enum!(BlockReason {
    NoConsent = "no_consent" => BlockNoConsent,
    Withdrawn = "withdrawn" => BlockWithdrawn,
    Objection = "objection" => BlockObjection,
    ErasurePending = "erasure_pending" => BlockErasurePending,
    Erased = "erased" => BlockErased,
    Restricted = "restricted" => BlockRestricted,
    NoChannel = "no_channel" => BlockNoChannel,
    InvalidNumber = "invalid_number" => BlockInvalidNumber,
});

/// A consent definition as managers edit it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Definition {
    pub id: DefinitionId,
    pub name: String,
    pub statement: String,
    pub version: i64,
    pub purpose: String,
    pub legal_basis: LegalBasis,
    pub balancing_note: String,
    pub channel: ConsentChannel,
    pub marketing: bool,
    /// The person's consent to sharing their data with other entities: a disclosure on
    /// the legal basis "consent" needs it granted.
    #[serde(default)]
    pub sharing: bool,
    pub required: bool,
    pub active: bool,
    pub position: i64,
}

/// One consent of one contact, as the consent panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConsentStatus {
    pub definition_id: DefinitionId,
    pub name: String,
    /// The statement to read out now (the current version).
    pub statement: String,
    pub version: i64,
    pub channel: ConsentChannel,
    pub marketing: bool,
    pub required: bool,
    /// `None`: never asked.
    pub decision: Option<Decision>,
    pub history: Vec<ConsentEvent>,
    #[serde(default)]
    pub legal_basis: LegalBasis,
    /// An objection under Art. 21(1) to this purpose (based on legitimate interest) is in
    /// force since then (UTC ms): the purpose stops for the person.
    #[serde(default)]
    pub objected_at: Option<i64>,
}

/// One decision in a consent's history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConsentEvent {
    pub id: i64,
    pub decision: Decision,
    pub method: Method,
    /// The statement version the person heard.
    pub version: i64,
    pub recorded_by: Option<String>,
    pub recorded_at: i64,
    pub evidence: Option<EvidenceInfo>,
    /// The import batch the decision came with (its evidence): id and name.
    #[serde(default)]
    pub import: Option<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EvidenceInfo {
    pub id: i64,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub file_name: Option<String>,
}

impl EvidenceInfo {
    pub fn is_audio(&self) -> bool {
        self.media_type.starts_with("audio/")
    }
}

/// Whether required consents are missing: what the consent icon shows at a glance.
pub fn missing_required(consents: &[ConsentStatus]) -> Vec<&ConsentStatus> {
    consents
        .iter()
        .filter(|c| c.required && c.decision.is_none())
        .collect()
}

/// The dialer's answer for one number it asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NumberCheck {
    /// The number as it was sent.
    pub number: String,
    /// The number in E.164, when it is a valid number.
    pub e164: Option<String>,
    pub allowed: bool,
    /// Why not; `no_consent` for a number no contact has, `invalid_number` for one that
    /// is not a phone number.
    pub reason: Option<BlockReason>,
}

/// The contact check's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContactCheck {
    pub allowed: bool,
    pub reason: Option<BlockReason>,
}
