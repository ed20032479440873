//! User queries. Every statement here runs unchanged on SQLite and PostgreSQL.

use crate::ids::UserId;
use crate::store_error::{Refusal, StoreError};
use sqlx::Row;

use super::password::PasswordHash;
use super::policy::{PasswordPolicy, HISTORY_DEPTH};
use super::Role;
use crate::db::{now_ms, Db};

/// A user row as the server holds it, password hash included: never `Serialize`.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: PasswordHash,
    pub password_changed_at: i64,
    pub must_change_password: bool,
    pub disabled: bool,
    pub created_at: i64,
}

const USER_COLUMNS: &str = "id, login, display_name, role, password_hash, password_changed_at, \
                            must_change_password, disabled, created_at";

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<UserRecord, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(UserRecord {
        id: row.try_get("id")?,
        login: row.try_get("login")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(&role).ok_or_else(|| sqlx::Error::Decode("unknown role".into()))?,
        password_hash: PasswordHash::from_stored(row.try_get("password_hash")?),
        password_changed_at: row.try_get("password_changed_at")?,
        must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

pub async fn find_by_login(db: &Db, login: &str) -> Result<Option<UserRecord>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE login = $1 AND kind = 'person'");
    let row = sqlx::query(&sql)
        .bind(login)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.as_ref().map(user_from_row).transpose()?)
}

pub async fn find_by_id(db: &Db, id: UserId) -> Result<Option<UserRecord>, StoreError> {
    // People only: an integration account has no password to change or reset.
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND kind = 'person'");
    let row = sqlx::query(&sql).bind(id).fetch_optional(db.pool()).await?;
    Ok(row.as_ref().map(user_from_row).transpose()?)
}

pub async fn list(db: &Db) -> Result<Vec<UserRecord>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE kind = 'person' ORDER BY login");
    let rows = sqlx::query(&sql).fetch_all(db.pool()).await?;
    Ok(rows.iter().map(user_from_row).collect::<Result<_, _>>()?)
}

pub async fn count(db: &Db) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users WHERE kind = 'person'")
            .fetch_one(db.pool())
            .await?,
    )
}

pub struct NewUser<'a> {
    pub login: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: &'a PasswordHash,
    pub must_change_password: bool,
}

pub async fn insert(db: &Db, user: NewUser<'_>) -> Result<UserId, StoreError> {
    let now = now_ms();
    let result = sqlx::query_scalar::<_, UserId>(
        "INSERT INTO users (login, display_name, role, password_hash, password_changed_at, \
         must_change_password, disabled, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $5) RETURNING id",
    )
    .bind(user.login)
    .bind(user.display_name)
    .bind(user.role.as_str())
    .bind(user.password_hash.as_phc())
    .bind(now)
    .bind(i64::from(user.must_change_password))
    .fetch_one(db.pool())
    .await;
    match result {
        Ok(id) => Ok(id),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Err(StoreError::Refused(Refusal::LoginTaken))
        }
        Err(e) => Err(e.into()),
    }
}

/// Sets a new password, keeps the old hash in the history and trims it to its depth.
pub async fn set_password(
    db: &Db,
    user_id: UserId,
    new_hash: &PasswordHash,
    must_change: bool,
) -> Result<(), StoreError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO password_history (user_id, password_hash, created_at) \
         SELECT id, password_hash, $2 FROM users WHERE id = $1",
    )
    .bind(user_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE users SET password_hash = $2, password_changed_at = $3, \
         must_change_password = $4 WHERE id = $1",
    )
    .bind(user_id)
    .bind(new_hash.as_phc())
    .bind(now)
    .bind(i64::from(must_change))
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "DELETE FROM password_history WHERE user_id = $1 AND id NOT IN \
         (SELECT id FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2)",
    )
    .bind(user_id)
    .bind(HISTORY_DEPTH)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn recent_password_hashes(
    db: &Db,
    user_id: UserId,
) -> Result<Vec<PasswordHash>, StoreError> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(HISTORY_DEPTH)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(PasswordHash::from_stored).collect())
}

/// A change to an account that may take away an active administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    Role(Role),
    Disabled(bool),
}

/// Applies the change unless it would leave no active administrator. The active
/// administrators are locked while the check and the change happen (PostgreSQL: `FOR
/// UPDATE`; SQLite: the writer's turn of `begin_write`), so two administrators demoting
/// each other at once cannot both succeed.
pub async fn change_account(
    tx: &mut crate::db::WriteTx,
    backend: crate::db::Backend,
    user_id: UserId,
    change: AccountChange,
) -> Result<(), StoreError> {
    let lock = match backend {
        crate::db::Backend::Postgres => " FOR UPDATE",
        crate::db::Backend::Sqlite => "",
    };
    let admins: Vec<UserId> = sqlx::query_scalar(&format!(
        "SELECT id FROM users WHERE role = 'administrator' AND disabled = 0 AND kind = 'person'{lock}"
    ))
    .fetch_all(&mut ***tx)
    .await?;
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND kind = 'person'")
            .bind(user_id)
            .fetch_optional(&mut ***tx)
            .await?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    let takes_an_admin_away = admins.contains(&user_id)
        && matches!(
            change,
            AccountChange::Role(Role::Consultant | Role::Manager) | AccountChange::Disabled(true)
        );
    if takes_an_admin_away && admins.iter().all(|id| *id == user_id) {
        return Err(StoreError::Refused(Refusal::LastAdministrator));
    }
    let query = match change {
        AccountChange::Role(role) => {
            sqlx::query("UPDATE users SET role = $1 WHERE id = $2").bind(role.as_str())
        }
        AccountChange::Disabled(disabled) => {
            sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2").bind(i64::from(disabled))
        }
    };
    query.bind(user_id).execute(&mut ***tx).await?;
    Ok(())
}

const POLICY_KEY: &str = "password_policy";

pub async fn load_policy(db: &Db) -> Result<PasswordPolicy, StoreError> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE setting_key = $1")
            .bind(POLICY_KEY)
            .fetch_optional(db.pool())
            .await?;
    Ok(stored
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

pub async fn save_policy(db: &Db, policy: &PasswordPolicy) -> Result<(), StoreError> {
    let json = serde_json::to_string(policy)
        .map_err(|_| StoreError::Inconsistent("encoding the password policy"))?;
    sqlx::query(
        "INSERT INTO settings (setting_key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (setting_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(POLICY_KEY)
    .bind(json)
    .bind(now_ms())
    .execute(db.pool())
    .await?;
    Ok(())
}
