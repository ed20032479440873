//! The filter as SQL over the whole set of contacts: sealed values through their
//! blind-index tokens, everything else through plain columns. One `WHERE` serves the
//! count, the page and the export's full id list, on SQLite and PostgreSQL alike.

use crate::ids::{ContactId, UserId};
use crate::store_error::{Refusal, StoreError};
use std::collections::HashMap;

use sqlx::{AnyConnection, Row};

use super::model::{
    warsaw_day_end_ms, warsaw_day_start_ms, ConsentState, SavedSearch, SearchFilter, SearchPage,
    SearchRow, SearchView, SortBy, COUNT_CAP, PAGE_SIZE,
};
use crate::consents::model::ConsentChannel;
use crate::contacts::ContactState;
use crate::db::placeholders;
use crate::domain::{Email, Nip, Pesel, Phone};
use crate::vault::{TokenKind, Vault};

/// A value bound to a numbered placeholder.
#[derive(Debug, Clone)]
pub enum Bind {
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

/// A `WHERE` clause over `contacts c` with its binds, numbered from `$1`.
#[derive(Debug, Default)]
pub struct Where {
    pub clauses: Vec<String>,
    pub binds: Vec<Bind>,
}

impl Where {
    fn next(&mut self, bind: Bind) -> String {
        self.binds.push(bind);
        format!("${}", self.binds.len())
    }

    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1 = 1".to_string()
        } else {
            self.clauses.join(" AND ")
        }
    }

    fn range(&mut self, column: &str, from: &str, to: &str) {
        if let Some(start) = non_empty(from).and_then(warsaw_day_start_ms) {
            let p = self.next(Bind::Int(start));
            self.clauses.push(format!("{column} >= {p}"));
        }
        if let Some(end) = non_empty(to).and_then(warsaw_day_end_ms) {
            let p = self.next(Bind::Int(end));
            self.clauses.push(format!("{column} < {p}"));
        }
    }
}

fn non_empty(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

/// The blind-index tokens a contact must hold every one of.
fn required_tokens(vault: &Vault, f: &SearchFilter) -> Result<Vec<Vec<u8>>, StoreError> {
    let index = vault.index();
    fn field(key: &'static str) -> impl Fn(crate::i18n::Msg) -> StoreError {
        move |msg| StoreError::Refused(Refusal::Field { field: key, msg })
    }
    let mut tokens: Vec<Vec<u8>> = crate::domain::words::name_words(&f.name)
        .iter()
        .map(|w| index.token(TokenKind::NameWord, w))
        .collect();
    use super::model::keys;
    if let Some(v) = non_empty(&f.phone) {
        let p = Phone::parse(v).map_err(field(keys::PHONE))?;
        tokens.push(index.token(TokenKind::Phone, p.as_str()));
    }
    if let Some(v) = non_empty(&f.email) {
        let e = Email::parse(v).map_err(field(keys::EMAIL))?;
        tokens.push(index.token(TokenKind::Email, e.as_str()));
    }
    if let Some(v) = non_empty(&f.pesel) {
        let p = Pesel::parse(v).map_err(field(keys::PESEL))?;
        tokens.push(index.token(TokenKind::Pesel, p.as_str()));
    }
    if let Some(v) = non_empty(&f.nip) {
        let n = Nip::parse(v).map_err(field(keys::NIP))?;
        tokens.push(index.token(TokenKind::Nip, n.as_str()));
    }
    let city = crate::domain::words::city_key(&f.city);
    if !city.is_empty() {
        tokens.push(index.token(TokenKind::City, &city));
    }
    let postal = crate::domain::words::postal_key(&f.postal_code);
    if !postal.is_empty() {
        tokens.push(index.token(TokenKind::PostalCode, &postal));
    }
    tokens.sort();
    tokens.dedup();
    Ok(tokens)
}

/// The filter as a `WHERE` clause over `contacts c`.
pub fn build_where(vault: &Vault, f: &SearchFilter) -> Result<Where, StoreError> {
    f.validate().map_err(Refusal::Invalid)?;
    let mut w = Where::default();
    let tokens = required_tokens(vault, f)?;
    if !tokens.is_empty() {
        let n = tokens.len();
        let list: Vec<String> = tokens.into_iter().map(|t| w.next(Bind::Bytes(t))).collect();
        // The primary key (token, contact_id) makes each token one index range.
        w.clauses.push(format!(
            "c.id IN (SELECT contact_id FROM contact_index WHERE token IN ({}) \
             GROUP BY contact_id HAVING COUNT(*) = {n})",
            list.join(", ")
        ));
    }
    if let Some(id) = f.source_id {
        let p = w.next(Bind::Int(id.get()));
        w.clauses.push(format!("c.source_id = {p}"));
    }
    if let Some(id) = f.import_id {
        let p = w.next(Bind::Int(id.get()));
        w.clauses.push(format!("c.import_id = {p}"));
    }
    w.range("c.created_at", &f.created_from, &f.created_to);
    w.range("c.updated_at", &f.changed_from, &f.changed_to);
    match f.state {
        Some(state) => {
            let p = w.next(Bind::Text(state.as_str().to_string()));
            w.clauses.push(format!("c.state = {p}"));
        }
        None => w
            .clauses
            .push(format!("c.state <> '{}'", ContactState::Erased.as_str())),
    }
    for (definition, state) in &f.consents {
        let d = w.next(Bind::Int(*definition));
        let clause = match state {
            ConsentState::NeverAsked => format!(
                "NOT EXISTS (SELECT 1 FROM consent_current cc \
                 WHERE cc.contact_id = c.id AND cc.definition_id = {d})"
            ),
            decided => {
                let x = w.next(Bind::Text(decided.as_str().to_string()));
                // consent_current_definition makes this one index range.
                format!(
                    "c.id IN (SELECT cc.contact_id FROM consent_current cc \
                     WHERE cc.definition_id = {d} AND cc.decision = {x})"
                )
            }
        };
        w.clauses.push(clause);
    }
    if let Some(channel) = f.marketing {
        marketing_allowed(&mut w, channel);
    }
    if f.open_case {
        w.clauses.push(
            "c.id IN (SELECT k.contact_id FROM cases k WHERE k.status <> 'closed')".to_string(),
        );
    }
    if let Some(status) = f.case_status {
        let p = w.next(Bind::Text(status.as_str().to_string()));
        w.clauses.push(format!(
            "c.id IN (SELECT k.contact_id FROM cases k WHERE k.status = {p})"
        ));
    }
    let from = non_empty(&f.contact_from).and_then(warsaw_day_start_ms);
    let to = non_empty(&f.contact_to).and_then(warsaw_day_end_ms);
    if from.is_some() || to.is_some() {
        let mut having = Vec::new();
        if let Some(from) = from {
            having.push(format!("MAX(m.at) >= {}", w.next(Bind::Int(from))));
        }
        if let Some(to) = to {
            having.push(format!("MAX(m.at) < {}", w.next(Bind::Int(to))));
        }
        // The last contact is the latest one done; blocked attempts are not contacts.
        w.clauses.push(format!(
            "c.id IN (SELECT m.contact_id FROM communications m WHERE m.outcome = 'done' \
             GROUP BY m.contact_id HAVING {})",
            having.join(" AND ")
        ));
    }
    Ok(w)
}

/// Direct marketing allowed on `channel`, decided as `consents::check::check` decides it
/// for one contact: active, a channel serving it, no objection, and a granted consent of
/// an active marketing definition for that channel.
fn marketing_allowed(w: &mut Where, channel: ConsentChannel) {
    let (kind, served) = match channel {
        ConsentChannel::Email => ("email", "for_email"),
        ConsentChannel::Sms => ("phone", "for_sms"),
        _ => ("phone", "for_call"),
    };
    let ch = w.next(Bind::Text(channel.as_str().to_string()));
    w.clauses.push(format!(
        "c.state = 'active' AND c.marketing_objection_at IS NULL \
         AND EXISTS (SELECT 1 FROM contact_channels h WHERE h.contact_id = c.id \
         AND h.kind = '{kind}' AND h.{served} = 1) \
         AND c.id IN (SELECT cc.contact_id FROM consent_current cc JOIN consent_definitions d \
         ON d.id = cc.definition_id WHERE cc.decision = 'granted' \
         AND d.active = 1 AND d.marketing = 1 AND d.channel = {ch})"
    ));
}

fn bind_all<'q, O>(
    mut query: sqlx::query::QueryScalar<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    binds: &[Bind],
) -> sqlx::query::QueryScalar<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    for bind in binds {
        query = match bind {
            Bind::Int(v) => query.bind(*v),
            Bind::Text(v) => query.bind(v.clone()),
            Bind::Bytes(v) => query.bind(v.clone()),
        };
    }
    query
}

/// Every contact id matching the filter, ascending. Erased contacts are included only
/// when the filter's state asks for them.
pub async fn matching_ids(
    conn: &mut AnyConnection,
    vault: &Vault,
    filter: &SearchFilter,
) -> Result<Vec<ContactId>, StoreError> {
    let w = build_where(vault, filter)?;
    let sql = format!(
        "SELECT c.id FROM contacts c WHERE {} ORDER BY c.id",
        w.sql()
    );
    Ok(bind_all(sqlx::query_scalar(&sql), &w.binds)
        .fetch_all(&mut *conn)
        .await?)
}

/// The ids of one page, in the view's order (ties broken by id in the same direction).
pub async fn page_ids(
    conn: &mut AnyConnection,
    vault: &Vault,
    filter: &SearchFilter,
    view: &SearchView,
    page_size: i64,
) -> Result<Vec<ContactId>, StoreError> {
    let w = build_where(vault, filter)?;
    let dir = if view.desc { "DESC" } else { "ASC" };
    let (join, column) = match view.sort {
        SortBy::Id => ("", None),
        SortBy::Created => ("", Some("c.created_at")),
        SortBy::Changed => ("", Some("c.updated_at")),
        SortBy::State => ("", Some("c.state")),
        // A contact with no source sorts as an empty name on both databases.
        SortBy::Source => (
            " LEFT JOIN data_sources s ON s.id = c.source_id",
            Some("COALESCE(s.name, '')"),
        ),
    };
    let order = match column {
        Some(col) => format!("{col} {dir}, c.id {dir}"),
        None => format!("c.id {dir}"),
    };
    let n = w.binds.len();
    let sql = format!(
        "SELECT c.id FROM contacts c{join} WHERE {} ORDER BY {order} LIMIT ${} OFFSET ${}",
        w.sql(),
        n + 1,
        n + 2
    );
    let offset = (view.page.max(1) - 1).saturating_mul(page_size);
    Ok(bind_all(sqlx::query_scalar(&sql), &w.binds)
        .bind(page_size)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?)
}

/// How many contacts match the filter, counting no further than `cap`: `(cap, false)`
/// when more match. A broad filter over a million contacts (a city, "never asked")
/// matches most of the table, and its exact count was most of the page's time while
/// telling the manager nothing a "more than" does not.
pub async fn count_capped(
    conn: &mut AnyConnection,
    vault: &Vault,
    filter: &SearchFilter,
    cap: i64,
) -> Result<(i64, bool), StoreError> {
    let w = build_where(vault, filter)?;
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM contacts c WHERE {} LIMIT ${}) AS hits",
        w.sql(),
        w.binds.len() + 1
    );
    let n: i64 = bind_all(sqlx::query_scalar(&sql), &w.binds)
        .bind(cap.saturating_add(1))
        .fetch_one(&mut *conn)
        .await?;
    Ok(if n > cap { (cap, false) } else { (n, true) })
}

/// One page of results with the total: ids from the filter, personal values opened for
/// those ids only.
pub async fn search_page(
    conn: &mut AnyConnection,
    vault: &Vault,
    filter: &SearchFilter,
    view: &SearchView,
) -> Result<SearchPage, StoreError> {
    let (total, total_exact) = count_capped(conn, vault, filter, COUNT_CAP).await?;
    let ids = page_ids(conn, vault, filter, view, PAGE_SIZE).await?;
    let rows = page_rows(conn, vault, &ids).await?;
    Ok(SearchPage {
        rows,
        total,
        total_exact,
        page: view.page.max(1),
        page_size: PAGE_SIZE,
    })
}

async fn page_rows(
    conn: &mut AnyConnection,
    vault: &Vault,
    ids: &[ContactId],
) -> Result<Vec<SearchRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let lines = crate::contacts::store::rows(conn, vault, ids).await?;
    let list = placeholders(1, ids.len());
    let sql = format!(
        "SELECT c.id, c.created_at, c.updated_at, s.name AS source_name FROM contacts c \
         LEFT JOIN data_sources s ON s.id = c.source_id WHERE c.id IN ({list})"
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let mut plain = HashMap::new();
    for row in query.fetch_all(&mut *conn).await? {
        let id: ContactId = row.try_get("id")?;
        let times: (i64, i64, Option<String>) = (
            row.try_get("created_at")?,
            row.try_get("updated_at")?,
            row.try_get("source_name")?,
        );
        plain.insert(id, times);
    }
    let defs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consent_definitions WHERE active = 1")
        .fetch_one(&mut *conn)
        .await?;
    let sql = format!(
        "SELECT cc.contact_id, COUNT(*) AS granted FROM consent_current cc \
         JOIN consent_definitions d ON d.id = cc.definition_id \
         WHERE d.active = 1 AND cc.decision = 'granted' AND cc.contact_id IN ({list}) \
         GROUP BY cc.contact_id"
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let mut granted = HashMap::new();
    for row in query.fetch_all(&mut *conn).await? {
        granted.insert(
            row.try_get::<ContactId, _>("contact_id")?,
            row.try_get::<i64, _>("granted")?,
        );
    }
    Ok(lines
        .into_iter()
        .map(|line| {
            let (created_at, updated_at, source) =
                plain.get(&line.id).cloned().unwrap_or((0, 0, None));
            SearchRow {
                id: line.id,
                name: line.name,
                phone: line.phone,
                email: line.email,
                city: line.city,
                source,
                consents_granted: granted.get(&line.id).copied().unwrap_or(0),
                consents_total: defs,
                state: line.state,
                created_at,
                updated_at,
            }
        })
        .collect())
}

/// The searches `user_id` saved, by name.
pub async fn saved_list(
    conn: &mut AnyConnection,
    user_id: UserId,
) -> Result<Vec<SavedSearch>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, name, query, created_at FROM saved_searches WHERE user_id = $1 \
         ORDER BY name, id",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SavedSearch {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                query: r.try_get("query")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

pub async fn saved_insert(
    conn: &mut AnyConnection,
    user_id: UserId,
    name: &str,
    query: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO saved_searches (user_id, name, query, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(query)
    .bind(crate::db::now_ms())
    .fetch_one(&mut *conn)
    .await?)
}

/// Deletes a saved search of `user_id`'s own; another's (or none) is `NotFound`, so the
/// answer does not tell whether someone else saved a search under that id.
pub async fn saved_delete(
    conn: &mut AnyConnection,
    user_id: UserId,
    id: i64,
) -> Result<(), StoreError> {
    let done = sqlx::query("DELETE FROM saved_searches WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
