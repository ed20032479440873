//! Recipients, their processor agreements and sharing scopes, and the disclosure log.

use crate::ids::{AgreementId, ContactId, DisclosureId, RecipientId, UserId};
use crate::store_error::{Refusal, StoreError};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use super::model::{Agreement, Disclosure, Recipient, RecipientRole, ScopeEntry};
use crate::consents::model::LegalBasis;
use crate::db::{now_ms, placeholders};
use crate::i18n::Msg;

pub async fn list(conn: &mut AnyConnection) -> Result<Vec<Recipient>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, name, nip, role, active, transfer FROM recipients ORDER BY name, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let scopes: Vec<(RecipientId, String, String)> =
        sqlx::query_as("SELECT recipient_id, field, legal_basis FROM sharing_scopes")
            .fetch_all(&mut *conn)
            .await?;
    let agreements = sqlx::query(
        "SELECT id, recipient_id, subject_duration, nature_purpose, data_types, subject_categories, \
         obligations_rights, signed_on, document_type, document_sha256 FROM processor_agreements ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let id: RecipientId = r.try_get("id")?;
        let mut recipient = Recipient {
            id,
            name: r.try_get("name")?,
            nip: r.try_get("nip")?,
            role: RecipientRole::parse(&r.try_get::<String, _>("role")?).unwrap_or_default(),
            active: r.try_get::<i64, _>("active")? == 1,
            scope: scopes
                .iter()
                .filter(|(rid, _, _)| *rid == id)
                .map(|(_, field, basis)| ScopeEntry {
                    field: field.clone(),
                    legal_basis: LegalBasis::parse(basis).unwrap_or_default(),
                })
                .collect(),
            agreements: Vec::new(),
            transfer: r.try_get("transfer")?,
        };
        for a in agreements
            .iter()
            .filter(|a| a.try_get::<RecipientId, _>("recipient_id").ok() == Some(id))
        {
            recipient.agreements.push(Agreement {
                id: a.try_get("id")?,
                subject_duration: a.try_get("subject_duration")?,
                nature_purpose: a.try_get("nature_purpose")?,
                data_types: a.try_get("data_types")?,
                subject_categories: a.try_get("subject_categories")?,
                obligations_rights: a.try_get("obligations_rights")?,
                signed_on: a.try_get("signed_on")?,
                document_type: a.try_get("document_type")?,
                document_sha256: a.try_get("document_sha256")?,
            });
        }
        out.push(recipient);
    }
    Ok(out)
}

/// Creates or edits a recipient and replaces its sharing scope.
pub async fn save(
    conn: &mut AnyConnection,
    user_id: UserId,
    r: &Recipient,
) -> Result<RecipientId, StoreError> {
    let id = if r.id == RecipientId::default() {
        sqlx::query_scalar(
            "INSERT INTO recipients (name, nip, role, active, created_by, created_at, transfer) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&r.name)
        .bind(&r.nip)
        .bind(r.role.as_str())
        .bind(i64::from(r.active))
        .bind(user_id)
        .bind(now_ms())
        .bind(&r.transfer)
        .fetch_one(&mut *conn)
        .await?
    } else {
        let done = sqlx::query(
            "UPDATE recipients SET name = $1, nip = $2, role = $3, active = $4, transfer = $5 \
             WHERE id = $6",
        )
        .bind(&r.name)
        .bind(&r.nip)
        .bind(r.role.as_str())
        .bind(i64::from(r.active))
        .bind(&r.transfer)
        .bind(r.id)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        r.id
    };
    sqlx::query("DELETE FROM sharing_scopes WHERE recipient_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for entry in &r.scope {
        sqlx::query(
            "INSERT INTO sharing_scopes (recipient_id, field, legal_basis) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(&entry.field)
        .bind(entry.legal_basis.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// A signed agreement document, checked to be a PDF.
pub struct Document {
    pub bytes: Vec<u8>,
}

pub async fn add_agreement(
    conn: &mut AnyConnection,
    user_id: UserId,
    recipient_id: RecipientId,
    a: &Agreement,
    document: Option<Document>,
) -> Result<AgreementId, StoreError> {
    let role: Option<String> = sqlx::query_scalar("SELECT role FROM recipients WHERE id = $1")
        .bind(recipient_id)
        .fetch_optional(&mut *conn)
        .await?;
    match role.as_deref() {
        None => return Err(StoreError::NotFound),
        Some("processor") => {}
        Some(_) => {
            return Err(StoreError::Refused(Refusal::Field {
                field: "recipient_id",
                msg: Msg::ErrAgreementProcessorOnly,
            }))
        }
    }
    let (bytes, kind, sha) = match document {
        Some(d) => {
            let sha = hex::encode(Sha256::digest(&d.bytes));
            (Some(d.bytes), Some("application/pdf"), Some(sha))
        }
        None => (None, None, None),
    };
    Ok(sqlx::query_scalar(
        "INSERT INTO processor_agreements (recipient_id, subject_duration, nature_purpose, data_types, \
         subject_categories, obligations_rights, signed_on, document, document_type, document_sha256, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(recipient_id)
    .bind(&a.subject_duration)
    .bind(&a.nature_purpose)
    .bind(&a.data_types)
    .bind(&a.subject_categories)
    .bind(&a.obligations_rights)
    .bind(&a.signed_on)
    .bind(bytes)
    .bind(kind)
    .bind(sha)
    .bind(user_id)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?)
}

pub async fn document(
    conn: &mut AnyConnection,
    agreement_id: AgreementId,
) -> Result<Vec<u8>, StoreError> {
    let doc: Option<Option<Vec<u8>>> =
        sqlx::query_scalar("SELECT document FROM processor_agreements WHERE id = $1")
            .bind(agreement_id)
            .fetch_optional(&mut *conn)
            .await?;
    doc.flatten().ok_or(StoreError::NotFound)
}

/// A processor agreement signed on or before today (in Poland, where it was signed).
async fn agreement_in_force(
    conn: &mut AnyConnection,
    recipient_id: RecipientId,
) -> Result<bool, StoreError> {
    let today = crate::time_fmt::poland_date(now_ms());
    let signed: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM processor_agreements WHERE recipient_id = $1 AND signed_on <> '' \
         AND signed_on <= $2 LIMIT 1",
    )
    .bind(recipient_id)
    .bind(&today)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(signed.is_some())
}

pub struct NewDisclosure<'a> {
    pub recipient_id: RecipientId,
    pub contact_ids: &'a [ContactId],
    pub fields: &'a [String],
    pub purpose: &'a str,
}

/// Records a disclosure; fields outside the recipient's scope are refused, by name.
pub async fn disclose(
    conn: &mut AnyConnection,
    user_id: UserId,
    d: &NewDisclosure<'_>,
) -> Result<DisclosureId, StoreError> {
    let recipient: Option<(i64, String)> =
        sqlx::query_as("SELECT active, role FROM recipients WHERE id = $1")
            .bind(d.recipient_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((1, role)) = recipient else {
        return Err(StoreError::Refused(Refusal::Missing {
            field: "recipient_id",
        }));
    };
    // Art. 28(3): a processor receives data only under a signed agreement.
    if RecipientRole::parse(&role) == Some(RecipientRole::Processor)
        && !agreement_in_force(conn, d.recipient_id).await?
    {
        return Err(StoreError::Refused(Refusal::Field {
            field: "recipient_id",
            msg: Msg::ErrNoAgreementInForce,
        }));
    }
    let scope: Vec<(String, String)> =
        sqlx::query_as("SELECT field, legal_basis FROM sharing_scopes WHERE recipient_id = $1")
            .bind(d.recipient_id)
            .fetch_all(&mut *conn)
            .await?;
    let mut bases: Vec<&str> = Vec::new();
    for field in d.fields {
        let Some((_, basis)) = scope.iter().find(|(f, _)| f == field) else {
            return Err(StoreError::Refused(Refusal::OutsideScope(field.clone())));
        };
        if !bases.contains(&basis.as_str()) {
            bases.push(basis);
        }
    }
    for contact_id in d.contact_ids {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM contacts WHERE id = $1 AND state <> 'erased'")
                .bind(contact_id)
                .fetch_optional(&mut *conn)
                .await?;
        if found.is_none() {
            return Err(StoreError::Refused(Refusal::UnknownContact {
                field: "contact_ids",
            }));
        }
        // Art. 18(2): a restricted person's data is not disclosed, also while a request
        // to erase it waits.
        if crate::restriction::store::in_force(conn, *contact_id).await? {
            return Err(StoreError::Refused(Refusal::Field {
                field: "contact_ids",
                msg: crate::i18n::Msg::ErrContactRestricted,
            }));
        }
        if bases.contains(&LegalBasis::Consent.as_str())
            && !crate::consents::store::shares_by_consent(conn, *contact_id).await?
        {
            return Err(StoreError::Refused(Refusal::Field {
                field: "contact_ids",
                msg: Msg::ErrNoSharingConsent,
            }));
        }
    }
    let id: DisclosureId = sqlx::query_scalar(
        "INSERT INTO disclosures (recipient_id, fields, legal_basis, purpose, disclosed_by, disclosed_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(d.recipient_id)
    .bind(d.fields.join(","))
    .bind(bases.join(","))
    .bind(d.purpose)
    .bind(user_id)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?;
    for contact_id in d.contact_ids {
        sqlx::query("INSERT INTO disclosure_contacts (disclosure_id, contact_id) VALUES ($1, $2)")
            .bind(id)
            .bind(contact_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// An export to a file: a disclosure to the organisation's internal recipient (seeded by
/// the exports migration) listing every exported contact. The caller owns the
/// transaction, so the log is written before the first byte of the file leaves.
pub async fn disclose_export(
    conn: &mut AnyConnection,
    user_id: UserId,
    contact_ids: &[ContactId],
    fields: &[String],
    purpose: &str,
) -> Result<DisclosureId, StoreError> {
    let recipient: i64 =
        sqlx::query_scalar("SELECT id FROM recipients WHERE internal = 1 ORDER BY id LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::Inconsistent(
                "the internal recipient is missing",
            ))?;
    let id: DisclosureId = sqlx::query_scalar(
        "INSERT INTO disclosures (recipient_id, fields, legal_basis, purpose, disclosed_by, disclosed_at) \
         VALUES ($1, $2, '', $3, $4, $5) RETURNING id",
    )
    .bind(recipient)
    .bind(fields.join(","))
    .bind(purpose)
    .bind(user_id)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?;
    // Ids are integers from our own query: literals, a few thousand per statement.
    for piece in contact_ids.chunks(5000) {
        let values: Vec<String> = piece.iter().map(|c| format!("({id}, {c})")).collect();
        sqlx::query(&format!(
            "INSERT INTO disclosure_contacts (disclosure_id, contact_id) VALUES {}",
            values.join(", ")
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// The disclosure log, newest first, filtered by recipient and time (UTC ms).
pub async fn disclosures(
    conn: &mut AnyConnection,
    recipient_id: Option<RecipientId>,
    from: i64,
    to: i64,
) -> Result<Vec<Disclosure>, StoreError> {
    let rows = sqlx::query(
        "SELECT d.id, d.fields, d.legal_basis, d.purpose, d.disclosed_at, r.name, u.display_name, \
         e.filter AS export_filter, e.override_reason AS export_override \
         FROM disclosures d JOIN recipients r ON r.id = d.recipient_id LEFT JOIN users u ON u.id = d.disclosed_by \
         LEFT JOIN exports e ON e.disclosure_id = d.id \
         WHERE ($1 = 0 OR d.recipient_id = $2) AND d.disclosed_at >= $3 AND d.disclosed_at < $4 \
         ORDER BY d.id DESC LIMIT 500",
    )
    .bind(recipient_id.map_or(0, RecipientId::get))
    .bind(recipient_id.map_or(0, RecipientId::get))
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
    // Grouped once: an export's disclosure may list a million contacts.
    let mut members: std::collections::HashMap<DisclosureId, Vec<ContactId>> =
        std::collections::HashMap::new();
    if !ids.is_empty() {
        let sql = format!(
            "SELECT disclosure_id, contact_id FROM disclosure_contacts WHERE disclosure_id IN ({}) \
             ORDER BY contact_id",
            placeholders(1, ids.len())
        );
        let mut query = sqlx::query_as(&sql);
        for id in &ids {
            query = query.bind(*id);
        }
        let pairs: Vec<(DisclosureId, ContactId)> = query.fetch_all(&mut *conn).await?;
        for (d, c) in pairs {
            members.entry(d).or_default().push(c);
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: DisclosureId = r.try_get("id")?;
        out.push(Disclosure {
            id,
            recipient: r.try_get("name")?,
            contact_ids: members.remove(&id).unwrap_or_default(),
            fields: r
                .try_get::<String, _>("fields")?
                .split(',')
                .map(str::to_string)
                .collect(),
            legal_basis: r.try_get("legal_basis")?,
            purpose: r.try_get("purpose")?,
            disclosed_by: r.try_get("display_name")?,
            disclosed_at: r.try_get("disclosed_at")?,
            export_filter: r.try_get("export_filter")?,
            export_override: r.try_get("export_override")?,
        });
    }
    Ok(out)
}
