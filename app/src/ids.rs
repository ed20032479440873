//! Typed row ids. A store function that takes a contact and the user acting on it takes a
//! `ContactId` and a `UserId`, so passing them the wrong way round fails to compile.
//!
//! Each id is transparent on the wire (a JSON number, a form field) and in SQL (a
//! `BIGINT`), so integrators and stored rows see plain integers, as before.

use serde::{Deserialize, Serialize};

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type))]
        #[cfg_attr(feature = "ssr", sqlx(transparent))]
        pub struct $name(pub i64);

        impl $name {
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        #[cfg(feature = "ssr")]
        impl From<$name> for crate::bulk::Val {
            fn from(id: $name) -> Self {
                crate::bulk::Val::Int(id.0)
            }
        }

        #[cfg(feature = "ssr")]
        impl From<Option<$name>> for crate::bulk::Val {
            fn from(id: Option<$name>) -> Self {
                id.map_or(crate::bulk::Val::Null, |id| crate::bulk::Val::Int(id.0))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        // Views show and submit ids as plain numbers.
        impl leptos::prelude::IntoRender for $name {
            type Output = String;
            fn into_render(self) -> String {
                self.0.to_string()
            }
        }

        impl leptos::prelude::IntoAttributeValue for $name {
            type Output = String;
            fn into_attribute_value(self) -> String {
                self.0.to_string()
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )*};
}

typed_id!(
    /// A person or company in `contacts`.
    ContactId,
    /// A signed-in account in `users`.
    UserId,
    /// A case (`cases`) about one contact.
    CaseId,
    /// A file import (`imports`).
    ImportId,
    /// An export job (`exports`).
    ExportId,
    /// A request to be forgotten (`erasure_requests`).
    ErasureRequestId,
    /// A legal hold that keeps a contact from erasure (`legal_holds`).
    HoldId,
    /// Where data came from (`data_sources`).
    SourceId,
    /// Someone data is disclosed to (`recipients`).
    RecipientId,
    /// A processing agreement with a recipient (`processor_agreements`).
    AgreementId,
    /// A record of a disclosure (`disclosures`).
    DisclosureId,
    /// A consent definition (`consent_definitions`).
    DefinitionId,
    /// A master key that wraps contacts' data keys (`master_keys`).
    MasterKeyId,
    /// An integrator's API token (`api_tokens`).
    ApiTokenId,
    /// A webhook subscription in `webhooks`.
    WebhookId,
    /// A restriction of processing (Art. 18) of one contact (`restrictions`).
    RestrictionId,
    /// A retention rule ("Okresy przechowywania", `retention_rules`).
    RetentionRuleId,
    /// A background job (`jobs`).
    JobId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_numbers_on_the_wire() {
        assert_eq!(serde_json::to_string(&ContactId(42)).unwrap(), "42");
        assert_eq!(serde_json::from_str::<UserId>("7").unwrap(), UserId(7));
        assert_eq!("15".parse::<CaseId>().unwrap(), CaseId(15));
        assert!("x".parse::<CaseId>().is_err());
        assert_eq!(ImportId(3).to_string(), "3");
    }
}
