//! Contacts in the database: every personal value sealed under the contact's data key,
//! bound to its table, column and row; blind-index tokens for lookups.

use crate::ids::{ContactId, SourceId, UserId};
use crate::store_error::{Doing, Refusal, StoreError};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::model::{Channel, ContactCard, ContactData, ContactKind, ContactRow, ContactState};
use super::validate::ValidContact;
use crate::db::{now_ms, placeholders};
use crate::vault::store::{create_key, tampered};
use crate::vault::{name_words, BlindIndex, DataKey, Place, Tampered, TokenKind, Vault};

const CONTACTS: &str = "contacts";
const CHANNELS: &str = "contact_channels";
/// The personal columns of `contacts`, in the order `personal_values` gives them.
pub const PERSONAL: [&str; 9] = [
    "first_name",
    "last_name",
    "company",
    "street",
    "postal_code",
    "city",
    "pesel",
    "nip",
    "notes",
];

fn personal_values(v: &ValidContact) -> [String; 9] {
    [
        v.first_name.clone(),
        v.last_name.clone(),
        v.company.clone(),
        v.street.clone(),
        v.postal_code.clone(),
        v.city.clone(),
        v.pesel
            .as_ref()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        v.nip
            .as_ref()
            .map(|n| n.as_str().to_string())
            .unwrap_or_default(),
        v.notes.clone(),
    ]
}

/// Each personal column with its value, as stored.
pub fn personal_columns(v: &ValidContact) -> Vec<(&'static str, String)> {
    PERSONAL.iter().copied().zip(personal_values(v)).collect()
}

/// An empty value is stored as NULL, not as a sealed empty string.
pub fn seal(key: &DataKey, place: Place, value: &str) -> Option<Vec<u8>> {
    (!value.is_empty()).then(|| key.seal_text(place, value))
}

/// The plain value; empty when absent or when the key was destroyed (erased data).
pub fn open(
    key: Option<&DataKey>,
    place: Place,
    sealed: Option<Vec<u8>>,
) -> Result<String, Tampered> {
    match (key, sealed) {
        (Some(key), Some(sealed)) => key.open_text(place, &sealed),
        _ => Ok(String::new()),
    }
}

/// The blind-index tokens of a contact: each phone, e-mail, word of the name, PESEL, NIP,
/// city and postal code.
pub fn tokens(index: &BlindIndex, v: &ValidContact) -> Vec<Vec<u8>> {
    let mut out = channel_tokens(index, v);
    out.extend(other_tokens(index, v));
    out.sort();
    out.dedup();
    out
}

/// The phones' tokens, then the e-mails', in the contact's order: what duplicates are
/// looked up by.
pub fn channel_tokens(index: &BlindIndex, v: &ValidContact) -> Vec<Vec<u8>> {
    let phones = v
        .phones
        .iter()
        .map(|p| index.token(TokenKind::Phone, &p.value));
    let emails = v
        .emails
        .iter()
        .map(|e| index.token(TokenKind::Email, &e.value));
    phones.chain(emails).collect()
}

/// The tokens of the name's words, PESEL, NIP, city and postal code.
pub fn other_tokens(index: &BlindIndex, v: &ValidContact) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let name = format!("{} {} {}", v.first_name, v.last_name, v.company);
    for word in name_words(&name) {
        out.push(index.token(TokenKind::NameWord, &word));
    }
    if let Some(pesel) = &v.pesel {
        out.push(index.token(TokenKind::Pesel, pesel.as_str()));
    }
    if let Some(nip) = &v.nip {
        out.push(index.token(TokenKind::Nip, nip.as_str()));
    }
    out.extend(place_tokens(index, &v.city, &v.postal_code));
    out
}

/// The tokens of a contact's city and postal code ("Szukaj" filters by them).
pub fn place_tokens(index: &BlindIndex, city: &str, postal_code: &str) -> Vec<Vec<u8>> {
    let city = crate::domain::words::city_key(city);
    let postal = crate::domain::words::postal_key(postal_code);
    let mut out = Vec::new();
    if !city.is_empty() {
        out.push(index.token(TokenKind::City, &city));
    }
    if !postal.is_empty() {
        out.push(index.token(TokenKind::PostalCode, &postal));
    }
    out
}

/// Creates a contact with its data key, its sealed values, channels and index tokens,
/// and returns its id and key. The caller owns the transaction.
pub async fn insert(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: Option<UserId>,
    source_id: Option<SourceId>,
    v: &ValidContact,
) -> Result<(ContactId, DataKey), StoreError> {
    let now = now_ms();
    let id: ContactId = sqlx::query_scalar(
        "INSERT INTO contacts (kind, source_id, created_by, created_at, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(v.kind.as_str())
    .bind(source_id)
    .bind(user_id)
    .bind(now)
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .doing("inserting a contact")?;
    let key = create_key(conn, vault, id).await?;
    write_personal(conn, &key, id, v).await?;
    sync_channels(conn, &key, id, v).await?;
    reindex(conn, &vault.index(), id, v).await?;
    Ok((id, key))
}

/// Saves an edit of the version the consultant saw, sealed under the contact's `key`
/// (the caller read the contact first); a newer version, an erased, restricted (Art. 18)
/// or missing contact is refused before anything changes.
pub async fn update(
    conn: &mut AnyConnection,
    vault: &Vault,
    key: &DataKey,
    user_id: UserId,
    id: ContactId,
    version: i64,
    v: &ValidContact,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE contacts SET kind = $1, updated_by = $2, updated_at = $3, version = version + 1 \
         WHERE id = $4 AND version = $5 AND state NOT IN ('erased', 'restricted') \
         AND NOT EXISTS (SELECT 1 FROM restrictions r WHERE r.contact_id = contacts.id AND r.lifted_at IS NULL)",
    )
    .bind(v.kind.as_str())
    .bind(user_id)
    .bind(now_ms())
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await
    .doing("updating a contact")?;
    if done.rows_affected() == 0 {
        let state: Option<String> = sqlx::query_scalar("SELECT state FROM contacts WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        return Err(match state.as_deref() {
            None => StoreError::NotFound,
            Some("erased") => StoreError::Refused(Refusal::ContactErased),
            // Restricted, or restricted and then asked to be erased: the restriction holds
            // while the request waits.
            Some(_) if crate::restriction::store::in_force(conn, id).await? => {
                StoreError::Refused(Refusal::ContactRestricted)
            }
            Some(_) => StoreError::Stale,
        });
    }
    write_personal(conn, key, id, v).await?;
    sync_channels(conn, key, id, v).await?;
    reindex(conn, &vault.index(), id, v).await?;
    Ok(())
}

/// Moves a contact from one lifecycle state to another; `false` when it was not in
/// `from` (the caller finds out why). Of two racing changes, one wins.
pub async fn change_state(
    conn: &mut AnyConnection,
    id: ContactId,
    from: ContactState,
    to: ContactState,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE contacts SET state = $1 WHERE id = $2 AND state = $3")
        .bind(to.as_str())
        .bind(id)
        .bind(from.as_str())
        .execute(&mut *conn)
        .await
        .doing("changing a contact's state")?;
    Ok(done.rows_affected() == 1)
}

async fn write_personal(
    conn: &mut AnyConnection,
    key: &DataKey,
    id: ContactId,
    v: &ValidContact,
) -> Result<(), StoreError> {
    let sql = format!(
        "UPDATE contacts SET {} WHERE id = $10",
        PERSONAL
            .iter()
            .enumerate()
            .map(|(i, col)| format!("{col} = ${}", i + 1))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut query = sqlx::query(&sql);
    for (col, value) in PERSONAL.iter().zip(personal_values(v)) {
        query = query.bind(seal(key, Place::new(CONTACTS, col, id), &value));
    }
    query.bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Keeps rows whose id came back (re-sealed in place), adds new ones, removes the rest.
async fn sync_channels(
    conn: &mut AnyConnection,
    key: &DataKey,
    contact_id: ContactId,
    v: &ValidContact,
) -> Result<(), StoreError> {
    let existing: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, kind FROM contact_channels WHERE contact_id = $1")
            .bind(contact_id)
            .fetch_all(&mut *conn)
            .await?;
    let rows = v
        .phones
        .iter()
        .map(|c| ("phone", c, c.for_call, c.for_sms, false))
        .chain(
            v.emails
                .iter()
                .map(|c| ("email", c, false, false, c.for_email)),
        );
    let mut kept = Vec::new();
    for (position, (kind, channel, call, sms, email)) in rows.enumerate() {
        let reuse = channel
            .id
            .filter(|id| existing.iter().any(|(e, k)| e == id && k == kind))
            .filter(|id| !kept.contains(id));
        let row_id = match reuse {
            Some(id) => id,
            None => {
                sqlx::query_scalar(
                    "INSERT INTO contact_channels (contact_id, kind, position, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(contact_id)
                .bind(kind)
                .bind(position as i64)
                .bind(now_ms())
                .fetch_one(&mut *conn)
                .await?
            }
        };
        sqlx::query(
            // A saved value passed validation: an imported number kept flagged is fixed.
            "UPDATE contact_channels SET value = $1, for_call = $2, for_sms = $3, for_email = $4, \
             position = $5, flagged = 0 WHERE id = $6",
        )
        .bind(seal(
            key,
            Place::new(CHANNELS, "value", row_id),
            &channel.value,
        ))
        .bind(i64::from(call))
        .bind(i64::from(sms))
        .bind(i64::from(email))
        .bind(position as i64)
        .bind(row_id)
        .execute(&mut *conn)
        .await?;
        kept.push(row_id);
    }
    for (id, _) in existing.iter().filter(|(id, _)| !kept.contains(id)) {
        sqlx::query("DELETE FROM contact_channels WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn reindex(
    conn: &mut AnyConnection,
    index: &BlindIndex,
    contact_id: ContactId,
    v: &ValidContact,
) -> Result<(), StoreError> {
    super::tokens::replace(conn, contact_id, &tokens(index, v)).await
}

const KEY_COLUMNS: &str = "k.master_key_id, k.key_version, k.wrapped_key";

fn row_key(vault: &Vault, id: ContactId, row: &AnyRow) -> Result<Option<DataKey>, StoreError> {
    let wrapped: Option<Vec<u8>> = row.try_get("wrapped_key")?;
    vault
        .unwrap(
            id,
            row.try_get("master_key_id")?,
            row.try_get("key_version")?,
            wrapped.as_deref(),
        )
        .map_err(tampered)
}

fn plain(
    key: Option<&DataKey>,
    row: &AnyRow,
    id: ContactId,
    col: &'static str,
) -> Result<String, StoreError> {
    open(key, Place::new(CONTACTS, col, id), row.try_get(col)?).map_err(tampered)
}

/// The contact card's data, and the data key its related records are sealed under
/// (`None` once erased). Cases are added by the caller.
pub async fn load(
    conn: &mut AnyConnection,
    vault: &Vault,
    id: ContactId,
) -> Result<(ContactCard, Option<DataKey>), StoreError> {
    let row = sqlx::query(&format!(
        "SELECT c.kind, c.state, c.version, c.created_at, c.updated_at, c.marketing_objection_at, \
         s.name AS source_name, {}, {KEY_COLUMNS} \
         FROM contacts c JOIN contact_keys k ON k.contact_id = c.id \
         LEFT JOIN data_sources s ON s.id = c.source_id WHERE c.id = $1",
        PERSONAL.map(|c| format!("c.{c}")).join(", ")
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .doing("loading a contact card")?
    .ok_or(StoreError::NotFound)?;
    let key = row_key(vault, id, &row)?;
    let k = key.as_ref();
    let mut data = ContactData {
        kind: ContactKind::parse(&row.try_get::<String, _>("kind")?).unwrap_or_default(),
        first_name: plain(k, &row, id, "first_name")?,
        last_name: plain(k, &row, id, "last_name")?,
        company: plain(k, &row, id, "company")?,
        street: plain(k, &row, id, "street")?,
        postal_code: plain(k, &row, id, "postal_code")?,
        city: plain(k, &row, id, "city")?,
        pesel: plain(k, &row, id, "pesel")?,
        nip: plain(k, &row, id, "nip")?,
        notes: plain(k, &row, id, "notes")?,
        ..ContactData::default()
    };
    let channels = sqlx::query(
        "SELECT id, kind, value, for_call, for_sms, for_email FROM contact_channels \
         WHERE contact_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    for ch in channels {
        let ch_id: i64 = ch.try_get("id")?;
        let channel = Channel {
            id: Some(ch_id),
            value: open(
                k,
                Place::new(CHANNELS, "value", ch_id),
                ch.try_get("value")?,
            )
            .map_err(tampered)?,
            for_call: ch.try_get::<i64, _>("for_call")? == 1,
            for_sms: ch.try_get::<i64, _>("for_sms")? == 1,
            for_email: ch.try_get::<i64, _>("for_email")? == 1,
        };
        match ch.try_get::<String, _>("kind")?.as_str() {
            "phone" => data.phones.push(channel),
            _ => data.emails.push(channel),
        }
    }
    let card = ContactCard {
        id,
        version: row.try_get("version")?,
        state: ContactState::parse(&row.try_get::<String, _>("state")?).unwrap_or_default(),
        data,
        source: row.try_get("source_name")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        cases: Vec::new(),
        consents: Vec::new(),
        erasure: None,
        restriction: None,
        marketing_objection: row
            .try_get::<Option<i64>, _>("marketing_objection_at")?
            .is_some(),
    };
    Ok((card, key))
}

/// Contact ids, newest first, below `before`: all of them, those holding any of the
/// tokens, or those holding every one of them.
pub async fn find_ids(
    conn: &mut AnyConnection,
    tokens: &[Vec<u8>],
    all_required: bool,
    before: i64,
    limit: i64,
) -> Result<Vec<ContactId>, StoreError> {
    let n = tokens.len();
    let sql = if n == 0 {
        "SELECT id FROM contacts WHERE id < $1 ORDER BY id DESC LIMIT $2".to_string()
    } else if all_required && n > 1 {
        format!(
            "SELECT contact_id FROM contact_index WHERE token IN ({}) AND contact_id < ${} \
             GROUP BY contact_id HAVING COUNT(*) = {n} ORDER BY contact_id DESC LIMIT ${}",
            placeholders(1, n),
            n + 1,
            n + 2
        )
    } else {
        format!(
            "SELECT DISTINCT contact_id FROM contact_index WHERE token IN ({}) \
             AND contact_id < ${} ORDER BY contact_id DESC LIMIT ${}",
            placeholders(1, n),
            n + 1,
            n + 2
        )
    };
    let mut query = sqlx::query_scalar(&sql);
    for token in tokens {
        query = query.bind(token.clone());
    }
    query
        .bind(before)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .doing("finding contacts by index tokens")
}

/// The list lines of these contacts, in the order given.
pub async fn rows(
    conn: &mut AnyConnection,
    vault: &Vault,
    ids: &[ContactId],
) -> Result<Vec<ContactRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(1, ids.len());
    let sql = format!(
        "SELECT c.id, c.kind, c.state, c.first_name, c.last_name, c.company, c.city, {KEY_COLUMNS} \
         FROM contacts c JOIN contact_keys k ON k.contact_id = c.id WHERE c.id IN ({list})"
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let found = query
        .fetch_all(&mut *conn)
        .await
        .doing("reading contact list rows")?;
    let sql = format!(
        "SELECT id, contact_id, kind, value FROM contact_channels \
         WHERE contact_id IN ({list}) ORDER BY contact_id, position"
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let channels = query.fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(row) = found
            .iter()
            .find(|r| r.try_get::<ContactId, _>("id").ok() == Some(*id))
        else {
            continue;
        };
        let key = row_key(vault, *id, row)?;
        let k = key.as_ref();
        let first_of = |kind: &str| -> Result<Option<String>, StoreError> {
            let Some(ch) = channels.iter().find(|c| {
                c.try_get::<ContactId, _>("contact_id").ok() == Some(*id)
                    && c.try_get::<String, _>("kind").ok().as_deref() == Some(kind)
            }) else {
                return Ok(None);
            };
            let ch_id: i64 = ch.try_get("id")?;
            let value = open(
                k,
                Place::new(CHANNELS, "value", ch_id),
                ch.try_get("value")?,
            )
            .map_err(tampered)?;
            Ok(non_empty(value))
        };
        let kind = ContactKind::parse(&row.try_get::<String, _>("kind")?).unwrap_or_default();
        let name = super::model::display_name(
            kind,
            &plain(k, row, *id, "first_name")?,
            &plain(k, row, *id, "last_name")?,
            &plain(k, row, *id, "company")?,
        );
        out.push(ContactRow {
            id: *id,
            state: ContactState::parse(&row.try_get::<String, _>("state")?).unwrap_or_default(),
            name: non_empty(name),
            phone: first_of("phone")?,
            email: first_of("email")?,
            city: non_empty(plain(k, row, *id, "city")?),
        });
    }
    Ok(out)
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// For a record about the person (an objection, a request): the contact must exist and
/// not be erased; anything else is refused before a row is written.
pub async fn require_not_erased(
    conn: &mut AnyConnection,
    contact_id: ContactId,
) -> Result<(), StoreError> {
    let state: Option<String> = sqlx::query_scalar("SELECT state FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_optional(&mut *conn)
        .await?;
    match state.as_deref() {
        None => Err(StoreError::NotFound),
        Some("erased") => Err(StoreError::Refused(Refusal::ContactErased)),
        Some(_) => Ok(()),
    }
}
