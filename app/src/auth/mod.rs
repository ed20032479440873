//! Accounts: roles, sign-in, sessions, the password policy and who may call what.

use crate::ids::UserId;
pub mod access;
pub mod admin;
pub mod api;
mod login_page;
mod password_change_page;
pub mod policy;
mod policy_page;
mod users_page;

#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod throttle;

pub use login_page::LoginPage;
pub use password_change_page::PasswordChangePage;
pub use policy_page::PolicyPage;
pub use users_page::UsersPage;

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

plain_enum!(Role {
    Consultant = "consultant" => RoleConsultant,
    Manager = "manager" => RoleManager,
    Administrator = "administrator" => RoleAdministrator,
});

impl Role {
    /// Whether the manager part ("część menedżerska") is open to this role.
    pub fn sees_manager_part(self) -> bool {
        matches!(self, Role::Manager | Role::Administrator)
    }
}

/// The signed-in user as the UI sees it. Holds no password material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub must_change_password: bool,
    pub password_changed_at: i64,
    /// When the password expires under the policy in force (UTC ms), if it does.
    pub password_expires_at: Option<i64>,
}

/// Login names: trimmed, lower-case, 3 to 64 characters of letters, digits, `.`, `_`, `-`.
pub fn normalize_login(raw: &str) -> Result<String, Msg> {
    let login = raw.trim().to_lowercase();
    if login.is_empty() {
        return Err(Msg::ErrRequired);
    }
    let len = login.chars().count();
    if !(3..=64).contains(&len) {
        return Err(Msg::ErrLoginLength);
    }
    if !login
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err(Msg::ErrLoginChars);
    }
    Ok(login)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_normalised_and_checked() {
        assert_eq!(
            normalize_login("  Anna.Kowalska ").unwrap(),
            "anna.kowalska"
        );
        assert_eq!(normalize_login(""), Err(Msg::ErrRequired));
        assert_eq!(normalize_login("ab"), Err(Msg::ErrLoginLength));
        assert_eq!(normalize_login("zażółć"), Err(Msg::ErrLoginChars));
        assert_eq!(normalize_login("a b c"), Err(Msg::ErrLoginChars));
    }

    #[test]
    fn roles_round_trip() {
        for &r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
