//! Field history, the activities timeline and card readers, from the database.

use crate::ids::{ContactId, ImportId, SourceId, UserId};
use crate::store_error::StoreError;
use rand::Rng;
use sqlx::{AnyConnection, Row};

use super::model::{Activity, ActivityDetail, FieldChange, Reader};
use crate::consents::model::{BlockReason, ConsentChannel, Decision, Method, Purpose};
use crate::contacts::store::{open, seal};
use crate::db::now_ms;
use crate::vault::store::tampered;
use crate::vault::{DataKey, Place};

const TABLE: &str = "field_history";

/// Who changed what, from which source and why.
pub struct Change<'a> {
    pub contact_id: ContactId,
    pub user_id: Option<UserId>,
    pub source_id: SourceId,
    pub reason: &'a str,
    /// The import batch the change came with, if any.
    pub import_id: Option<ImportId>,
}

/// Writes a history row for every field whose value differs. Each row is written in
/// one statement, its ciphertexts bound to a random `row_ref`.
pub async fn record(
    conn: &mut AnyConnection,
    key: &DataKey,
    change: &Change<'_>,
    before: &[(&'static str, String)],
    after: &[(&'static str, String)],
) -> Result<usize, StoreError> {
    let now = now_ms();
    let mut written = 0;
    for (field, new) in after {
        let old = before
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if old == new {
            continue;
        }
        let row_ref: i64 = rand::thread_rng().gen_range(1..i64::MAX);
        let place = |column| Place::new(TABLE, column, row_ref);
        sqlx::query(
            "INSERT INTO field_history (contact_id, field, row_ref, old_value, new_value, source_id, \
             reason, changed_by, changed_at, import_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(change.contact_id)
        .bind(*field)
        .bind(row_ref)
        .bind(seal(key, place("old_value"), old))
        .bind(seal(key, place("new_value"), new))
        .bind(change.source_id)
        .bind(seal(key, place("reason"), change.reason))
        .bind(change.user_id)
        .bind(now)
        .bind(change.import_id)
        .execute(&mut *conn)
        .await?;
        written += 1;
    }
    Ok(written)
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

pub async fn changes(
    conn: &mut AnyConnection,
    key: Option<&DataKey>,
    contact_id: ContactId,
) -> Result<Vec<FieldChange>, StoreError> {
    let rows = sqlx::query(
        "SELECT h.id, h.field, h.row_ref, h.old_value, h.new_value, h.reason, h.changed_at, \
         s.name AS source_name, u.display_name FROM field_history h \
         LEFT JOIN data_sources s ON s.id = h.source_id LEFT JOIN users u ON u.id = h.changed_by \
         WHERE h.contact_id = $1 ORDER BY h.id DESC",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let row_ref: i64 = r.try_get("row_ref")?;
            let get = |column: &'static str| -> Result<Option<String>, StoreError> {
                open(key, Place::new(TABLE, column, row_ref), r.try_get(column)?)
                    .map(non_empty)
                    .map_err(tampered)
            };
            Ok(FieldChange {
                id: r.try_get("id")?,
                field: r.try_get("field")?,
                old_value: get("old_value")?,
                new_value: get("new_value")?,
                reason: get("reason")?,
                source: r.try_get("source_name")?,
                changed_by: r.try_get("display_name")?,
                changed_at: r.try_get("changed_at")?,
            })
        })
        .collect()
}

/// Consent changes, communications, field changes, disclosures, erasure requests,
/// restrictions, objections and copies handed out, newest first.
pub async fn activities(
    conn: &mut AnyConnection,
    changes: &[FieldChange],
    contact_id: ContactId,
) -> Result<Vec<Activity>, StoreError> {
    let mut out: Vec<Activity> = Vec::new();
    // One entry per save: the fields changed together.
    for c in changes {
        match out.iter_mut().find(|a| {
            a.at == c.changed_at
                && a.who == c.changed_by
                && matches!(a.detail, ActivityDetail::FieldsChanged { .. })
        }) {
            Some(Activity {
                detail: ActivityDetail::FieldsChanged { fields },
                ..
            }) => fields.push(c.field.clone()),
            _ => out.push(Activity {
                at: c.changed_at,
                who: c.changed_by.clone(),
                detail: ActivityDetail::FieldsChanged {
                    fields: vec![c.field.clone()],
                },
            }),
        }
    }
    let consents = sqlx::query(
        "SELECT e.recorded_at, e.decision, e.method, d.name, u.display_name FROM consent_events e \
         JOIN consent_definitions d ON d.id = e.definition_id LEFT JOIN users u ON u.id = e.recorded_by \
         WHERE e.contact_id = $1",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await?;
    for r in consents {
        out.push(Activity {
            at: r.try_get("recorded_at")?,
            who: r.try_get("display_name")?,
            detail: ActivityDetail::Consent {
                name: r.try_get("name")?,
                decision: Decision::parse(&r.try_get::<String, _>("decision")?).unwrap_or_default(),
                method: Method::parse(&r.try_get::<String, _>("method")?).unwrap_or_default(),
            },
        });
    }
    let communications = sqlx::query(
        "SELECT c.at, c.channel, c.purpose, c.reason, u.display_name FROM communications c \
         LEFT JOIN users u ON u.id = c.user_id WHERE c.contact_id = $1",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await?;
    for r in communications {
        out.push(Activity {
            at: r.try_get("at")?,
            who: r.try_get("display_name")?,
            detail: ActivityDetail::Communication {
                channel: ConsentChannel::parse(&r.try_get::<String, _>("channel")?)
                    .unwrap_or_default(),
                purpose: Purpose::parse(&r.try_get::<String, _>("purpose")?).unwrap_or_default(),
                blocked: r
                    .try_get::<Option<String>, _>("reason")?
                    .and_then(|s| BlockReason::parse(&s)),
            },
        });
    }
    let disclosures = sqlx::query(
        "SELECT d.disclosed_at, d.fields, d.purpose, d.legal_basis, r.name, u.display_name, \
         (SELECT COUNT(*) FROM disclosure_contacts o WHERE o.disclosure_id = d.id) AS covered \
         FROM disclosure_contacts dc \
         JOIN disclosures d ON d.id = dc.disclosure_id JOIN recipients r ON r.id = d.recipient_id \
         LEFT JOIN users u ON u.id = d.disclosed_by WHERE dc.contact_id = $1",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await?;
    for r in disclosures {
        out.push(Activity {
            at: r.try_get("disclosed_at")?,
            who: r.try_get("display_name")?,
            detail: ActivityDetail::Disclosure {
                recipient: r.try_get("name")?,
                fields: r
                    .try_get::<String, _>("fields")?
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(str::to_string)
                    .collect(),
                purpose: r.try_get("purpose")?,
                legal_basis: r.try_get("legal_basis")?,
                covered: r.try_get("covered")?,
            },
        });
    }
    let erasures = sqlx::query(
        "SELECT r.ground, r.state, r.requested_at, r.decided_at, q.display_name AS requested_name, \
         d.display_name AS decided_name FROM erasure_requests r LEFT JOIN users q ON q.id = r.requested_by \
         LEFT JOIN users d ON d.id = r.decided_by WHERE r.contact_id = $1",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await?;
    for r in erasures {
        use crate::erasure::model::{Ground, RequestState};
        out.push(Activity {
            at: r.try_get("requested_at")?,
            who: r.try_get("requested_name")?,
            detail: ActivityDetail::ErasureRequested {
                ground: Ground::parse(&r.try_get::<String, _>("ground")?).unwrap_or_default(),
            },
        });
        if let Some(at) = r.try_get::<Option<i64>, _>("decided_at")? {
            out.push(Activity {
                at,
                who: r.try_get("decided_name")?,
                detail: ActivityDetail::ErasureDecided {
                    state: RequestState::parse(&r.try_get::<String, _>("state")?)
                        .unwrap_or_default(),
                },
            });
        }
    }
    for (ground, at, who, lifted_at, lifted_by) in
        crate::restriction::store::history(conn, contact_id).await?
    {
        use crate::restriction::RestrictionGround;
        out.push(Activity {
            at,
            who,
            detail: ActivityDetail::Restricted {
                ground: RestrictionGround::parse(&ground).unwrap_or_default(),
            },
        });
        if let Some(at) = lifted_at {
            out.push(Activity {
                at,
                who: lifted_by,
                detail: ActivityDetail::RestrictionLifted,
            });
        }
    }
    // Newest first and the lifting before its objection: the sort below is stable, so
    // entries of the same millisecond keep this order.
    for o in crate::consents::objection::history(conn, contact_id).await? {
        if let Some((at, who, ground)) = o.lifted {
            out.push(Activity {
                at,
                who,
                detail: ActivityDetail::ObjectionLifted {
                    purpose: o.purpose.clone(),
                    ground,
                },
            });
        }
        out.push(Activity {
            at: o.recorded_at,
            who: o.recorded_by,
            detail: ActivityDetail::ObjectionRecorded { purpose: o.purpose },
        });
    }
    for (at, form, who) in crate::subject_data::store::exports_of(conn, contact_id).await? {
        out.push(Activity {
            at,
            who,
            detail: ActivityDetail::DataExported { form },
        });
    }
    out.sort_by_key(|a| std::cmp::Reverse(a.at));
    Ok(out)
}

pub async fn readers(
    conn: &mut AnyConnection,
    contact_id: ContactId,
) -> Result<Vec<Reader>, StoreError> {
    let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT u.display_name, SUM(r.opened), SUM(r.listed), MAX(r.at) FROM ( \
           SELECT user_id, 1 AS opened, 0 AS listed, read_at AS at FROM card_reads \
           WHERE contact_id = $1 \
           UNION ALL \
           SELECT b.user_id, 0, 1, b.read_at FROM bulk_read_contacts c \
           JOIN bulk_reads b ON b.id = c.bulk_read_id WHERE c.contact_id = $1 \
         ) r JOIN users u ON u.id = r.user_id \
         GROUP BY u.id, u.display_name ORDER BY MAX(r.at) DESC",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, reads, listed, last_read_at)| Reader {
            name,
            reads,
            listed,
            last_read_at,
        })
        .collect())
}

/// The "created by the import" history rows of new contacts, gathered for one write. The
/// values stay empty: the contact's own columns hold them, sealed.
#[derive(Default)]
pub struct ImportHistoryRows(Vec<Vec<crate::bulk::Val>>);

impl ImportHistoryRows {
    pub fn created(
        &mut self,
        contact_id: ContactId,
        source_id: SourceId,
        user_id: Option<UserId>,
        at: i64,
        import_id: ImportId,
    ) {
        use crate::bulk::Val;
        let row_ref: i64 = rand::Rng::gen_range(&mut rand::thread_rng(), 1..i64::MAX);
        self.0.push(vec![
            contact_id.into(),
            Val::Word("import"),
            Val::Int(row_ref),
            source_id.into(),
            user_id.into(),
            Val::Int(at),
            import_id.into(),
        ]);
    }

    pub async fn insert(
        self,
        conn: &mut AnyConnection,
        backend: crate::db::Backend,
    ) -> Result<(), StoreError> {
        const COLUMNS: [&str; 7] = [
            "contact_id",
            "field",
            "row_ref",
            "source_id",
            "changed_by",
            "changed_at",
            "import_id",
        ];
        crate::bulk::insert(conn, backend, "field_history", &COLUMNS, self.0).await
    }
}
