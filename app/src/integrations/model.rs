//! What travels about API tokens between the page and the server.

use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::i18n::Msg;
use crate::ids::ApiTokenId;

/// Requests per second a new token may make unless the administrator says otherwise.
pub const DEFAULT_RATE_PER_SEC: i64 = 50;
/// How the start of every token reads, so a leaked one is recognisable in a scan.
pub const TOKEN_PREFIX: &str = "zgk_";

plain_enum!(TokenState {
    Active = "active" => TokenActive,
    Expired = "expired" => TokenExpired,
    Revoked = "revoked" => TokenRevoked,
});

impl TokenState {
    pub fn of(revoked_at: Option<i64>, expires_at: Option<i64>, now: i64) -> Self {
        match (revoked_at, expires_at) {
            (Some(_), _) => TokenState::Revoked,
            (None, Some(at)) if at <= now => TokenState::Expired,
            _ => TokenState::Active,
        }
    }
}

/// One line of "Integracje". Never the token itself: only its first characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: ApiTokenId,
    pub name: String,
    pub prefix: String,
    pub role: Role,
    /// Empty: every integrator endpoint the role may call.
    pub endpoints: Vec<String>,
    /// Empty: any address.
    pub allowed_addresses: Vec<String>,
    pub rate_per_sec: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub state: TokenState,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub last_used_from: Option<String>,
}

/// A token just created: the only time it is shown.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    pub id: ApiTokenId,
    pub name: String,
    pub token: String,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("token", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issued_token_never_shows_in_debug_output() {
        let issued = IssuedToken {
            id: ApiTokenId(1),
            name: "Dialer".into(),
            token: "zgk_secret".into(),
        };
        assert!(!format!("{issued:?}").contains("secret"));
    }
}
