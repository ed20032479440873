//! Consents in the database: definitions and their statement versions, decisions as
//! append-only events with the current one kept per contact, evidence files sealed
//! under the contact's key, and logged communications.

use crate::ids::{CaseId, ContactId, DefinitionId, UserId};
use crate::store_error::{Refusal, StoreError};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use super::model::{
    ConsentChannel, ConsentEvent, ConsentStatus, ContactCheck, Decision, Definition, EvidenceInfo,
    LegalBasis, Method, Purpose,
};
use crate::contacts::store::{open, seal};
use crate::db::now_ms;
use crate::vault::store::{load_key, tampered};
use crate::vault::{DataKey, Place, Vault};
use crate::webhooks::model::WebhookEvent;

const EVIDENCE: &str = "evidence_files";

fn flag(row: &sqlx::any::AnyRow, col: &str) -> Result<bool, sqlx::Error> {
    Ok(row.try_get::<i64, _>(col)? == 1)
}

fn definition(row: &sqlx::any::AnyRow) -> Result<Definition, sqlx::Error> {
    Ok(Definition {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        statement: row.try_get("statement")?,
        version: row.try_get("version")?,
        purpose: row.try_get("purpose")?,
        legal_basis: LegalBasis::parse(&row.try_get::<String, _>("legal_basis")?)
            .unwrap_or_default(),
        balancing_note: row.try_get("balancing_note")?,
        channel: ConsentChannel::parse(&row.try_get::<String, _>("channel")?).unwrap_or_default(),
        marketing: flag(row, "marketing")?,
        sharing: flag(row, "sharing")?,
        required: flag(row, "required")?,
        active: flag(row, "active")?,
        position: row.try_get("position")?,
    })
}

const DEFINITION_COLUMNS: &str = "d.id, d.name, v.statement, d.version, d.purpose, d.legal_basis, \
     d.balancing_note, d.channel, d.marketing, d.sharing, d.required, d.active, d.position";

/// Definitions in their order; only the active ones when `active_only`.
pub async fn definitions(
    conn: &mut AnyConnection,
    active_only: bool,
) -> Result<Vec<Definition>, StoreError> {
    let sql = format!(
        "SELECT {DEFINITION_COLUMNS} FROM consent_definitions d \
         JOIN consent_versions v ON v.definition_id = d.id AND v.version = d.version \
         {} ORDER BY d.position, d.id",
        if active_only {
            "WHERE d.active = 1"
        } else {
            ""
        }
    );
    let rows = sqlx::query(&sql).fetch_all(&mut *conn).await?;
    Ok(rows.iter().map(definition).collect::<Result<_, _>>()?)
}

/// Creates a definition, or updates one; a changed statement becomes a new version and
/// earlier grants keep the version the person heard.
pub async fn save_definition(
    conn: &mut AnyConnection,
    user_id: UserId,
    d: &Definition,
) -> Result<DefinitionId, StoreError> {
    let now = now_ms();
    let (id, version) = if d.id == DefinitionId::default() {
        let id: DefinitionId = sqlx::query_scalar(
            "INSERT INTO consent_definitions (name, purpose, legal_basis, balancing_note, channel, \
             marketing, required, active, position, version, created_by, created_at, updated_by, \
             updated_at, sharing) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $12, $13, $14) \
             RETURNING id",
        )
        .bind(&d.name)
        .bind(&d.purpose)
        .bind(d.legal_basis.as_str())
        .bind(&d.balancing_note)
        .bind(d.channel.as_str())
        .bind(i64::from(d.marketing))
        .bind(i64::from(d.required))
        .bind(i64::from(d.active))
        .bind(d.position)
        .bind(user_id)
        .bind(now)
        .bind(user_id)
        .bind(now)
        .bind(i64::from(d.sharing))
        .fetch_one(&mut *conn)
        .await?;
        (id, 1)
    } else {
        let current = sqlx::query(
            "SELECT d.version, v.statement FROM consent_definitions d \
             JOIN consent_versions v ON v.definition_id = d.id AND v.version = d.version WHERE d.id = $1",
        )
        .bind(d.id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut version: i64 = current.try_get("version")?;
        let statement: String = current.try_get("statement")?;
        let changed = statement != d.statement;
        if changed {
            version += 1;
        }
        sqlx::query(
            "UPDATE consent_definitions SET name = $1, purpose = $2, legal_basis = $3, \
             balancing_note = $4, channel = $5, marketing = $6, required = $7, active = $8, \
             position = $9, version = $10, updated_by = $11, updated_at = $12, sharing = $14 \
             WHERE id = $13",
        )
        .bind(&d.name)
        .bind(&d.purpose)
        .bind(d.legal_basis.as_str())
        .bind(&d.balancing_note)
        .bind(d.channel.as_str())
        .bind(i64::from(d.marketing))
        .bind(i64::from(d.required))
        .bind(i64::from(d.active))
        .bind(d.position)
        .bind(version)
        .bind(user_id)
        .bind(now)
        .bind(d.id)
        .bind(i64::from(d.sharing))
        .execute(&mut *conn)
        .await?;
        if !changed {
            return Ok(d.id);
        }
        (d.id, version)
    };
    sqlx::query(
        "INSERT INTO consent_versions (definition_id, version, statement, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(version)
    .bind(&d.statement)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Creates these definitions only while none exists (`None` otherwise): two managers
/// adopting the example set at once get one set.
pub async fn define_first(
    conn: &mut AnyConnection,
    backend: crate::db::Backend,
    user_id: UserId,
    set: &[Definition],
) -> Result<Option<Vec<DefinitionId>>, StoreError> {
    // SQLite's write transaction already runs alone; PostgreSQL's read committed would
    // let both see an empty table.
    if backend == crate::db::Backend::Postgres {
        sqlx::query("LOCK TABLE consent_definitions IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut *conn)
            .await?;
    }
    let any: Option<i64> = sqlx::query_scalar("SELECT id FROM consent_definitions LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    if any.is_some() {
        return Ok(None);
    }
    let mut ids = Vec::with_capacity(set.len());
    for d in set {
        ids.push(save_definition(conn, user_id, d).await?);
    }
    Ok(Some(ids))
}

/// Whether the person granted (and did not withdraw) a consent to sharing their data
/// with other entities: what a disclosure on the basis of consent needs.
pub async fn shares_by_consent(
    conn: &mut AnyConnection,
    contact_id: ContactId,
) -> Result<bool, StoreError> {
    let granted: Option<i64> = sqlx::query_scalar(
        "SELECT c.event_id FROM consent_current c JOIN consent_definitions d \
         ON d.id = c.definition_id WHERE c.contact_id = $1 AND d.sharing = 1 AND d.active = 1 \
         AND c.decision = 'granted' LIMIT 1",
    )
    .bind(contact_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(granted.is_some())
}

/// Every active consent of a contact with its current decision and full history.
pub async fn statuses(
    conn: &mut AnyConnection,
    key: Option<&DataKey>,
    contact_id: ContactId,
) -> Result<Vec<ConsentStatus>, StoreError> {
    let defs = definitions(conn, true).await?;
    if defs.is_empty() {
        return Ok(Vec::new());
    }
    let events = sqlx::query(
        "SELECT e.id, e.definition_id, e.decision, e.method, e.recorded_at, v.version, \
         u.display_name, f.id AS evidence_id, f.media_type, f.size_bytes, f.sha256, f.file_name, \
         e.import_id, i.name AS import_name \
         FROM consent_events e JOIN consent_versions v ON v.id = e.version_id \
         LEFT JOIN users u ON u.id = e.recorded_by \
         LEFT JOIN evidence_files f ON f.id = e.evidence_id \
         LEFT JOIN imports i ON i.id = e.import_id \
         WHERE e.contact_id = $1 ORDER BY e.id DESC",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await?;
    let objections = super::objection::open_for(conn, contact_id).await?;
    let mut out = Vec::with_capacity(defs.len());
    for d in defs {
        let mut history = Vec::new();
        for row in events
            .iter()
            .filter(|r| r.try_get::<DefinitionId, _>("definition_id").ok() == Some(d.id))
        {
            let evidence = match row.try_get::<Option<i64>, _>("evidence_id")? {
                Some(id) => {
                    let name = open(
                        key,
                        Place::new(EVIDENCE, "file_name", id),
                        row.try_get("file_name")?,
                    )
                    .map_err(tampered)?;
                    Some(EvidenceInfo {
                        id,
                        media_type: row.try_get("media_type")?,
                        size_bytes: row.try_get("size_bytes")?,
                        sha256: row.try_get("sha256")?,
                        file_name: (!name.is_empty()).then_some(name),
                    })
                }
                None => None,
            };
            history.push(ConsentEvent {
                id: row.try_get("id")?,
                decision: Decision::parse(&row.try_get::<String, _>("decision")?)
                    .unwrap_or_default(),
                method: Method::parse(&row.try_get::<String, _>("method")?).unwrap_or_default(),
                version: row.try_get("version")?,
                recorded_by: row.try_get("display_name")?,
                recorded_at: row.try_get("recorded_at")?,
                evidence,
                import: match row.try_get::<Option<i64>, _>("import_id")? {
                    Some(id) => Some((
                        id,
                        row.try_get::<Option<String>, _>("import_name")?
                            .unwrap_or_default(),
                    )),
                    None => None,
                },
            });
        }
        out.push(ConsentStatus {
            definition_id: d.id,
            name: d.name,
            statement: d.statement,
            version: d.version,
            channel: d.channel,
            marketing: d.marketing,
            required: d.required,
            decision: history.first().map(|e| e.decision),
            history,
            legal_basis: d.legal_basis,
            objected_at: objections.get(&d.id).copied(),
        });
    }
    Ok(out)
}

/// An uploaded evidence file, already sniffed.
pub struct Evidence {
    pub file_name: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Records a grant, refusal or withdrawal of a consent on the statement version in
/// force, with optional evidence: a recording (MP3, WAV, OGG, up to 20 MB) or an e-mail
/// (`.eml`). A multipart form, so the file can travel beside the fields. Answers the
/// contact's consents afterwards.
///
/// (`consent_record` reads its form into this; the integrator API's document is
/// derived from it.)
#[derive(schemars::JsonSchema)]
pub struct NewDecision {
    pub contact_id: ContactId,
    pub definition_id: DefinitionId,
    pub decision: Decision,
    /// How the person expressed it.
    pub method: Method,
    /// The case it was given in, if any.
    pub case_id: Option<CaseId>,
    /// The statement version the person was shown or read; the version in force when
    /// left out.
    pub statement_version: Option<i64>,
    #[schemars(with = "Option<EvidenceFile>")]
    pub evidence: Option<Evidence>,
}

/// A file part of a multipart form.
pub struct EvidenceFile;

impl schemars::JsonSchema for EvidenceFile {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EvidenceFile".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "binary",
            "contentMediaType": "application/octet-stream",
            "description": "The evidence file; its type is read from its content.",
        })
    }
}

/// Records a decision, with its evidence, on the statement version the person was
/// shown (the one in force unless the decision names another). `user_id` is `None` for
/// a decision the person recorded themselves (a withdrawal link).
pub async fn record(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: Option<UserId>,
    new: NewDecision,
) -> Result<(), StoreError> {
    let key = load_key(conn, vault, new.contact_id)
        .await?
        .ok_or(StoreError::Refused(Refusal::ContactErased))?;
    let statement = statement_version(conn, new.definition_id, new.statement_version).await?;
    let version_id = statement.version_id;
    if let Some(case_id) = new.case_id {
        let owner: Option<ContactId> =
            sqlx::query_scalar("SELECT contact_id FROM cases WHERE id = $1")
                .bind(case_id)
                .fetch_optional(&mut *conn)
                .await?;
        if owner != Some(new.contact_id) {
            return Err(StoreError::Refused(Refusal::Missing { field: "case_id" }));
        }
    }
    let now = now_ms();
    let evidence_id = match &new.evidence {
        None => None,
        Some(file) => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO evidence_files (contact_id, media_type, size_bytes, sha256, uploaded_by, \
                 uploaded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(new.contact_id)
            .bind(file.media_type)
            .bind(file.bytes.len() as i64)
            .bind(hex::encode(Sha256::digest(&file.bytes)))
            .bind(user_id)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
            sqlx::query("UPDATE evidence_files SET file_name = $1, content = $2 WHERE id = $3")
                .bind(seal(
                    &key,
                    Place::new(EVIDENCE, "file_name", id),
                    &file.file_name,
                ))
                .bind(key.seal(Place::new(EVIDENCE, "content", id), &file.bytes))
                .bind(id)
                .execute(&mut *conn)
                .await?;
            Some(id)
        }
    };
    let event_id: i64 = sqlx::query_scalar(
        "INSERT INTO consent_events (contact_id, definition_id, version_id, decision, method, case_id, \
         evidence_id, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(new.contact_id)
    .bind(new.definition_id)
    .bind(version_id)
    .bind(new.decision.as_str())
    .bind(new.method.as_str())
    .bind(new.case_id)
    .bind(evidence_id)
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO consent_current (contact_id, definition_id, decision, event_id) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (contact_id, definition_id) \
         DO UPDATE SET decision = excluded.decision, event_id = excluded.event_id",
    )
    .bind(new.contact_id)
    .bind(new.definition_id)
    .bind(new.decision.as_str())
    .bind(event_id)
    .execute(&mut *conn)
    .await?;
    if new.decision == Decision::Withdrawn {
        let payload = serde_json::json!({
            "contact_id": new.contact_id,
            "definition_id": new.definition_id,
            "channel": statement.channel,
        });
        crate::webhooks::store::enqueue(conn, WebhookEvent::ConsentWithdrawn, &payload).await?;
    }
    Ok(())
}

/// A statement version of an active definition, as the person saw it.
pub struct Statement {
    pub version_id: i64,
    pub definition_name: String,
    pub channel: String,
    pub text: String,
}

/// The statement of an active definition: the version asked for, or the one in force.
/// A missing definition or version is refused by name.
pub async fn statement_version(
    conn: &mut AnyConnection,
    definition_id: DefinitionId,
    version: Option<i64>,
) -> Result<Statement, StoreError> {
    let definition = sqlx::query(
        "SELECT name, version, channel FROM consent_definitions WHERE id = $1 AND active = 1",
    )
    .bind(definition_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::Refused(Refusal::Missing {
        field: "definition_id",
    }))?;
    let in_force: i64 = definition.try_get("version")?;
    let row = sqlx::query(
        "SELECT id, statement FROM consent_versions WHERE definition_id = $1 AND version = $2",
    )
    .bind(definition_id)
    .bind(version.unwrap_or(in_force))
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::Refused(Refusal::Missing {
        field: "statement_version",
    }))?;
    Ok(Statement {
        version_id: row.try_get("id")?,
        definition_name: definition.try_get("name")?,
        channel: definition.try_get("channel")?,
        text: row.try_get("statement")?,
    })
}

/// The channel of an active definition and the contact's latest decision on it.
pub async fn decision_on(
    conn: &mut AnyConnection,
    contact_id: ContactId,
    definition_id: DefinitionId,
) -> Result<(ConsentChannel, Option<Decision>), StoreError> {
    let row = sqlx::query(
        "SELECT d.channel, c.decision FROM consent_definitions d LEFT JOIN consent_current c \
         ON c.definition_id = d.id AND c.contact_id = $1 WHERE d.id = $2 AND d.active = 1",
    )
    .bind(contact_id)
    .bind(definition_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::Refused(Refusal::Missing {
        field: "definition_id",
    }))?;
    let channel = ConsentChannel::parse(&row.try_get::<String, _>("channel")?).ok_or(
        StoreError::Inconsistent("a definition's channel is unknown"),
    )?;
    let decision = row
        .try_get::<Option<String>, _>("decision")?
        .and_then(|d| Decision::parse(&d));
    Ok((channel, decision))
}

/// Takes the contact's "granted" decision on a definition for this transaction: `true`
/// when it was granted (and now no other transaction can withdraw it at the same time;
/// on PostgreSQL the row stays locked until commit, SQLite has one writer anyway).
pub async fn lock_granted(
    conn: &mut AnyConnection,
    contact_id: ContactId,
    definition_id: DefinitionId,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE consent_current SET decision = decision \
         WHERE contact_id = $1 AND definition_id = $2 AND decision = 'granted'",
    )
    .bind(contact_id)
    .bind(definition_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Names of the active required consents the contact has no decision on.
pub async fn missing_required(
    conn: &mut AnyConnection,
    contact_id: ContactId,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT d.name FROM consent_definitions d LEFT JOIN consent_current c \
         ON c.definition_id = d.id AND c.contact_id = $1 \
         WHERE d.active = 1 AND d.required = 1 AND c.decision IS NULL ORDER BY d.position, d.id",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// A call, e-mail or SMS with a contact, or an attempt at one.
pub struct Communication<'a> {
    pub contact_id: ContactId,
    pub channel: ConsentChannel,
    pub purpose: Purpose,
    pub user_id: Option<UserId>,
    pub note: &'a str,
}

/// Logs a communication, done or blocked as the check said; the note is sealed under
/// the contact's key.
pub async fn log_communication(
    conn: &mut AnyConnection,
    key: Option<&DataKey>,
    entry: &Communication<'_>,
    check: &ContactCheck,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO communications (contact_id, channel, purpose, outcome, reason, user_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(entry.contact_id)
    .bind(entry.channel.as_str())
    .bind(entry.purpose.as_str())
    .bind(if check.allowed { "done" } else { "blocked" })
    .bind(check.reason.map(|r| r.as_str()))
    .bind(entry.user_id)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?;
    if let (Some(key), false) = (key, entry.note.is_empty()) {
        sqlx::query("UPDATE communications SET note = $1 WHERE id = $2")
            .bind(seal(
                key,
                Place::new("communications", "note", id),
                entry.note,
            ))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// An evidence file, opened: media type, file name and content.
pub async fn load_evidence(
    conn: &mut AnyConnection,
    vault: &Vault,
    id: i64,
) -> Result<(ContactId, String, String, Vec<u8>), StoreError> {
    let row = sqlx::query(
        "SELECT contact_id, media_type, file_name, content FROM evidence_files WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let contact_id: ContactId = row.try_get("contact_id")?;
    let key = load_key(conn, vault, contact_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let content: Option<Vec<u8>> = row.try_get("content")?;
    let content = content.ok_or(StoreError::NotFound)?;
    let bytes = key
        .open(Place::new(EVIDENCE, "content", id), &content)
        .map_err(tampered)?;
    let name = open(
        Some(&key),
        Place::new(EVIDENCE, "file_name", id),
        row.try_get("file_name")?,
    )
    .map_err(tampered)?;
    Ok((contact_id, row.try_get("media_type")?, name, bytes))
}

pub async fn set_objection(
    conn: &mut AnyConnection,
    contact_id: ContactId,
    objected: bool,
) -> Result<(), StoreError> {
    // An objection keeps the time it was first made; saying it again changes nothing
    // and announces nothing.
    let done = if objected {
        sqlx::query(
            "UPDATE contacts SET marketing_objection_at = $1 \
             WHERE id = $2 AND marketing_objection_at IS NULL",
        )
        .bind(now_ms())
        .bind(contact_id)
        .execute(&mut *conn)
        .await?
    } else {
        sqlx::query("UPDATE contacts SET marketing_objection_at = NULL WHERE id = $1")
            .bind(contact_id)
            .execute(&mut *conn)
            .await?
    };
    if done.rows_affected() == 1 {
        if objected {
            let payload = serde_json::json!({ "contact_id": contact_id });
            crate::webhooks::store::enqueue(conn, WebhookEvent::MarketingObjection, &payload)
                .await?;
        }
        return Ok(());
    }
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_optional(&mut *conn)
        .await?;
    exists.map(|_| ()).ok_or(StoreError::NotFound)
}
