//! Who may act on which request: the endpoint table admits a role, these rules admit a
//! person to one object. Checked inside the write transaction, so the answer holds
//! until the change commits.

use crate::ids::{CaseId, ContactId, ErasureRequestId, UserId};
use sqlx::AnyConnection;

use crate::auth::Role;
use crate::error::AppError;

/// A request may be taken back by the consultant who asked, or by a manager.
pub async fn may_withdraw(
    conn: &mut AnyConnection,
    user_id: UserId,
    role: Role,
    request_id: ErasureRequestId,
) -> Result<(), AppError> {
    let requested_by: Option<Option<UserId>> =
        sqlx::query_scalar("SELECT requested_by FROM erasure_requests WHERE id = $1")
            .bind(request_id)
            .fetch_optional(&mut *conn)
            .await?;
    match requested_by {
        None => Err(AppError::NotFound),
        Some(_) if role.sees_manager_part() => Ok(()),
        Some(by) if by == Some(user_id) => Ok(()),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// A request made from a case card names that case: it must be the contact's own.
pub async fn case_of_contact(
    conn: &mut AnyConnection,
    case_id: Option<CaseId>,
    contact_id: ContactId,
) -> Result<(), AppError> {
    let Some(case_id) = case_id else {
        return Ok(());
    };
    match crate::cases::store::contact_of(conn, case_id).await? {
        Some(owner) if owner == contact_id => Ok(()),
        _ => Err(AppError::field(
            "case_id",
            crate::i18n::Msg::ErrCaseOfOtherContact,
        )),
    }
}
