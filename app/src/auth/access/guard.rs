//! The door inside every server function. The access layer already applied `ENDPOINTS`
//! to the HTTP request, but server functions also run in-process while a page renders,
//! where no layer stands in front of them; so each one asks again, by its own endpoint
//! name, against the same table. A panic in the work becomes `Internal` and a log line
//! (location only: a panic message can quote what a person typed), never a dropped
//! connection or a page that waits forever for its data.

use crate::ids::UserId;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::task::Poll;

use leptos::prelude::use_context;

use super::{decide, endpoint_access, page_access, Access, Refusal, RequestContext};
use crate::auth::session::SessionInfo;
use crate::error::AppError;
use crate::state::AppState;

/// A signed-in caller admitted to one endpoint, with what its work needs.
pub struct Caller {
    pub state: AppState,
    pub session: SessionInfo,
    pub ip: String,
    pub endpoint: &'static str,
}

/// The caller of a public endpoint: perhaps signed in, perhaps not.
pub struct Visitor {
    pub state: AppState,
    pub session: Option<SessionInfo>,
    pub ip: String,
}

impl Caller {
    pub fn user_id(&self) -> UserId {
        self.session.user.id
    }

    pub fn role(&self) -> crate::auth::Role {
        self.session.user.role
    }

    /// Records a successful action on a subject named by id (`contact:7`), never by value.
    pub async fn audit(&self, action: &str, subject: String) -> Result<(), AppError> {
        crate::audit::store::append(&self.state, self.event(action, subject))
            .await
            .map_err(AppError::from)
    }

    /// Records the action in its own transaction, as the last write before the commit.
    pub async fn audit_in(
        &self,
        tx: &mut crate::db::WriteTx,
        action: &str,
        subject: String,
    ) -> Result<(), AppError> {
        let event = self.event(action, subject);
        crate::audit::store::append_in(tx, self.state.db.backend(), &event)
            .await
            .map_err(AppError::from)
    }

    fn event<'a>(&'a self, action: &'a str, subject: String) -> crate::audit::store::Event<'a> {
        use crate::audit::store::{Event, Outcome};
        Event::new(action, Outcome::Success)
            .actor(self.session.user.id, &self.session.user.login)
            .subject(subject)
            .source(&self.ip)
    }
}

pub fn refusal_error(refusal: Refusal) -> AppError {
    match refusal {
        Refusal::NotSignedIn => AppError::Unauthenticated,
        Refusal::PasswordChangeRequired => AppError::PasswordChangeRequired,
        Refusal::WrongRole => AppError::Forbidden,
    }
}

/// What the access layer learned about this request; without it (a render that did not
/// pass the layer) the caller is nobody.
fn request_context() -> RequestContext {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestContext>().cloned())
        .unwrap_or(RequestContext {
            session: None,
            ip: "unknown".to_string(),
        })
}

/// Applies the endpoint's declaration to the caller of this request.
fn admit(endpoint: &'static str) -> Result<(Access, Visitor), AppError> {
    let Some(access) = endpoint_access(endpoint) else {
        tracing::error!(endpoint, "a server function is missing from ENDPOINTS");
        return Err(AppError::NotFound);
    };
    let ctx = request_context();
    admit_endpoint(endpoint, access, ctx.session.as_ref())?;
    let state = use_context::<AppState>().ok_or(AppError::Internal)?;
    Ok((
        access,
        Visitor {
            state,
            session: ctx.session,
            ip: ctx.ip,
        },
    ))
}

/// The page table applied by a route handler that serves a file (evidence, an
/// agreement, rejected rows) to the caller the access layer resolved.
pub fn admit_route(ctx: Option<&RequestContext>, route: &str) -> Result<SessionInfo, AppError> {
    let session = ctx.and_then(|c| c.session.clone());
    // Files (evidence, agreements, rejected rows, exports) are for people, not tokens.
    if session.as_ref().is_some_and(|s| s.grant.is_some()) {
        return Err(AppError::Forbidden);
    }
    admit_session(page_access(route), session.as_ref())?;
    session.ok_or(AppError::Unauthenticated)
}

/// The one answer to "may this session have that?", for the layer, the server
/// functions and the file routes alike.
pub fn admit_session(access: Access, session: Option<&SessionInfo>) -> Result<(), AppError> {
    let caller = session.map(|s| (s.user.role, s.user.must_change_password));
    decide(access, caller).map_or(Ok(()), |refusal| Err(refusal_error(refusal)))
}

/// The integrator API's document and its page: for anyone signed in with a current
/// password, and for any valid token (whatever its endpoint list), since both need to
/// know the calls.
pub fn admit_document(session: Option<&SessionInfo>) -> Result<(), AppError> {
    admit_session(Access::Roles(super::EVERY_ROLE), session)
}

/// `admit_session` for one endpoint: an API token must also be allowed that endpoint
/// (an integrator endpoint, within the token's own list). The layer and every server
/// function ask this same question.
pub fn admit_endpoint(
    endpoint: &str,
    access: Access,
    session: Option<&SessionInfo>,
) -> Result<(), AppError> {
    admit_session(access, session)?;
    match session.and_then(|s| s.grant.as_ref()) {
        Some(grant) if !grant.may_call(endpoint) => Err(AppError::Forbidden),
        _ => Ok(()),
    }
}

/// Runs a signed-in endpoint's work once its caller is admitted.
pub async fn serve<T, F, Fut>(endpoint: &'static str, work: F) -> Result<T, AppError>
where
    F: FnOnce(Caller) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let (access, visitor) = admit(endpoint)?;
    if access == Access::Public {
        // A public endpoint has no signed-in caller to hand over: a wiring mistake.
        tracing::error!(endpoint, "a public endpoint asked for a signed-in caller");
        return Err(AppError::Internal);
    }
    let caller = Caller {
        state: visitor.state,
        session: visitor.session.ok_or(AppError::Unauthenticated)?,
        ip: visitor.ip,
        endpoint,
    };
    contained(endpoint, work(caller)).await
}

/// Runs a public endpoint's work (sign-in, language, who am I).
pub async fn serve_public<T, F, Fut>(endpoint: &'static str, work: F) -> Result<T, AppError>
where
    F: FnOnce(Visitor) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let (_, visitor) = admit(endpoint)?;
    contained(endpoint, work(visitor)).await
}

/// Polls the work and turns a panic inside it into `Internal`.
async fn contained<T, Fut>(endpoint: &'static str, work: Fut) -> Result<T, AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    // In-process calls during a render have no request span of their own: this one names
    // the endpoint for whatever the work logs (a database error says where it happened).
    let span = tracing::info_span!("server_fn", endpoint);
    let mut work = std::pin::pin!(tracing::Instrument::instrument(work, span));
    std::future::poll_fn(move |cx| {
        match catch_unwind(AssertUnwindSafe(|| work.as_mut().poll(cx))) {
            Ok(poll) => poll,
            Err(_) => {
                tracing::error!(endpoint, "a server function panicked");
                Poll::Ready(Err(AppError::Internal))
            }
        }
    })
    .await
}
