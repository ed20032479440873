//! What a feature's `store` reports: facts about the data, never words for people.
//! `From<StoreError> for AppError` (in `error.rs`) is the one place that turns them into
//! what a caller reads, beside the status table, so SQL code carries no UI messages.

use crate::i18n::Msg;

/// A rule of the stored data that refused a change. Each maps to one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The contact's personal data is erased; nothing more can be written about it.
    ContactErased,
    /// A contact the caller named does not exist (reported on `field`).
    UnknownContact {
        field: &'static str,
    },
    /// Something else the caller named does not exist (reported on `field`).
    Missing {
        field: &'static str,
    },
    LoginTaken,
    LastAdministrator,
    AssigneeUnknown,
    /// Required consents without a decision, by name.
    ConsentsRequired(Vec<String>),
    /// A disclosure names a field the recipient may not receive.
    OutsideScope(String),
    /// Input the store was handed that does not hold (each message beside its field).
    Invalid(Vec<crate::error::FieldError>),
    /// A field refused by a rule the store checks against stored rows.
    Field {
        field: &'static str,
        msg: Msg,
    },
    ErasureDecided,
    ErasureAlreadyRequested,
    ErasureExtendedOnce,
    LegalHold,
    ImportStarted,
    ImportNotFinished,
    /// Processing is restricted (Art. 18): the data may not be changed or disclosed.
    ContactRestricted,
    AlreadyRestricted,
    NotRestricted,
    /// A contact waiting for erasure is neither restricted nor lifted: the request
    /// decides first.
    ErasurePendingNoRestriction,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed while doing `doing`: a fixed phrase, never a value.
    #[error("database error while {doing}: {source}")]
    Db {
        doing: &'static str,
        #[source]
        source: sqlx::Error,
    },
    /// A file beside the database (the erasure register) could not be written.
    #[error("file error while {doing}: {source}")]
    File {
        doing: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("not found")]
    NotFound,
    /// The row changed since the caller read it.
    #[error("the record changed meanwhile")]
    Stale,
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// Stored data contradicts itself (a key that does not open, a value that does not
    /// encode): a fault of ours, logged with the phrase.
    #[error("inconsistent data: {0}")]
    Inconsistent(&'static str),
}

impl StoreError {
    /// Whether the database could not be reached (down, restarting, pool exhausted), as
    /// opposed to refusing a statement: the caller may try again shortly.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Db { source, .. } => matches!(
                source,
                sqlx::Error::PoolTimedOut
                    | sqlx::Error::PoolClosed
                    | sqlx::Error::Io(_)
                    | sqlx::Error::Tls(_)
                    | sqlx::Error::WorkerCrashed
            ),
            _ => false,
        }
    }
}

/// A bare `?` on a query: the phrase says only that a query failed. Prefer
/// [`Doing::doing`] where the statement does something a reader of the log should know.
impl From<sqlx::Error> for StoreError {
    fn from(source: sqlx::Error) -> Self {
        StoreError::Db {
            doing: "running a query",
            source,
        }
    }
}

impl From<Refusal> for StoreError {
    fn from(refusal: Refusal) -> Self {
        StoreError::Refused(refusal)
    }
}

/// Names what a statement was doing, for the log.
pub trait Doing<T> {
    fn doing(self, doing: &'static str) -> Result<T, StoreError>;
}

impl<T> Doing<T> for Result<T, sqlx::Error> {
    fn doing(self, doing: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Db { doing, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_timeout_is_unavailable_and_a_bad_statement_is_not() {
        let down: Result<(), sqlx::Error> = Err(sqlx::Error::PoolTimedOut);
        assert!(down.doing("reading a card").unwrap_err().is_unavailable());
        let bad = StoreError::from(sqlx::Error::RowNotFound);
        assert!(!bad.is_unavailable());
        assert!(bad
            .to_string()
            .starts_with("database error while running a query"));
    }
}
