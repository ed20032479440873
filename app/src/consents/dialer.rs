//! The dialer's question, by phone number rather than by contact: "may I call (or text)
//! these numbers for this purpose?". Numbers are found through the phone's blind-index
//! token; a number no contact has answers "no consent". A number several contacts share
//! is allowed only when every one of them allows it, and each must have marked that very
//! number for the channel (another of their numbers does not count).

use std::collections::{BTreeMap, HashMap};

use sqlx::{AnyConnection, Row};

use super::model::{BlockReason, ConsentChannel, ContactCheck, NumberCheck, Purpose};
use crate::domain::phone::Phone;
use crate::ids::ContactId;
use crate::store_error::{Doing, StoreError};
use crate::vault::{Place, TokenKind, Vault};

/// Numbers in one request.
pub const MAX_NUMBERS: usize = 10_000;
/// Tokens per lookup query.
const PIECE: usize = 500;
/// Longer than any phone number however it is written: not parsed at all.
const MAX_NUMBER_CHARS: usize = 64;

pub async fn check_numbers(
    conn: &mut AnyConnection,
    vault: &Vault,
    numbers: &[String],
    channel: ConsentChannel,
    purpose: Purpose,
) -> Result<Vec<NumberCheck>, StoreError> {
    let index = vault.index();
    let parsed: Vec<Option<String>> = numbers
        .iter()
        .map(|n| {
            (n.len() <= MAX_NUMBER_CHARS)
                .then(|| Phone::parse(n).ok())
                .flatten()
                .map(|p| p.as_str().to_string())
        })
        .collect();
    let mut by_token: HashMap<Vec<u8>, String> = HashMap::new();
    for e164 in parsed.iter().flatten() {
        by_token.insert(index.token(TokenKind::Phone, e164), e164.clone());
    }
    let holders = holders(conn, &by_token).await?;
    let mut numbers_of: BTreeMap<ContactId, Vec<&str>> = BTreeMap::new();
    for (e164, owners) in &holders {
        for owner in owners {
            numbers_of.entry(*owner).or_default().push(e164.as_str());
        }
    }
    let contacts: Vec<ContactId> = numbers_of.keys().copied().collect();
    let checks = super::check::check_many(conn, &contacts, channel, purpose).await?;
    let allowed: Vec<ContactId> = contacts
        .iter()
        .copied()
        .filter(|c| checks.get(c).is_some_and(|v| v.allowed))
        .collect();
    let marked = marked_numbers(conn, vault, &allowed, channel).await?;
    let mut verdicts: HashMap<(ContactId, &str), ContactCheck> = HashMap::new();
    for (contact, asked) in numbers_of {
        // A holder that vanished between the two queries is treated as one who said no.
        let check = checks.get(&contact).cloned().unwrap_or(ContactCheck {
            allowed: false,
            reason: Some(BlockReason::NoConsent),
        });
        let theirs = marked.get(&contact);
        for e164 in asked {
            let verdict = if !check.allowed || theirs.is_some_and(|m| m.iter().any(|n| n == e164)) {
                check.clone()
            } else {
                ContactCheck {
                    allowed: false,
                    reason: Some(BlockReason::NoChannel),
                }
            };
            verdicts.insert((contact, e164), verdict);
        }
    }
    Ok(numbers
        .iter()
        .zip(parsed)
        .map(|(number, e164)| {
            let verdict = match &e164 {
                None => ContactCheck {
                    allowed: false,
                    reason: Some(BlockReason::InvalidNumber),
                },
                Some(e164) => match holders.get(e164.as_str()) {
                    None => ContactCheck {
                        allowed: false,
                        reason: Some(BlockReason::NoConsent),
                    },
                    Some(owners) => owners
                        .iter()
                        .map(|c| verdicts[&(*c, e164.as_str())].clone())
                        .find(|v| !v.allowed)
                        .unwrap_or(ContactCheck {
                            allowed: true,
                            reason: None,
                        }),
                },
            };
            NumberCheck {
                number: number.clone(),
                e164,
                allowed: verdict.allowed,
                reason: verdict.reason,
            }
        })
        .collect())
}

/// Which contacts hold each number (E.164), by its token.
async fn holders(
    conn: &mut AnyConnection,
    by_token: &HashMap<Vec<u8>, String>,
) -> Result<HashMap<String, Vec<ContactId>>, StoreError> {
    let tokens: Vec<&Vec<u8>> = by_token.keys().collect();
    let mut out: HashMap<String, Vec<ContactId>> = HashMap::new();
    for piece in tokens.chunks(PIECE) {
        let marks: Vec<String> = (1..=piece.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT token, contact_id FROM contact_index WHERE token IN ({})",
            marks.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for token in piece {
            query = query.bind((*token).clone());
        }
        let rows = query
            .fetch_all(&mut *conn)
            .await
            .doing("looking up numbers for the dialer")?;
        for row in rows {
            let token: Vec<u8> = row.try_get("token")?;
            if let Some(e164) = by_token.get(&token) {
                out.entry(e164.clone())
                    .or_default()
                    .push(row.try_get("contact_id")?);
            }
        }
    }
    Ok(out)
}

/// The phone numbers each of these contacts marked for the channel, opened: one query
/// per 500 contacts, each data key unwrapped once. Erased contacts have none.
async fn marked_numbers(
    conn: &mut AnyConnection,
    vault: &Vault,
    contacts: &[ContactId],
    channel: ConsentChannel,
) -> Result<HashMap<ContactId, Vec<String>>, StoreError> {
    let served = match channel {
        ConsentChannel::Sms => "for_sms",
        _ => "for_call",
    };
    let mut out: HashMap<ContactId, Vec<String>> = HashMap::new();
    for piece in contacts.chunks(PIECE) {
        let sql = format!(
            "SELECT ch.contact_id, ch.id, ch.value, k.master_key_id, k.key_version, k.wrapped_key \
             FROM contact_channels ch JOIN contact_keys k ON k.contact_id = ch.contact_id \
             WHERE ch.contact_id IN ({}) AND ch.kind = 'phone' AND ch.{served} = 1",
            crate::db::placeholders(1, piece.len())
        );
        let mut query = sqlx::query(&sql);
        for contact in piece {
            query = query.bind(*contact);
        }
        let rows = query
            .fetch_all(&mut *conn)
            .await
            .doing("reading contacts' numbers for the dialer")?;
        let mut keys: HashMap<ContactId, Option<crate::vault::DataKey>> = HashMap::new();
        for row in rows {
            let contact: ContactId = row.try_get("contact_id")?;
            if let std::collections::hash_map::Entry::Vacant(slot) = keys.entry(contact) {
                let wrapped: Option<Vec<u8>> = row.try_get("wrapped_key")?;
                let key = vault
                    .unwrap(
                        contact,
                        row.try_get("master_key_id")?,
                        row.try_get("key_version")?,
                        wrapped.as_deref(),
                    )
                    .map_err(crate::vault::store::tampered)?;
                slot.insert(key);
            }
            let Some(Some(key)) = keys.get(&contact) else {
                continue;
            };
            let id: i64 = row.try_get("id")?;
            let number = crate::contacts::store::open(
                Some(key),
                Place::new("contact_channels", "value", id),
                row.try_get("value")?,
            )
            .map_err(crate::vault::store::tampered)?;
            out.entry(contact).or_default().push(number);
        }
    }
    Ok(out)
}
