//! The contacts feature's tables written many rows at a time (the import): each table's
//! column list sits beside the code that builds its row, so adding a column is one edit
//! here. Values arrive sealed; ids are reserved by the caller.

use sqlx::AnyConnection;

use crate::bulk::{insert, Val};
use crate::db::Backend;
use crate::error::AppError;

const CONTACT_COLUMNS: [&str; 8] = [
    "id",
    "kind",
    "source_id",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
    "import_id",
];

const CHANNEL_COLUMNS: [&str; 10] = [
    "id",
    "contact_id",
    "kind",
    "value",
    "for_call",
    "for_sms",
    "for_email",
    "position",
    "created_at",
    "flagged",
];

/// A new contact as the import stores it: personal values sealed in `store::PERSONAL`'s
/// order.
pub struct ContactRow {
    pub id: i64,
    pub kind: &'static str,
    pub source_id: i64,
    pub user_id: Option<i64>,
    pub at: i64,
    pub import_id: i64,
    pub personal: Vec<Option<Vec<u8>>>,
}

/// A phone or e-mail of a new contact, sealed.
pub struct ChannelRow {
    pub id: i64,
    pub contact_id: i64,
    pub kind: &'static str,
    pub value: Vec<u8>,
    pub call: bool,
    pub sms: bool,
    pub email: bool,
    pub position: i64,
    pub at: i64,
    pub flagged: bool,
}

/// Rows of `contacts`, `contact_channels` and `contact_index`, gathered for one write.
#[derive(Default)]
pub struct ContactRows {
    contacts: Vec<Vec<Val>>,
    channels: Vec<Vec<Val>>,
    index: Vec<Vec<Val>>,
}

impl ContactRows {
    pub fn with_capacity(contacts: usize) -> Self {
        Self {
            contacts: Vec::with_capacity(contacts),
            ..Self::default()
        }
    }

    pub fn contact(&mut self, c: ContactRow) {
        let mut row = vec![
            Val::Int(c.id),
            Val::Word(c.kind),
            Val::Int(c.source_id),
            c.user_id.into(),
            Val::Int(c.at),
            c.user_id.into(),
            Val::Int(c.at),
            Val::Int(c.import_id),
        ];
        row.extend(c.personal.into_iter().map(Val::from));
        self.contacts.push(row);
    }

    pub fn channel(&mut self, c: ChannelRow) {
        self.channels.push(vec![
            Val::Int(c.id),
            Val::Int(c.contact_id),
            Val::Word(c.kind),
            Val::Blob(c.value),
            Val::Int(i64::from(c.call)),
            Val::Int(i64::from(c.sms)),
            Val::Int(i64::from(c.email)),
            Val::Int(c.position),
            Val::Int(c.at),
            Val::Int(i64::from(c.flagged)),
        ]);
    }

    pub fn token(&mut self, token: Vec<u8>, contact_id: i64) {
        self.index
            .push(vec![Val::Blob(token), Val::Int(contact_id)]);
    }

    /// Writes the contacts, then their channels and index tokens.
    pub async fn insert(self, conn: &mut AnyConnection, backend: Backend) -> Result<(), AppError> {
        let mut columns = CONTACT_COLUMNS.to_vec();
        columns.extend(super::store::PERSONAL);
        insert(conn, backend, "contacts", &columns, self.contacts).await?;
        insert(
            conn,
            backend,
            "contact_channels",
            &CHANNEL_COLUMNS,
            self.channels,
        )
        .await?;
        insert(
            conn,
            backend,
            "contact_index",
            &["token", "contact_id"],
            self.index,
        )
        .await
    }
}
