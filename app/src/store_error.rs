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
    /// Only a failed job can be retried.
    JobNotFailed,
    /// A failed import or export is started again from its own page.
    JobNotRetryable,
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
            StoreError::Db { source, .. } => {
                matches!(
                    source,
                    sqlx::Error::PoolTimedOut
                        | sqlx::Error::PoolClosed
                        | sqlx::Error::Io(_)
                        | sqlx::Error::Tls(_)
                        | sqlx::Error::WorkerCrashed
                ) || server_going_away(source)
            }
            _ => false,
        }
    }
}

/// PostgreSQL's answers while it shuts down, restarts or starts up: class 57P
/// (`admin_shutdown` — "terminating connection due to administrator command" to every
/// statement in flight when it restarts —, `crash_shutdown`, `cannot_connect_now`) and the
/// connection exceptions of class 08 (not `08P01`, a protocol violation: a bug, not an
/// outage). The statement was fine; the server was not there to run it, so the user hears
/// "try again in a moment", not an internal error.
fn server_going_away(e: &sqlx::Error) -> bool {
    const CONNECTION_LOST: [&str; 5] = ["08000", "08001", "08003", "08004", "08006"];
    let sqlx::Error::Database(db) = e else {
        return false;
    };
    db.code()
        .is_some_and(|code| code.starts_with("57P") || CONNECTION_LOST.contains(&code.as_ref()))
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

    /// A database error with only a SQLSTATE, as PostgreSQL sends them.
    #[derive(Debug)]
    struct Sqlstate(&'static str);

    impl std::fmt::Display for Sqlstate {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "SQLSTATE {}", self.0)
        }
    }

    impl std::error::Error for Sqlstate {}

    impl sqlx::error::DatabaseError for Sqlstate {
        fn message(&self) -> &str {
            self.0
        }
        fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
            Some(self.0.into())
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    fn from_server(code: &'static str) -> StoreError {
        StoreError::from(sqlx::Error::Database(Box::new(Sqlstate(code))))
    }

    #[test]
    fn a_restarting_server_is_unavailable_a_refused_statement_is_not() {
        // admin_shutdown (a restart), crash_shutdown, cannot_connect_now (starting up),
        // connection_failure.
        for code in ["57P01", "57P02", "57P03", "08006"] {
            assert!(from_server(code).is_unavailable(), "{code}");
        }
        // unique_violation, syntax_error, query_canceled (57014 is not 57P), protocol
        // violation (a bug of ours or the driver's).
        for code in ["23505", "42601", "57014", "08P01"] {
            assert!(!from_server(code).is_unavailable(), "{code}");
        }
    }

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
