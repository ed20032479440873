//! What the card and integrators see of a restriction.

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;
use crate::ids::RestrictionId;

plain_enum!(
    /// Art. 18(1) GDPR, points (a) to (d): why processing is restricted.
    RestrictionGround {
        /// (a) The person contests the accuracy of the data, while it is verified.
        Accuracy = "accuracy" => RestrictionGroundAccuracy,
        /// (b) Processing is unlawful and the person opposes erasure.
        Unlawful = "unlawful" => RestrictionGroundUnlawful,
        /// (c) Not needed any more, but the person needs it for legal claims.
        LegalClaims = "legal_claims" => RestrictionGroundLegalClaims,
        /// (d) The person objected under Art. 21(1), until it is verified whose grounds
        /// prevail.
        Objection = "objection" => RestrictionGroundObjection,
    }
);

/// The restriction in force on a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RestrictionStatus {
    pub id: RestrictionId,
    pub ground: RestrictionGround,
    /// What the consultant wrote when restricting; empty when nothing was.
    pub note: String,
    pub restricted_by: Option<String>,
    pub restricted_at: i64,
}
