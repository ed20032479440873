//! The one error type every server function returns. Its HTTP status is decided in
//! [`AppError::status`], applied to responses by the access layer; the client gets a
//! plain, translatable reason and the server logs the details.

use serde::{Deserialize, Serialize};
use server_fn_error::*;

use crate::i18n::{Lang, Msg};

mod server_fn_error {
    pub use leptos::server_fn::codec::JsonEncoding;
    pub use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
}

/// A message tied to one form field, so the UI can show it beside that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FieldError {
    pub field: String,
    pub msg: Msg,
}

impl FieldError {
    pub fn new(field: &str, msg: Msg) -> Self {
        Self {
            field: field.to_string(),
            msg,
        }
    }
}

#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("wrong login or password")]
    InvalidCredentials,
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("forbidden")]
    Forbidden,
    #[error("request refused: it did not come from Zgoda's own origin")]
    CrossOrigin,
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("conflict")]
    Conflict(Msg),
    /// Required consents without a decision, by name: a case cannot be saved yet.
    #[error("required consents missing")]
    ConsentsRequired(Vec<String>),
    /// A disclosure names a field the recipient may not receive.
    #[error("outside the sharing scope")]
    OutsideScope(String),
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: i64 },
    /// An API token over its request rate.
    #[error("rate limited")]
    RateLimited { retry_after_secs: i64 },
    #[error("internal error")]
    Internal,
    /// The database cannot be reached right now (restarting, overloaded); try again.
    #[error("temporarily unavailable")]
    Unavailable,
    /// Raised on the client side when the request itself failed (network, decoding).
    #[error("communication error")]
    Transport(String),
}

impl AppError {
    pub fn field(field: &str, msg: Msg) -> Self {
        Self::Validation(vec![FieldError::new(field, msg)])
    }

    /// The HTTP status of this error: the single mapping for every endpoint.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated | Self::InvalidCredentials => 401,
            Self::PasswordChangeRequired | Self::Forbidden | Self::CrossOrigin => 403,
            Self::NotFound => 404,
            Self::Conflict(_) => 409,
            Self::Validation(_) | Self::ConsentsRequired(_) | Self::OutsideScope(_) => 422,
            Self::TooManyAttempts { .. } | Self::RateLimited { .. } => 429,
            Self::Transport(_) => 400,
            Self::Internal => 500,
            Self::Unavailable => 503,
        }
    }

    /// The message a person reads; field errors are shown beside their fields as well.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::Unauthenticated => Msg::ErrUnauthenticated.text(lang).into(),
            Self::InvalidCredentials => Msg::ErrInvalidCredentials.text(lang).into(),
            Self::PasswordChangeRequired => Msg::ErrPasswordChangeRequired.text(lang).into(),
            Self::Forbidden => Msg::ErrForbidden.text(lang).into(),
            Self::CrossOrigin => Msg::ErrCrossOrigin.text(lang).into(),
            Self::NotFound => Msg::ErrNotFound.text(lang).into(),
            Self::Validation(fields) => fields
                .iter()
                .map(|f| f.msg.text(lang))
                .collect::<Vec<_>>()
                .join(" "),
            Self::Conflict(msg) => msg.text(lang).into(),
            Self::OutsideScope(field) => format!(
                "{} {}.",
                Msg::ErrOutsideScope.text(lang),
                crate::history::model::field_label(field).text(lang)
            ),
            Self::ConsentsRequired(names) => {
                format!(
                    "{} {}.",
                    Msg::ErrConsentsRequired.text(lang),
                    names.join(", ")
                )
            }
            Self::TooManyAttempts { retry_after_secs } => {
                let minutes = (retry_after_secs + 59) / 60;
                format!("{} {minutes} min.", Msg::ErrTooManyAttempts.text(lang))
            }
            Self::RateLimited { retry_after_secs } => {
                format!("{} {retry_after_secs} s.", Msg::ErrRateLimited.text(lang))
            }
            Self::Internal => Msg::ErrInternal.text(lang).into(),
            Self::Unavailable => Msg::ErrUnavailable.text(lang).into(),
            Self::Transport(_) => Msg::ErrTransport.text(lang).into(),
        }
    }

    /// The message for one field, if this error names it.
    pub fn field_message(&self, field: &str, lang: Lang) -> Option<&'static str> {
        match self {
            Self::Validation(fields) => fields
                .iter()
                .find(|f| f.field == field)
                .map(|f| f.msg.text(lang)),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Malformed arguments are the caller's mistake, not ours.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::field("request", Msg::ErrBadRequest)
            }
            // On the server this can only be a request body that does not decode.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(_) => AppError::field("request", Msg::ErrBadRequest),
            ServerFnErrorErr::ServerError(_) => AppError::Internal,
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// How a file route (a download: no page to explain itself on) answers a refusal or a
    /// failure: the status alone, from the one table; a server-side failure is logged.
    pub fn file_refusal(&self) -> axum::response::Response {
        use axum::response::IntoResponse;
        if self.status() >= 500 {
            tracing::warn!(error = %self, "a file route failed");
        }
        axum::http::StatusCode::from_u16(self.status())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
            .into_response()
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        AppError::from(crate::store_error::StoreError::from(err))
    }
}

#[cfg(feature = "ssr")]
impl From<crate::store_error::StoreError> for AppError {
    fn from(err: crate::store_error::StoreError) -> Self {
        use crate::store_error::{Refusal, StoreError};
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Stale => AppError::Conflict(Msg::ErrStaleRecord),
            StoreError::Refused(refusal) => match refusal {
                Refusal::ContactErased => AppError::Conflict(Msg::ErrContactErased),
                Refusal::UnknownContact { field } => AppError::field(field, Msg::ErrContactUnknown),
                Refusal::Missing { field } => AppError::field(field, Msg::ErrNotFound),
                Refusal::LoginTaken => AppError::field("login", Msg::ErrLoginTaken),
                Refusal::LastAdministrator => AppError::Conflict(Msg::ErrLastAdministrator),
                Refusal::AssigneeUnknown => AppError::field("assigned_to", Msg::ErrAssigneeUnknown),
                Refusal::ConsentsRequired(names) => AppError::ConsentsRequired(names),
                Refusal::OutsideScope(field) => AppError::OutsideScope(field),
                Refusal::Field { field, msg } => AppError::field(field, msg),
                Refusal::Invalid(fields) => AppError::Validation(fields),
                Refusal::ErasureDecided => AppError::Conflict(Msg::ErrErasureDecided),
                Refusal::ErasureAlreadyRequested => {
                    AppError::Conflict(Msg::ErrErasureAlreadyRequested)
                }
                Refusal::ErasureExtendedOnce => AppError::Conflict(Msg::ErrErasureExtendOnce),
                Refusal::LegalHold => AppError::Conflict(Msg::ErrLegalHold),
                Refusal::ImportStarted => AppError::Conflict(Msg::ErrImportStarted),
                Refusal::JobNotFailed => AppError::Conflict(Msg::ErrJobNotFailed),
                Refusal::JobNotRetryable => AppError::Conflict(Msg::ErrJobNotRetryable),
                Refusal::ImportNotFinished => AppError::Conflict(Msg::ErrImportNotFinished),
                Refusal::ContactRestricted => AppError::Conflict(Msg::ErrContactRestricted),
                Refusal::AlreadyRestricted => AppError::Conflict(Msg::ErrAlreadyRestricted),
                Refusal::NotRestricted => AppError::Conflict(Msg::ErrNotRestricted),
                Refusal::ErasurePendingNoRestriction => {
                    AppError::Conflict(Msg::ErrRestrictionErasurePending)
                }
            },
            err @ StoreError::Db { .. } if err.is_unavailable() => {
                // sqlx's messages name constraints and columns, never bound values.
                tracing::warn!(error = %err, "database unavailable");
                AppError::Unavailable
            }
            err @ (StoreError::Db { .. }
            | StoreError::File { .. }
            | StoreError::Inconsistent(_)) => {
                tracing::error!(error = %err, "store error");
                AppError::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_round_trip_through_json_with_their_status() {
        let cases = [
            (AppError::Unauthenticated, 401),
            (AppError::field("login", Msg::ErrRequired), 422),
            (
                AppError::TooManyAttempts {
                    retry_after_secs: 900,
                },
                429,
            ),
            (AppError::Conflict(Msg::ErrLoginTaken), 409),
            (AppError::Internal, 500),
        ];
        for (err, status) in cases {
            assert_eq!(err.status(), status);
            let json = serde_json::to_string(&err).unwrap();
            let back: AppError = serde_json::from_str(&json).unwrap();
            assert_eq!(back, err);
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn store_errors_map_to_one_status_each() {
        use crate::store_error::{Refusal, StoreError};
        let down = AppError::from(StoreError::from(sqlx::Error::PoolTimedOut));
        assert_eq!((down.clone(), down.status()), (AppError::Unavailable, 503));
        let broken = AppError::from(StoreError::from(sqlx::Error::RowNotFound));
        assert_eq!(broken.status(), 500);
        assert_eq!(AppError::from(StoreError::Stale).status(), 409);
        assert_eq!(
            AppError::from(StoreError::Refused(Refusal::LegalHold)),
            AppError::Conflict(Msg::ErrLegalHold)
        );
        assert_eq!(
            AppError::from(StoreError::Refused(Refusal::Missing { field: "case_id" })),
            AppError::field("case_id", Msg::ErrNotFound)
        );
    }

    #[test]
    fn lockout_message_rounds_minutes_up() {
        let err = AppError::TooManyAttempts {
            retry_after_secs: 61,
        };
        assert!(err.message(Lang::En).ends_with("2 min."));
    }
}
