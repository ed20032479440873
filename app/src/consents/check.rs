//! The contact check: may this person be reached on this channel, for this purpose?
//! Dialers, mailing tools and the consultant's communication log ask it; it answers with
//! the reason when not.

use std::collections::HashMap;

use crate::ids::{ContactId, DefinitionId};
use crate::store_error::{Refusal, StoreError};
use sqlx::{AnyConnection, Row};

use super::model::{BlockReason, ConsentChannel, ContactCheck, Decision, LegalBasis, Purpose};

/// What the contact check needs to know about one contact.
struct Standing {
    state: String,
    objected: bool,
    /// Has a value of the channel's kind marked for it.
    reachable: bool,
    /// The latest decisions on the active marketing definitions of the channel.
    decisions: Vec<Decision>,
}

/// The contact check's rules, in order: erasure and restriction, the channel itself,
/// then (for marketing) an objection and the consents.
fn verdict(s: &Standing, purpose: Purpose) -> ContactCheck {
    let blocked = |reason| ContactCheck {
        allowed: false,
        reason: Some(reason),
    };
    let allowed = ContactCheck {
        allowed: true,
        reason: None,
    };
    match s.state.as_str() {
        "erased" => return blocked(BlockReason::Erased),
        "erasure_pending" => return blocked(BlockReason::ErasurePending),
        "restricted" => return blocked(BlockReason::Restricted),
        _ => {}
    }
    if !s.reachable {
        return blocked(BlockReason::NoChannel);
    }
    if purpose == Purpose::Service {
        return allowed;
    }
    if s.objected {
        return blocked(BlockReason::Objection);
    }
    if s.decisions.contains(&Decision::Granted) {
        allowed
    } else if s.decisions.contains(&Decision::Withdrawn) {
        blocked(BlockReason::Withdrawn)
    } else {
        blocked(BlockReason::NoConsent)
    }
}

fn channel_columns(channel: ConsentChannel) -> (&'static str, &'static str) {
    match channel {
        ConsentChannel::Email => ("email", "for_email"),
        ConsentChannel::Sms => ("phone", "for_sms"),
        _ => ("phone", "for_call"),
    }
}

/// May this contact be contacted on this channel for this purpose?
pub async fn check(
    conn: &mut AnyConnection,
    contact_id: ContactId,
    channel: ConsentChannel,
    purpose: Purpose,
) -> Result<ContactCheck, StoreError> {
    check_many(conn, &[contact_id], channel, purpose)
        .await?
        .remove(&contact_id)
        .ok_or(StoreError::NotFound)
}

/// Contacts in one query of `check_many`.
const CHECK_PIECE: usize = 500;

/// The contact check for many contacts at once (the dialer asks about thousands): three
/// queries per 500 contacts instead of three per contact. Unknown ids are left out.
pub async fn check_many(
    conn: &mut AnyConnection,
    ids: &[ContactId],
    channel: ConsentChannel,
    purpose: Purpose,
) -> Result<HashMap<ContactId, ContactCheck>, StoreError> {
    let (kind, served) = channel_columns(channel);
    let mut out = HashMap::with_capacity(ids.len());
    for piece in ids.chunks(CHECK_PIECE) {
        let marks = crate::db::placeholders(1, piece.len());
        let mut standings: HashMap<ContactId, Standing> = HashMap::new();
        let sql =
            format!("SELECT id, state, marketing_objection_at FROM contacts WHERE id IN ({marks})");
        let mut query = sqlx::query(&sql);
        for id in piece {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&mut *conn).await? {
            standings.insert(
                row.try_get("id")?,
                Standing {
                    state: row.try_get("state")?,
                    objected: row
                        .try_get::<Option<i64>, _>("marketing_objection_at")?
                        .is_some(),
                    reachable: false,
                    decisions: Vec::new(),
                },
            );
        }
        let n = piece.len();
        let sql = format!(
            "SELECT DISTINCT contact_id FROM contact_channels WHERE contact_id IN ({marks}) \
             AND kind = ${} AND {served} = 1",
            n + 1
        );
        let mut query = sqlx::query_scalar::<_, ContactId>(&sql);
        for id in piece {
            query = query.bind(*id);
        }
        for id in query.bind(kind).fetch_all(&mut *conn).await? {
            if let Some(s) = standings.get_mut(&id) {
                s.reachable = true;
            }
        }
        if purpose == Purpose::Marketing {
            let sql = format!(
                "SELECT c.contact_id, c.decision FROM consent_definitions d JOIN consent_current c \
                 ON c.definition_id = d.id WHERE c.contact_id IN ({marks}) \
                 AND d.active = 1 AND d.marketing = 1 AND d.channel = ${}",
                n + 1
            );
            let mut query = sqlx::query(&sql);
            for id in piece {
                query = query.bind(*id);
            }
            for row in query.bind(channel.as_str()).fetch_all(&mut *conn).await? {
                let id: ContactId = row.try_get("contact_id")?;
                let decision = Decision::parse(&row.try_get::<String, _>("decision")?);
                if let (Some(s), Some(d)) = (standings.get_mut(&id), decision) {
                    s.decisions.push(d);
                }
            }
        }
        out.extend(
            standings
                .into_iter()
                .map(|(id, standing)| (id, verdict(&standing, purpose))),
        );
    }
    Ok(out)
}

/// The contact check for one purpose, named by its consent definition. The general check
/// runs first (erasure, restriction, the channel, and for marketing the Art. 21(2)
/// objection and a marketing consent on the channel); a marketing definition makes the
/// check a marketing one whatever the caller said. Then the purpose itself: a definition
/// made for another channel does not cover this one, an objection to it (Art. 21(1))
/// stops it, and a purpose based on consent needs that consent granted. Answers the
/// purpose the check was made for, to log a refusal under.
pub async fn check_purpose(
    conn: &mut AnyConnection,
    contact_id: ContactId,
    channel: ConsentChannel,
    purpose: Purpose,
    definition_id: DefinitionId,
) -> Result<(ContactCheck, Purpose), StoreError> {
    let row = sqlx::query(
        "SELECT legal_basis, marketing, channel FROM consent_definitions \
         WHERE id = $1 AND active = 1",
    )
    .bind(definition_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::Refused(Refusal::Missing {
        field: "definition_id",
    }))?;
    let basis = LegalBasis::parse(&row.try_get::<String, _>("legal_basis")?).unwrap_or_default();
    let covers = ConsentChannel::parse(&row.try_get::<String, _>("channel")?).unwrap_or_default();
    let purpose = if row.try_get::<i64, _>("marketing")? == 1 {
        Purpose::Marketing
    } else {
        purpose
    };
    let general = check(conn, contact_id, channel, purpose).await?;
    if !general.allowed {
        return Ok((general, purpose));
    }
    let blocked = |reason| {
        Ok((
            ContactCheck {
                allowed: false,
                reason: Some(reason),
            },
            purpose,
        ))
    };
    if covers != ConsentChannel::Any && covers != channel {
        return blocked(BlockReason::NoConsent);
    }
    if super::objection::in_force(conn, contact_id, definition_id).await? {
        return blocked(BlockReason::Objection);
    }
    if basis == LegalBasis::Consent {
        let decision: Option<String> = sqlx::query_scalar(
            "SELECT decision FROM consent_current WHERE contact_id = $1 AND definition_id = $2",
        )
        .bind(contact_id)
        .bind(definition_id)
        .fetch_optional(&mut *conn)
        .await?;
        match decision.as_deref().and_then(Decision::parse) {
            Some(Decision::Granted) => {}
            Some(Decision::Withdrawn) => return blocked(BlockReason::Withdrawn),
            _ => return blocked(BlockReason::NoConsent),
        }
    }
    Ok((general, purpose))
}
