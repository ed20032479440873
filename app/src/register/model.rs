//! The Art. 30 register of processing activities ("Rejestr czynności przetwarzania"):
//! a document generated from what Zgoda knows (consent definitions and their legal
//! bases, case handling, recipients with their agreements and transfers, retention
//! rules) and completed by a manager where it cannot know (categories of data and of
//! people, the controller, the DPO, security measures). A saved version keeps the whole
//! document, in Polish, as it stood that day.

use serde::{Deserialize, Serialize};

/// One processing activity: a purpose with what Art. 30(1) asks about it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Activity {
    /// `zgoda-<definition id>` or `sprawy`: what the manager's additions are kept under.
    pub key: String,
    pub name: String,
    pub purpose: String,
    pub legal_basis: String,
    pub data_categories: String,
    pub subject_categories: String,
    /// True while the category is still Zgoda's suggestion, not a manager's text.
    pub data_suggested: bool,
    pub people_suggested: bool,
    /// The retention rules for this purpose, one line each; empty: none defined.
    pub retention: Vec<String>,
    pub active: bool,
}

/// A recipient as the register lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterRecipient {
    pub name: String,
    pub role: String,
    pub nip: String,
    /// The processor agreement: when signed, or empty when there is none.
    pub agreement_signed_on: String,
    /// A transfer outside the EEA (country and safeguard); empty: none.
    pub transfer: String,
    pub active: bool,
}

/// The whole register.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterDocument {
    pub controller: String,
    pub dpo: String,
    pub security_measures: String,
    pub activities: Vec<Activity>,
    pub recipients: Vec<RegisterRecipient>,
    /// Retention rules that are not one purpose's (a data source, contacts with no
    /// purpose).
    pub other_retention: Vec<String>,
    pub generated_at: i64,
}

/// A saved version of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterVersion {
    pub version: i64,
    pub created_at: i64,
    pub created_by: Option<String>,
}

/// What the page shows: the current register or a saved version, and the versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterView {
    pub document: RegisterDocument,
    /// `Some` when a saved version is shown (read-only).
    pub version: Option<RegisterVersion>,
    pub versions: Vec<RegisterVersion>,
}

pub const CASES_KEY: &str = "sprawy";

pub fn definition_key(id: i64) -> String {
    format!("zgoda-{id}")
}

/// Limits of the manager's texts.
pub const LINE_MAX: usize = 500;
pub const TEXT_MAX: usize = 4000;
