//! Gathering a person's copy, and the record of each copy handed out. Reads what the
//! card and the history read; only `subject_exports` is written here.

use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use super::model::*;
use crate::consents::model::{ConsentChannel, Decision, LegalBasis, Method};
use crate::db::now_ms;
use crate::history::model::ActivityDetail;
use crate::ids::{ContactId, UserId};
use crate::store_error::{Doing, StoreError};
use crate::vault::store::tampered;
use crate::vault::{DataKey, Place, Vault};

/// Everything held about the contact, opened with its key. An erased contact's copy
/// says so and holds no personal value (there is none left to give).
pub async fn gather(
    conn: &mut AnyConnection,
    vault: &Vault,
    contact_id: ContactId,
) -> Result<SubjectData, StoreError> {
    let (card, key) = crate::contacts::store::load(conn, vault, contact_id).await?;
    let key = key.as_ref();
    let changes = crate::history::store::changes(conn, key, contact_id).await?;
    let activities = crate::history::store::activities(conn, &changes, contact_id).await?;
    let cases = crate::cases::store::list_for_contact(conn, key, contact_id).await?;
    let restriction = crate::restriction::store::current(conn, key, contact_id).await?;
    let erasure = crate::erasure::store::latest(conn, contact_id).await?;
    Ok(SubjectData {
        format: FORMAT.to_string(),
        generated_at: now_ms(),
        contact_id,
        state: card.state,
        data: card.data,
        source: card.source,
        created_at: card.created_at,
        updated_at: card.updated_at,
        consents: consents(conn, key, contact_id).await?,
        marketing_objection: card.marketing_objection,
        restriction: restriction.map(|r| SubjectRestriction {
            ground: r.ground,
            since: r.restricted_at,
        }),
        erasure: erasure.map(|e| SubjectErasure {
            ground: e.ground,
            state: e.state,
            requested_at: e.requested_at,
            decided_at: e.decided_at,
            refusal_reason: e.refusal_reason,
        }),
        changes: changes
            .into_iter()
            .map(|c| SubjectChange {
                field: c.field,
                old_value: c.old_value,
                new_value: c.new_value,
                source: c.source,
                reason: c.reason,
                changed_at: c.changed_at,
            })
            .collect(),
        cases: cases
            .into_iter()
            .map(|c| SubjectCase {
                id: c.id,
                subject: c.subject,
                status: c.status,
                channel: c.channel,
                updated_at: c.updated_at,
            })
            .collect(),
        // Field changes are listed one by one above; the rest is what happened.
        activities: activities
            .into_iter()
            .filter(|a| !matches!(a.detail, ActivityDetail::FieldsChanged { .. }))
            .map(|a| SubjectActivity {
                at: a.at,
                detail: for_the_person(a.detail),
            })
            .collect(),
        retention: retention(conn, contact_id).await?,
    })
}

/// How long the data is kept, rule by rule, in Polish (the document's language); `None`
/// while no rule applies.
async fn retention(
    conn: &mut AnyConnection,
    contact_id: ContactId,
) -> Result<Option<String>, StoreError> {
    use crate::i18n::{Lang, Msg};
    let rules = crate::retention::store::applying(conn, contact_id).await?;
    if rules.is_empty() {
        return Ok(None);
    }
    let lines: Vec<String> = rules
        .into_iter()
        .map(|(rule, end)| {
            let until = match end {
                Some(at) => format!(
                    "{} {}",
                    Msg::SubjectDocRetentionUntil.text(Lang::Pl),
                    &crate::time_fmt::format_utc(at)[..10]
                ),
                None => Msg::SubjectDocRetentionOngoing.text(Lang::Pl).to_string(),
            };
            format!(
                "{}: {} {} {} {} ({}); {}.",
                rule.name,
                rule.months,
                Msg::RetentionMonthsShort.text(Lang::Pl),
                rule.days,
                Msg::RetentionDaysShort.text(Lang::Pl),
                rule.scope.label().text(Lang::Pl),
                until
            )
        })
        .collect();
    Ok(Some(lines.join(" ")))
}

/// A disclosure that covered several people keeps its recipient, fields, basis and date
/// in this person's copy, but not its purpose: staff write it once for all of them, and
/// it may name one of the others.
fn for_the_person(detail: ActivityDetail) -> ActivityDetail {
    match detail {
        ActivityDetail::Disclosure {
            recipient,
            fields,
            purpose,
            legal_basis,
            covered,
        } => ActivityDetail::Disclosure {
            recipient,
            fields,
            purpose: if covered > 1 { String::new() } else { purpose },
            legal_basis,
            covered,
        },
        other => other,
    }
}

/// Every decision on every consent definition, retired ones included, each with the
/// statement text the person heard.
async fn consents(
    conn: &mut AnyConnection,
    key: Option<&DataKey>,
    contact_id: ContactId,
) -> Result<Vec<SubjectConsent>, StoreError> {
    let rows = sqlx::query(
        "SELECT d.id AS definition_id, d.name, d.purpose, d.legal_basis, d.channel, d.marketing, \
         e.decision, e.method, e.recorded_at, v.version, v.statement, \
         f.id AS evidence_id, f.media_type, f.file_name \
         FROM consent_events e JOIN consent_definitions d ON d.id = e.definition_id \
         JOIN consent_versions v ON v.id = e.version_id \
         LEFT JOIN evidence_files f ON f.id = e.evidence_id \
         WHERE e.contact_id = $1 ORDER BY d.position, d.id, e.id DESC",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await
    .doing("reading a person's consent decisions")?;
    let mut out: Vec<(i64, SubjectConsent)> = Vec::new();
    for r in rows {
        let definition: i64 = r.try_get("definition_id")?;
        let evidence = match r.try_get::<Option<i64>, _>("evidence_id")? {
            None => None,
            Some(id) => {
                let name = crate::contacts::store::open(
                    key,
                    Place::new("evidence_files", "file_name", id),
                    r.try_get("file_name")?,
                )
                .map_err(tampered)?;
                let media: String = r.try_get("media_type")?;
                Some(if name.is_empty() {
                    media
                } else {
                    format!("{name} ({media})")
                })
            }
        };
        let decision = SubjectDecision {
            decision: Decision::parse(&r.try_get::<String, _>("decision")?).unwrap_or_default(),
            method: Method::parse(&r.try_get::<String, _>("method")?).unwrap_or_default(),
            recorded_at: r.try_get("recorded_at")?,
            statement_version: r.try_get("version")?,
            statement: r.try_get("statement")?,
            evidence,
        };
        match out.iter_mut().find(|(d, _)| *d == definition) {
            Some((_, consent)) => consent.decisions.push(decision),
            None => out.push((
                definition,
                SubjectConsent {
                    name: r.try_get("name")?,
                    purpose: r.try_get("purpose")?,
                    legal_basis: LegalBasis::parse(&r.try_get::<String, _>("legal_basis")?)
                        .unwrap_or_default(),
                    channel: ConsentChannel::parse(&r.try_get::<String, _>("channel")?)
                        .unwrap_or_default(),
                    marketing: r.try_get::<i64, _>("marketing")? == 1,
                    // Newest first: the first decision read is the one in force.
                    decision: Some(decision.decision),
                    decisions: vec![decision],
                },
            )),
        }
    }
    Ok(out.into_iter().map(|(_, c)| c).collect())
}

/// Records that a copy was handed out: who, when, in which form, and the SHA-256 of
/// exactly what left (the ZIP, or the JSON an integrator got).
pub async fn record_export(
    conn: &mut AnyConnection,
    user_id: UserId,
    contact_id: ContactId,
    form: &str,
    bytes: &[u8],
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO subject_exports (contact_id, exported_by, exported_at, form, sha256) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(contact_id)
    .bind(user_id)
    .bind(now_ms())
    .bind(form)
    .bind(hex::encode(Sha256::digest(bytes)))
    .execute(&mut *conn)
    .await
    .doing("recording a copy of a person's data")?;
    Ok(())
}

/// The copies handed out, for the person's activities: (when, form, who made it).
pub async fn exports_of(
    conn: &mut AnyConnection,
    contact_id: ContactId,
) -> Result<Vec<(i64, String, Option<String>)>, StoreError> {
    sqlx::query_as(
        "SELECT s.exported_at, s.form, u.display_name FROM subject_exports s \
         LEFT JOIN users u ON u.id = s.exported_by WHERE s.contact_id = $1",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await
    .doing("reading the copies of a person's data")
}
