//! The register's own tables (settings, per-purpose additions, versions) and the
//! document generated from the other features' records, which it only reads.

use sqlx::{AnyConnection, Row};

use super::model::{
    definition_key, Activity, RegisterDocument, RegisterRecipient, RegisterVersion, CASES_KEY,
};
use crate::consents::model::{ConsentChannel, LegalBasis};
use crate::i18n::{Lang, Msg};
use crate::ids::UserId;
use crate::retention::model::{RetentionRule, RetentionScope};
use crate::store_error::StoreError;

fn pl(msg: Msg) -> String {
    msg.text(Lang::Pl).to_string()
}

/// What Zgoda proposes until a manager writes the categories of data for a purpose.
fn suggested_data(channel: Option<ConsentChannel>) -> String {
    pl(match channel {
        Some(ConsentChannel::Email) => Msg::RegisterDataEmail,
        Some(ConsentChannel::Call | ConsentChannel::Sms | ConsentChannel::AutomatedCall) => {
            Msg::RegisterDataPhone
        }
        Some(ConsentChannel::Any) => Msg::RegisterDataContact,
        None => Msg::RegisterDataCases,
    })
}

fn retention_line(rule: &RetentionRule) -> String {
    format!(
        "{}: {} mies., {} dni — {}; {}",
        rule.name,
        rule.months,
        rule.days,
        pl(rule.scope.label()),
        pl(rule.outcome.label())
    )
}

/// The register as the records stand now.
pub async fn generate(conn: &mut AnyConnection, now: i64) -> Result<RegisterDocument, StoreError> {
    let settings = sqlx::query(
        "SELECT controller, dpo, security_measures FROM register_settings WHERE id = 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    let mut doc = RegisterDocument {
        generated_at: now,
        ..RegisterDocument::default()
    };
    if let Some(s) = settings {
        doc.controller = s.try_get(0)?;
        doc.dpo = s.try_get(1)?;
        doc.security_measures = s.try_get(2)?;
    }
    let additions: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT purpose_key, data_categories, subject_categories FROM register_purposes",
    )
    .fetch_all(&mut *conn)
    .await?;
    let rules: Vec<RetentionRule> = crate::retention::store::rules(conn)
        .await?
        .into_iter()
        .filter(|r| r.active)
        .collect();
    let definitions = sqlx::query(
        "SELECT id, name, purpose, legal_basis, channel, active FROM consent_definitions \
         ORDER BY active DESC, position, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let activity = |key: String,
                    name: String,
                    purpose: String,
                    basis: LegalBasis,
                    channel: Option<ConsentChannel>,
                    retention: Vec<String>,
                    active: bool| {
        let added = additions.iter().find(|(k, _, _)| *k == key);
        let data = added.map(|a| a.1.clone()).filter(|v| !v.is_empty());
        let people = added.map(|a| a.2.clone()).filter(|v| !v.is_empty());
        Activity {
            data_suggested: data.is_none(),
            people_suggested: people.is_none(),
            data_categories: data.unwrap_or_else(|| suggested_data(channel)),
            subject_categories: people.unwrap_or_else(|| pl(Msg::RegisterPeopleSuggested)),
            key,
            name,
            purpose,
            legal_basis: pl(basis.label()),
            retention,
            active,
        }
    };
    for d in &definitions {
        let id: i64 = d.try_get("id")?;
        let retention = rules
            .iter()
            .filter(|r| {
                r.scope == RetentionScope::Consent && r.definition_id.map(|v| v.get()) == Some(id)
            })
            .map(retention_line)
            .collect();
        doc.activities.push(activity(
            definition_key(id),
            d.try_get("name")?,
            d.try_get("purpose")?,
            LegalBasis::parse(&d.try_get::<String, _>("legal_basis")?).unwrap_or_default(),
            ConsentChannel::parse(&d.try_get::<String, _>("channel")?),
            retention,
            d.try_get::<i64, _>("active")? == 1,
        ));
    }
    let cases_retention = rules
        .iter()
        .filter(|r| r.scope == RetentionScope::Cases)
        .map(retention_line)
        .collect();
    doc.activities.push(activity(
        CASES_KEY.to_string(),
        pl(Msg::RegisterCasesName),
        pl(Msg::RegisterCasesPurpose),
        LegalBasis::Contract,
        None,
        cases_retention,
        true,
    ));
    doc.other_retention = rules
        .iter()
        .filter(|r| matches!(r.scope, RetentionScope::Source | RetentionScope::NoPurpose))
        .map(retention_line)
        .collect();
    // The organisation itself (the recipient of its own exports) is no recipient in
    // the sense of Art. 4(9).
    let internal: Vec<i64> = sqlx::query_scalar("SELECT id FROM recipients WHERE internal = 1")
        .fetch_all(&mut *conn)
        .await?;
    for r in crate::recipients::store::list(conn).await? {
        if internal.contains(&r.id.get()) {
            continue;
        }
        doc.recipients.push(RegisterRecipient {
            role: pl(r.role.label()),
            agreement_signed_on: r
                .agreements
                .iter()
                .map(|a| a.signed_on.clone())
                .max()
                .unwrap_or_default(),
            name: r.name,
            nip: r.nip,
            transfer: r.transfer,
            active: r.active,
        });
    }
    Ok(doc)
}

pub async fn save_settings(
    conn: &mut AnyConnection,
    user: UserId,
    controller: &str,
    dpo: &str,
    security_measures: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO register_settings (id, controller, dpo, security_measures, updated_by, \
         updated_at) VALUES (1, $1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET \
         controller = excluded.controller, dpo = excluded.dpo, \
         security_measures = excluded.security_measures, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(controller)
    .bind(dpo)
    .bind(security_measures)
    .bind(user.get())
    .bind(crate::db::now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A manager's categories for one purpose; an unknown purpose is not found.
pub async fn save_purpose(
    conn: &mut AnyConnection,
    user: UserId,
    key: &str,
    data_categories: &str,
    subject_categories: &str,
) -> Result<(), StoreError> {
    let key = if key == CASES_KEY {
        CASES_KEY.to_string()
    } else {
        let id = key
            .strip_prefix("zgoda-")
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|v| v.parse::<i64>().ok())
            .ok_or(StoreError::NotFound)?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM consent_definitions WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        // Stored as the register names it, whatever leading zeros came in.
        definition_key(id)
    };
    sqlx::query(
        "INSERT INTO register_purposes (purpose_key, data_categories, subject_categories, \
         updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (purpose_key) DO \
         UPDATE SET data_categories = excluded.data_categories, \
         subject_categories = excluded.subject_categories, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(&key)
    .bind(data_categories)
    .bind(subject_categories)
    .bind(user.get())
    .bind(crate::db::now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Keeps the register as it stands now as the next version; returns its number.
pub async fn save_version(
    conn: &mut AnyConnection,
    backend: crate::db::Backend,
    user: UserId,
    now: i64,
) -> Result<i64, StoreError> {
    // Numbers are taken one save at a time: SQLite's write transaction runs alone,
    // PostgreSQL's read committed would let two saves read the same maximum.
    if backend == crate::db::Backend::Postgres {
        sqlx::query("LOCK TABLE register_versions IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut *conn)
            .await?;
    }
    let doc = generate(conn, now).await?;
    let json = serde_json::to_string(&doc).map_err(|_| StoreError::Inconsistent("register"))?;
    let last: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM register_versions")
        .fetch_one(&mut *conn)
        .await?;
    let version = last.unwrap_or(0) + 1;
    sqlx::query(
        "INSERT INTO register_versions (version, document, created_by, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(version)
    .bind(json)
    .bind(user.get())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(version)
}

pub async fn versions(conn: &mut AnyConnection) -> Result<Vec<RegisterVersion>, StoreError> {
    let rows = sqlx::query(
        "SELECT v.version, v.created_at, u.display_name FROM register_versions v \
         LEFT JOIN users u ON u.id = v.created_by ORDER BY v.version DESC",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(RegisterVersion {
                version: r.try_get(0)?,
                created_at: r.try_get(1)?,
                created_by: r.try_get(2)?,
            })
        })
        .collect()
}

/// A saved version, as it was saved.
pub async fn version(
    conn: &mut AnyConnection,
    number: i64,
) -> Result<(RegisterVersion, RegisterDocument), StoreError> {
    let row = sqlx::query(
        "SELECT v.version, v.created_at, u.display_name, v.document FROM register_versions v \
         LEFT JOIN users u ON u.id = v.created_by WHERE v.version = $1",
    )
    .bind(number)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let doc: RegisterDocument = serde_json::from_str(&row.try_get::<String, _>(3)?)
        .map_err(|_| StoreError::Inconsistent("a saved register version does not parse"))?;
    Ok((
        RegisterVersion {
            version: row.try_get(0)?,
            created_at: row.try_get(1)?,
            created_by: row.try_get(2)?,
        },
        doc,
    ))
}
