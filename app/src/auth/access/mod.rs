//! Who may call what, in one table. Every server function is listed here with the roles
//! it admits; the access layer refuses any endpoint that is missing from the table, and
//! a test checks every registered endpoint against it for every role.

use super::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user, even one who must change the password first.
    SignedInDuringPasswordChange,
    /// Signed in, password up to date, and one of these roles.
    Roles(&'static [Role]),
}

pub const EVERY_ROLE: &[Role] = &[Role::Consultant, Role::Manager, Role::Administrator];
pub const MANAGER_PART: &[Role] = &[Role::Manager, Role::Administrator];
pub const ADMINISTRATOR: &[Role] = &[Role::Administrator];

/// Server-function endpoints (without the `/api/` prefix) and who may call them.
pub const ENDPOINTS: &[(&str, Access)] = &[
    ("system_info", Access::Public),
    ("set_language", Access::Public),
    ("login", Access::Public),
    ("current_user", Access::Public),
    ("logout", Access::SignedInDuringPasswordChange),
    ("change_password", Access::SignedInDuringPasswordChange),
    ("password_rules", Access::SignedInDuringPasswordChange),
    ("users_list", Access::Roles(ADMINISTRATOR)),
    ("users_create", Access::Roles(ADMINISTRATOR)),
    ("users_set_role", Access::Roles(ADMINISTRATOR)),
    ("users_set_disabled", Access::Roles(ADMINISTRATOR)),
    ("users_reset_password", Access::Roles(ADMINISTRATOR)),
    ("password_policy_get", Access::Roles(ADMINISTRATOR)),
    ("password_policy_set", Access::Roles(ADMINISTRATOR)),
    ("api_tokens_list", Access::Roles(ADMINISTRATOR)),
    ("api_token_create", Access::Roles(ADMINISTRATOR)),
    ("api_token_revoke", Access::Roles(ADMINISTRATOR)),
    ("webhooks_list", Access::Roles(ADMINISTRATOR)),
    ("webhook_create", Access::Roles(ADMINISTRATOR)),
    ("webhook_set_active", Access::Roles(ADMINISTRATOR)),
    ("webhook_deliveries", Access::Roles(ADMINISTRATOR)),
    ("audit_list", Access::Roles(MANAGER_PART)),
    ("contact_search", Access::Roles(EVERY_ROLE)),
    ("contact_get", Access::Roles(EVERY_ROLE)),
    ("contact_save", Access::Roles(EVERY_ROLE)),
    ("case_get", Access::Roles(EVERY_ROLE)),
    ("case_save", Access::Roles(EVERY_ROLE)),
    ("case_assignees", Access::Roles(EVERY_ROLE)),
    ("consultant_desk", Access::Roles(EVERY_ROLE)),
    ("consent_definitions", Access::Roles(MANAGER_PART)),
    ("consent_definition_save", Access::Roles(MANAGER_PART)),
    ("consent_examples_adopt", Access::Roles(MANAGER_PART)),
    ("retention_rules", Access::Roles(MANAGER_PART)),
    ("retention_rule_save", Access::Roles(MANAGER_PART)),
    ("retention_preview", Access::Roles(MANAGER_PART)),
    ("retention_run_now", Access::Roles(MANAGER_PART)),
    ("retention_runs", Access::Roles(MANAGER_PART)),
    ("jobs_list", Access::Roles(MANAGER_PART)),
    ("job_retry", Access::Roles(MANAGER_PART)),
    ("report_run", Access::Roles(MANAGER_PART)),
    ("report_people", Access::Roles(MANAGER_PART)),
    ("reports_saved", Access::Roles(MANAGER_PART)),
    ("report_save", Access::Roles(MANAGER_PART)),
    ("report_delete", Access::Roles(MANAGER_PART)),
    ("manager_counters", Access::Roles(MANAGER_PART)),
    ("register_get", Access::Roles(MANAGER_PART)),
    ("register_settings_save", Access::Roles(MANAGER_PART)),
    ("register_purpose_save", Access::Roles(MANAGER_PART)),
    ("register_version_save", Access::Roles(MANAGER_PART)),
    ("consent_record", Access::Roles(EVERY_ROLE)),
    ("consent_web_form", Access::Roles(EVERY_ROLE)),
    ("consent_withdrawal_link", Access::Roles(EVERY_ROLE)),
    // A withdrawal link's page and button: for whoever holds the link (its MAC is the key).
    ("withdrawal_page", Access::Public),
    ("withdraw_by_link", Access::Public),
    ("can_contact", Access::Roles(EVERY_ROLE)),
    ("dialer_check", Access::Roles(EVERY_ROLE)),
    ("communication_log", Access::Roles(EVERY_ROLE)),
    ("marketing_objection_set", Access::Roles(EVERY_ROLE)),
    ("purpose_objection_record", Access::Roles(EVERY_ROLE)),
    // Lifting on compelling grounds is for managers: the function itself checks.
    ("purpose_objection_lift", Access::Roles(EVERY_ROLE)),
    ("contact_restrict", Access::Roles(EVERY_ROLE)),
    ("contact_restriction_lift", Access::Roles(EVERY_ROLE)),
    ("contact_data_export", Access::Roles(EVERY_ROLE)),
    ("access_requests", Access::Roles(EVERY_ROLE)),
    ("access_request_record", Access::Roles(EVERY_ROLE)),
    ("data_sources", Access::Roles(EVERY_ROLE)),
    ("data_source_save", Access::Roles(MANAGER_PART)),
    ("contact_history", Access::Roles(EVERY_ROLE)),
    ("recipients_list", Access::Roles(MANAGER_PART)),
    ("recipient_save", Access::Roles(MANAGER_PART)),
    ("agreement_add", Access::Roles(MANAGER_PART)),
    ("disclosure_record", Access::Roles(MANAGER_PART)),
    ("disclosures_list", Access::Roles(MANAGER_PART)),
    ("erasure_request", Access::Roles(EVERY_ROLE)),
    ("erasure_withdraw", Access::Roles(EVERY_ROLE)),
    ("erasure_queue", Access::Roles(MANAGER_PART)),
    ("erasure_approve", Access::Roles(MANAGER_PART)),
    ("erasure_refuse", Access::Roles(MANAGER_PART)),
    ("erasure_extend", Access::Roles(MANAGER_PART)),
    ("legal_holds", Access::Roles(MANAGER_PART)),
    ("legal_hold_add", Access::Roles(MANAGER_PART)),
    ("legal_hold_release", Access::Roles(MANAGER_PART)),
    ("import_upload", Access::Roles(MANAGER_PART)),
    ("import_preview", Access::Roles(MANAGER_PART)),
    ("import_start", Access::Roles(MANAGER_PART)),
    ("import_status", Access::Roles(MANAGER_PART)),
    ("import_list", Access::Roles(MANAGER_PART)),
    ("import_describe", Access::Roles(MANAGER_PART)),
    ("import_confirm", Access::Roles(MANAGER_PART)),
    ("import_templates", Access::Roles(MANAGER_PART)),
    ("import_template_save", Access::Roles(MANAGER_PART)),
    ("export_preview", Access::Roles(MANAGER_PART)),
    ("export_status", Access::Roles(MANAGER_PART)),
    ("contact_filter", Access::Roles(MANAGER_PART)),
    ("saved_searches", Access::Roles(MANAGER_PART)),
    ("saved_search_save", Access::Roles(MANAGER_PART)),
    ("saved_search_delete", Access::Roles(MANAGER_PART)),
];

/// Endpoints an API token may call at all: what dialers, CRMs and web forms need. The
/// rest serve people at a screen (signing in, administration, the manager's tools) and
/// refuse a token whatever its role; a token's role still applies on top.
pub const API: &[&str] = &[
    "system_info",
    "contact_search",
    "contact_get",
    "contact_save",
    "contact_history",
    "can_contact",
    "dialer_check",
    "consent_definitions",
    "consent_record",
    "consent_web_form",
    "consent_withdrawal_link",
    "communication_log",
    "marketing_objection_set",
    "purpose_objection_record",
    "purpose_objection_lift",
    "contact_restrict",
    "contact_restriction_lift",
    "contact_data_export",
    "data_sources",
    "erasure_request",
    "disclosure_record",
];

/// What else `/api/` serves (by GET): the integrator API's document and its page.
pub const API_DOCUMENTS: &[&str] = &["openapi.json", "docs"];

/// Endpoints that take a multipart body (file uploads).
pub const MULTIPART_ENDPOINTS: &[&str] = &["consent_record", "agreement_add", "import_upload"];

pub fn endpoint_access(endpoint: &str) -> Option<Access> {
    ENDPOINTS
        .iter()
        .find(|(name, _)| *name == endpoint)
        .map(|(_, access)| *access)
}

/// Pages (paths the router renders) and who may open them; the first matching prefix wins.
pub const PAGES: &[(&str, Access)] = &[
    ("/logowanie", Access::Public),
    ("/wycofanie-zgody", Access::Public),
    ("/zmiana-hasla", Access::SignedInDuringPasswordChange),
    ("/menedzer/uzytkownicy", Access::Roles(ADMINISTRATOR)),
    ("/menedzer/polityka-hasel", Access::Roles(ADMINISTRATOR)),
    ("/menedzer/integracje", Access::Roles(ADMINISTRATOR)),
    // Exports: the form, the route it posts to (a file download), background exports'
    // pages and files. Under "/menedzer" anyway; named so the table says it.
    ("/menedzer/szukaj/eksport", Access::Roles(MANAGER_PART)),
    ("/menedzer/eksport", Access::Roles(MANAGER_PART)),
    ("/menedzer/eksporty", Access::Roles(MANAGER_PART)),
    ("/menedzer/szukaj", Access::Roles(MANAGER_PART)),
    ("/menedzer", Access::Roles(MANAGER_PART)),
    ("/umowy", Access::Roles(MANAGER_PART)),
    ("/", Access::Roles(EVERY_ROLE)),
];

pub fn page_access(path: &str) -> Access {
    PAGES
        .iter()
        .find(|(prefix, _)| {
            path == *prefix
                || (path.starts_with(prefix)
                    && (prefix.ends_with('/') || path[prefix.len()..].starts_with('/')))
        })
        .map(|(_, access)| *access)
        .unwrap_or(Access::Roles(EVERY_ROLE))
}

/// Decision for a caller: `None` means allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotSignedIn,
    PasswordChangeRequired,
    WrongRole,
}

pub fn decide(access: Access, caller: Option<(Role, bool)>) -> Option<Refusal> {
    match (access, caller) {
        (Access::Public, _) => None,
        (_, None) => Some(Refusal::NotSignedIn),
        (Access::SignedInDuringPasswordChange, Some(_)) => None,
        (Access::Roles(_), Some((_, true))) => Some(Refusal::PasswordChangeRequired),
        (Access::Roles(roles), Some((role, false))) => {
            (!roles.contains(&role)).then_some(Refusal::WrongRole)
        }
    }
}

#[cfg(feature = "ssr")]
pub use guard::{
    admit_document, admit_endpoint, admit_route, admit_session, refusal_error, serve, serve_public,
    Caller, Visitor,
};
#[cfg(feature = "ssr")]
pub use layer::{access_layer, RequestContext};

#[cfg(feature = "ssr")]
mod guard;
#[cfg(feature = "ssr")]
mod layer;
pub mod path;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_match_by_whole_segments() {
        assert_eq!(page_access("/logowanie"), Access::Public);
        assert_eq!(page_access("/menedzer"), Access::Roles(MANAGER_PART));
        assert_eq!(page_access("/menedzer/audyt"), Access::Roles(MANAGER_PART));
        assert_eq!(
            page_access("/menedzer/uzytkownicy"),
            Access::Roles(ADMINISTRATOR)
        );
        assert_eq!(page_access("/menedzerx"), Access::Roles(EVERY_ROLE));
        assert_eq!(page_access("/logowaniex"), Access::Roles(EVERY_ROLE));
    }

    #[test]
    fn decisions() {
        let admin_only = Access::Roles(ADMINISTRATOR);
        assert_eq!(decide(admin_only, None), Some(Refusal::NotSignedIn));
        assert_eq!(
            decide(admin_only, Some((Role::Manager, false))),
            Some(Refusal::WrongRole)
        );
        assert_eq!(
            decide(admin_only, Some((Role::Administrator, true))),
            Some(Refusal::PasswordChangeRequired)
        );
        assert_eq!(decide(admin_only, Some((Role::Administrator, false))), None);
        assert_eq!(
            decide(
                Access::SignedInDuringPasswordChange,
                Some((Role::Consultant, true))
            ),
            None
        );
        assert_eq!(decide(Access::Public, None), None);
    }

    #[test]
    fn endpoint_names_are_unique() {
        let mut names: Vec<_> = ENDPOINTS.iter().map(|(n, _)| *n).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ENDPOINTS.len());
    }

    #[test]
    fn every_integrator_endpoint_is_in_the_table_and_none_is_for_administrators_only() {
        for name in API {
            let access = endpoint_access(name).unwrap_or_else(|| panic!("{name} undeclared"));
            assert_ne!(access, Access::Roles(ADMINISTRATOR), "{name}");
            assert_ne!(access, Access::SignedInDuringPasswordChange, "{name}");
        }
    }
}
