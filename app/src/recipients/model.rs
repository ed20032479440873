use crate::ids::{AgreementId, ContactId, DisclosureId, RecipientId};
use serde::{Deserialize, Serialize};

use crate::consents::model::LegalBasis;
use crate::i18n::Msg;

plain_enum!(RecipientRole {
    Processor = "processor" => RoleProcessor,
    Controller = "controller" => RoleController,
    PublicAuthority = "public_authority" => RolePublicAuthority,
});

/// A field a recipient may receive, on this legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeEntry {
    pub field: String,
    pub legal_basis: LegalBasis,
}

/// The processor agreement (umowa powierzenia), Art. 28(3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub id: AgreementId,
    pub subject_duration: String,
    pub nature_purpose: String,
    pub data_types: String,
    pub subject_categories: String,
    pub obligations_rights: String,
    pub signed_on: String,
    /// The signed document: its type and SHA-256, when attached.
    pub document_type: Option<String>,
    pub document_sha256: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub id: RecipientId,
    pub name: String,
    pub nip: String,
    pub role: RecipientRole,
    pub active: bool,
    pub scope: Vec<ScopeEntry>,
    pub agreements: Vec<Agreement>,
    /// A transfer outside the EEA: the country and the safeguard (Art. 46), as the
    /// manager wrote it; empty when the data stays in the EEA.
    #[serde(default)]
    pub transfer: String,
}

/// One row of the disclosure log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosure {
    pub id: DisclosureId,
    pub recipient: String,
    pub contact_ids: Vec<ContactId>,
    pub fields: Vec<String>,
    pub legal_basis: String,
    pub purpose: String,
    pub disclosed_by: Option<String>,
    pub disclosed_at: i64,
    /// For an export to a file: the search filter it exported (a query string).
    #[serde(default)]
    pub export_filter: Option<String>,
    /// For an export that included restricted contacts: the reason given.
    #[serde(default)]
    pub export_override: Option<String>,
}
