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
    let mut verdicts: HashMap<(ContactId, &str), ContactCheck> = HashMap::new();
    for (contact, asked) in numbers_of {
        let check = super::store::check(conn, contact, channel, purpose).await?;
        let marked = if check.allowed {
            marked_numbers(conn, vault, contact, channel).await?
        } else {
            Vec::new()
        };
        for e164 in asked {
            let verdict = if !check.allowed || marked.iter().any(|m| m == e164) {
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

/// The contact's phone numbers marked for the channel, opened.
async fn marked_numbers(
    conn: &mut AnyConnection,
    vault: &Vault,
    contact: ContactId,
    channel: ConsentChannel,
) -> Result<Vec<String>, StoreError> {
    let served = match channel {
        ConsentChannel::Sms => "for_sms",
        _ => "for_call",
    };
    let Some(key) = crate::vault::store::load_key(conn, vault, contact).await? else {
        return Ok(Vec::new());
    };
    let rows = sqlx::query(&format!(
        "SELECT id, value FROM contact_channels WHERE contact_id = $1 AND kind = 'phone' \
         AND {served} = 1"
    ))
    .bind(contact)
    .fetch_all(&mut *conn)
    .await
    .doing("reading a contact's numbers for the dialer")?;
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            crate::contacts::store::open(
                Some(&key),
                Place::new("contact_channels", "value", id),
                row.try_get("value")?,
            )
            .map_err(crate::vault::store::tampered)
        })
        .collect()
}
