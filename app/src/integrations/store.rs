//! `api_tokens`, and the integration accounts in `users` the tokens act through. Only
//! the token's SHA-256 is stored; the token itself is shown once, at creation.

use ipnet::IpNet;
use sqlx::{AnyConnection, Row};

use super::model::{IssuedToken, TokenRow, TOKEN_PREFIX};
use super::rules::NewToken;
use crate::auth::access::API;
use crate::auth::session::{token_hash, SessionInfo};
use crate::auth::{Role, SessionUser};
use crate::db::{now_ms, Db};
use crate::ids::{ApiTokenId, UserId};
use crate::store_error::{Doing, StoreError};

const DAY_MS: i64 = 86_400_000;
/// Characters of a token shown in the list, so an administrator can tell tokens apart.
const SHOWN_CHARS: usize = TOKEN_PREFIX.len() + 6;

/// What a token may do, carried with the session the access layer resolved for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenGrant {
    pub id: ApiTokenId,
    pub endpoints: Option<Vec<String>>,
    pub allowed_addresses: Option<Vec<IpNet>>,
    pub rate_per_sec: u32,
    pub burst: u32,
}

impl TokenGrant {
    /// An integrator endpoint, and one of the token's own when it names some. The role
    /// is checked apart, by the endpoint table.
    pub fn may_call(&self, endpoint: &str) -> bool {
        API.contains(&endpoint)
            && self
                .endpoints
                .as_ref()
                .is_none_or(|list| list.iter().any(|e| e == endpoint))
    }

    /// Whether a request from `ip` (as the access layer read it) may use the token.
    pub fn admits_address(&self, ip: &str) -> bool {
        let Some(nets) = &self.allowed_addresses else {
            return true;
        };
        let Ok(addr) = ip.parse::<std::net::IpAddr>() else {
            return false;
        };
        let addr = addr.to_canonical();
        nets.iter().any(|net| net.contains(&addr))
    }
}

fn joined<T: ToString>(items: &Option<Vec<T>>) -> Option<String> {
    items.as_ref().map(|v| {
        v.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    })
}

fn split(text: Option<String>) -> Vec<String> {
    text.unwrap_or_default()
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Creates the token and the account it acts through; `by` is the administrator (none
/// from the command line).
pub async fn create(
    conn: &mut AnyConnection,
    by: Option<UserId>,
    new: &NewToken,
) -> Result<IssuedToken, StoreError> {
    let now = now_ms();
    let token = format!("{TOKEN_PREFIX}{}", crate::auth::session::new_token());
    let hash = token_hash(&token);
    // A login no person can type at the sign-in form (it has a colon) and no one can use:
    // integration accounts are never looked up by login, and '!' is no password hash.
    let user_id: UserId = sqlx::query_scalar(
        "INSERT INTO users (login, display_name, role, password_hash, password_changed_at, \
         must_change_password, disabled, created_at, kind) \
         VALUES ($1, $2, $3, '!', $4, 0, 0, $4, 'integration') RETURNING id",
    )
    .bind(format!("api:{}", hex::encode(rand::random::<[u8; 8]>())))
    .bind(&new.name)
    .bind(new.role.as_str())
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .doing("creating an integration account")?;
    let id: ApiTokenId = sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, name, token_hash, token_prefix, endpoints, \
         allowed_addresses, rate_per_sec, burst, expires_at, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(user_id)
    .bind(&new.name)
    .bind(&hash)
    .bind(&token[..SHOWN_CHARS])
    .bind(joined(&new.endpoints))
    .bind(joined(&new.allowed_addresses))
    .bind(new.rate_per_sec)
    .bind(new.rate_per_sec * 2)
    .bind(new.valid_days.map(|d| now + d * DAY_MS))
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .doing("creating an API token")?;
    Ok(IssuedToken {
        id,
        name: new.name.clone(),
        token,
    })
}

/// The session a bearer token stands for: `None` when it is unknown, revoked, expired or
/// its account is disabled.
pub async fn resolve(db: &Db, token: &str, now: i64) -> Result<Option<SessionInfo>, StoreError> {
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 128 {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT t.id, t.endpoints, t.allowed_addresses, t.rate_per_sec, t.burst, t.expires_at, \
         t.revoked_at, u.id AS user_id, u.login, u.display_name, u.role, u.disabled \
         FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
    )
    .bind(token_hash(token))
    .fetch_optional(db.pool())
    .await
    .doing("resolving an API token")?;
    let Some(row) = row else { return Ok(None) };
    let revoked: Option<i64> = row.try_get("revoked_at")?;
    let expires: Option<i64> = row.try_get("expires_at")?;
    let disabled = row.try_get::<i64, _>("disabled")? != 0;
    if disabled || revoked.is_some() || expires.is_some_and(|at| at <= now) {
        return Ok(None);
    }
    let role: String = row.try_get("role")?;
    let role = Role::parse(&role).ok_or(StoreError::Inconsistent("an unknown role"))?;
    let endpoints = split(row.try_get("endpoints")?);
    let addresses = split(row.try_get("allowed_addresses")?)
        .iter()
        .map(|a| a.parse::<IpNet>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| StoreError::Inconsistent("a stored address list does not parse"))?;
    let rate: i64 = row.try_get("rate_per_sec")?;
    let burst: i64 = row.try_get("burst")?;
    Ok(Some(SessionInfo {
        token_hash: String::new(),
        user: SessionUser {
            id: row.try_get("user_id")?,
            login: row.try_get("login")?,
            display_name: row.try_get("display_name")?,
            role,
            must_change_password: false,
            password_changed_at: 0,
            password_expires_at: None,
        },
        grant: Some(TokenGrant {
            id: row.try_get("id")?,
            endpoints: (!endpoints.is_empty()).then_some(endpoints),
            allowed_addresses: (!addresses.is_empty()).then_some(addresses),
            rate_per_sec: u32::try_from(rate).unwrap_or(1),
            burst: u32::try_from(burst).unwrap_or(1),
        }),
    }))
}

/// Revokes a token for good: it and its account stop working at the next request.
pub async fn revoke(
    conn: &mut AnyConnection,
    by: UserId,
    id: ApiTokenId,
) -> Result<(), StoreError> {
    let now = now_ms();
    let user: Option<UserId> = sqlx::query_scalar(
        "UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 \
         WHERE id = $3 AND revoked_at IS NULL RETURNING user_id",
    )
    .bind(now)
    .bind(by)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .doing("revoking an API token")?;
    let user = user.ok_or(StoreError::NotFound)?;
    sqlx::query("UPDATE users SET disabled = 1 WHERE id = $1 AND kind = 'integration'")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn list(conn: &mut AnyConnection) -> Result<Vec<TokenRow>, StoreError> {
    let now = now_ms();
    let rows = sqlx::query(
        "SELECT t.id, t.name, t.token_prefix, u.role, t.endpoints, t.allowed_addresses, \
         t.rate_per_sec, t.expires_at, t.revoked_at, t.created_at, t.last_used_at, \
         t.last_used_from FROM api_tokens t JOIN users u ON u.id = t.user_id \
         ORDER BY t.revoked_at IS NOT NULL, t.id DESC",
    )
    .fetch_all(&mut *conn)
    .await
    .doing("listing API tokens")?;
    rows.iter()
        .map(|r| {
            Ok(TokenRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                prefix: r.try_get("token_prefix")?,
                role: Role::parse(&r.try_get::<String, _>("role")?)
                    .ok_or(StoreError::Inconsistent("an unknown role"))?,
                endpoints: split(r.try_get("endpoints")?),
                allowed_addresses: split(r.try_get("allowed_addresses")?),
                rate_per_sec: r.try_get("rate_per_sec")?,
                expires_at: r.try_get("expires_at")?,
                revoked_at: r.try_get("revoked_at")?,
                state: super::model::TokenState::of(
                    r.try_get("revoked_at")?,
                    r.try_get("expires_at")?,
                    now,
                ),
                created_at: r.try_get("created_at")?,
                last_used_at: r.try_get("last_used_at")?,
                last_used_from: r.try_get("last_used_from")?,
            })
        })
        .collect()
}

/// Records when and from where a token was last used (at most once a minute per node).
pub async fn note_use(db: &Db, id: ApiTokenId, ip: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1, last_used_from = $2 WHERE id = $3")
        .bind(now_ms())
        .bind(ip)
        .bind(id)
        .execute(db.pool())
        .await
        .doing("noting an API token's use")?;
    Ok(())
}
