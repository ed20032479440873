//! Consent decisions written by the import: many at a time for new contacts, and one
//! person's missing decisions for an updated contact. Only this feature writes
//! `consent_events` and `consent_current`.

use crate::ids::{ContactId, DefinitionId, ImportId, UserId};
use crate::store_error::StoreError;
use sqlx::AnyConnection;

use crate::bulk::{insert, Val};
use crate::db::Backend;

const EVENT_COLUMNS: [&str; 9] = [
    "id",
    "contact_id",
    "definition_id",
    "version_id",
    "decision",
    "method",
    "recorded_by",
    "recorded_at",
    "import_id",
];

const CURRENT_COLUMNS: [&str; 4] = ["contact_id", "definition_id", "decision", "event_id"];

/// A consent the imported file grants, with the statement version the manager chose.
pub struct ImportGrant {
    pub event_id: i64,
    pub contact_id: ContactId,
    pub definition_id: DefinitionId,
    pub version_id: i64,
    pub user_id: Option<UserId>,
    pub at: i64,
    pub import_id: ImportId,
}

/// Grants of new contacts, gathered for one write.
#[derive(Default)]
pub struct GrantRows {
    events: Vec<Vec<Val>>,
    current: Vec<Vec<Val>>,
}

impl GrantRows {
    pub fn grant(&mut self, g: ImportGrant) {
        self.events.push(vec![
            Val::Int(g.event_id),
            g.contact_id.into(),
            g.definition_id.into(),
            Val::Int(g.version_id),
            Val::Word("granted"),
            Val::Word("import"),
            g.user_id.into(),
            Val::Int(g.at),
            g.import_id.into(),
        ]);
        self.current.push(vec![
            g.contact_id.into(),
            g.definition_id.into(),
            Val::Word("granted"),
            Val::Int(g.event_id),
        ]);
    }

    pub async fn insert(
        self,
        conn: &mut AnyConnection,
        backend: Backend,
    ) -> Result<(), StoreError> {
        insert(conn, backend, "consent_events", &EVENT_COLUMNS, self.events).await?;
        insert(
            conn,
            backend,
            "consent_current",
            &CURRENT_COLUMNS,
            self.current,
        )
        .await
    }
}

/// The import's consents for a contact already stored, only where the person has made
/// no decision: a withdrawal is never undone by a file. Returns how many were granted.
pub async fn grant_undecided(
    conn: &mut AnyConnection,
    contact_id: ContactId,
    consents: &[(DefinitionId, i64)],
    user_id: Option<UserId>,
    at: i64,
    import_id: ImportId,
) -> Result<i64, StoreError> {
    let decided: Vec<DefinitionId> =
        sqlx::query_scalar("SELECT definition_id FROM consent_current WHERE contact_id = $1")
            .bind(contact_id)
            .fetch_all(&mut *conn)
            .await?;
    let mut granted = 0;
    for (definition, version) in consents.iter().filter(|(d, _)| !decided.contains(d)) {
        let event: i64 = sqlx::query_scalar(
            "INSERT INTO consent_events (contact_id, definition_id, version_id, decision, method, \
             recorded_by, recorded_at, import_id) VALUES ($1, $2, $3, 'granted', 'import', $4, $5, $6) \
             RETURNING id",
        )
        .bind(contact_id)
        .bind(definition)
        .bind(version)
        .bind(user_id)
        .bind(at)
        .bind(import_id)
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO consent_current (contact_id, definition_id, decision, event_id) \
             VALUES ($1, $2, 'granted', $3)",
        )
        .bind(contact_id)
        .bind(definition)
        .bind(event)
        .execute(&mut *conn)
        .await?;
        granted += 1;
    }
    Ok(granted)
}
