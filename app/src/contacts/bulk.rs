//! The contacts feature's tables written many rows at a time (the import): each table's
//! column list sits beside the code that builds its row, so adding a column is one edit
//! here. Values arrive sealed; ids are reserved by the caller.

use crate::ids::{ContactId, ImportId, SourceId, UserId};
use crate::store_error::StoreError;
use sqlx::AnyConnection;

use crate::bulk::{insert, Val};
use crate::db::Backend;

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
    pub id: ContactId,
    pub kind: &'static str,
    pub source_id: SourceId,
    pub user_id: Option<UserId>,
    pub at: i64,
    pub import_id: ImportId,
    pub personal: Vec<Option<Vec<u8>>>,
}

/// A phone or e-mail of a new contact, sealed.
pub struct ChannelRow {
    pub id: i64,
    pub contact_id: ContactId,
    pub kind: &'static str,
    pub value: Vec<u8>,
    pub call: bool,
    pub sms: bool,
    pub email: bool,
    pub position: i64,
    pub at: i64,
    pub flagged: bool,
}

/// Rows of `contacts`, `contact_channels`, `contact_tokens` and `staged_tokens`,
/// gathered for one write of an import. Its tokens reach `contact_index` when it ends
/// (`tokens::merge`).
pub struct ContactRows {
    import_id: ImportId,
    contacts: Vec<Vec<Val>>,
    channels: Vec<Vec<Val>>,
    tokens: Vec<Vec<Val>>,
    /// (bucket, contact, token, lookup): written in key order, one append point per bucket.
    staged: Vec<(i64, ContactId, Vec<u8>, bool)>,
}

impl ContactRows {
    pub fn for_import(import_id: ImportId, contacts: usize) -> Self {
        Self {
            import_id,
            contacts: Vec::with_capacity(contacts),
            channels: Vec::new(),
            tokens: Vec::new(),
            staged: Vec::new(),
        }
    }

    pub fn contact(&mut self, c: ContactRow) {
        let mut row = vec![
            c.id.into(),
            Val::Word(c.kind),
            c.source_id.into(),
            c.user_id.into(),
            Val::Int(c.at),
            c.user_id.into(),
            Val::Int(c.at),
            c.import_id.into(),
        ];
        row.extend(c.personal.into_iter().map(Val::from));
        self.contacts.push(row);
    }

    pub fn channel(&mut self, c: ChannelRow) {
        self.channels.push(vec![
            Val::Int(c.id),
            c.contact_id.into(),
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

    /// A token of a contact the import adds; `lookup` marks phone and e-mail tokens.
    pub fn token(&mut self, token: Vec<u8>, contact_id: ContactId, lookup: bool) {
        self.tokens
            .push(vec![contact_id.into(), Val::Blob(token.clone())]);
        self.staged
            .push((super::tokens::bucket(&token), contact_id, token, lookup));
    }

    /// Writes the contacts, then their channels and tokens.
    pub async fn insert(
        self,
        conn: &mut AnyConnection,
        backend: Backend,
    ) -> Result<(), StoreError> {
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
            "contact_tokens",
            &["contact_id", "token"],
            self.tokens,
        )
        .await?;
        let import_id = self.import_id;
        let mut staged = self.staged;
        staged.sort_unstable_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
        let rows = staged
            .into_iter()
            .map(|(bucket, contact_id, token, lookup)| {
                vec![
                    import_id.into(),
                    Val::Int(bucket),
                    contact_id.into(),
                    Val::Blob(token),
                    Val::Int(i64::from(lookup)),
                ]
            })
            .collect();
        insert(
            conn,
            backend,
            "staged_tokens",
            &["import_id", "bucket", "contact_id", "token", "lookup"],
            rows,
        )
        .await
    }
}
