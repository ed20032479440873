//! Sign-in, sign-out, the current user and the password change.

use leptos::prelude::*;

use super::policy::PasswordPolicy;
use super::SessionUser;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::Msg;

#[cfg(feature = "ssr")]
pub use super::access::Caller;

#[cfg(feature = "ssr")]
fn set_response_cookie(value: String) {
    if let (Some(opts), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&value),
    ) {
        opts.append_header(http::header::SET_COOKIE, value);
    }
}

/// A plain HTML form post (no JavaScript) is sent on to a page; the app navigates itself.
#[cfg(feature = "ssr")]
fn redirect_plain_form(to: &str) {
    let plain_form = use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
    });
    if plain_form {
        leptos_axum::redirect(to);
    }
}

/// Sign-in limits on what a person can type; longer input is refused with a message.
#[cfg(feature = "ssr")]
const MAX_LOGIN_INPUT: usize = 200;

#[server(endpoint = "login", output = crate::codec::JsonText)]
pub async fn login(login: String, password: String) -> Result<SessionUser, AppError> {
    super::access::serve_public("login", |ctx| sign_in(ctx, login, password)).await
}

#[cfg(feature = "ssr")]
async fn sign_in(
    ctx: super::access::Visitor,
    login: String,
    password: String,
) -> Result<SessionUser, AppError> {
    use super::{password, session, store, throttle};
    use crate::audit::store::{append, Event, Outcome};

    let state = ctx.state.clone();
    let mut errors = Vec::new();
    if login.trim().is_empty() {
        errors.push(crate::error::FieldError::new("login", Msg::ErrRequired));
    } else if let Err(msg) = crate::domain::text::check_plain_text(&login, MAX_LOGIN_INPUT) {
        errors.push(crate::error::FieldError::new("login", msg));
    }
    if password.is_empty() {
        errors.push(crate::error::FieldError::new("password", Msg::ErrRequired));
    } else if password.chars().count() > super::policy::MAX_PASSWORD_CHARS {
        errors.push(crate::error::FieldError::new(
            "password",
            Msg::ErrPasswordTooLong,
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let login = login.trim().to_lowercase();
    let keys = throttle::keys_for(&state.security, &login, &ctx.ip);
    let user = store::find_by_login(&state.db, &login).await?;
    // The typed login is never recorded: people type passwords into it by mistake.
    let subject = user
        .as_ref()
        .map_or_else(|| "login:unknown".to_string(), |u| format!("user:{}", u.id));

    if let Some(wait_ms) = throttle::admit(&state.db, &state.security, &keys).await? {
        append(
            &state,
            Event::new("login.refused_locked", Outcome::Denied)
                .subject(subject)
                .source(&ctx.ip),
        )
        .await?;
        return Err(AppError::TooManyAttempts {
            retry_after_secs: (wait_ms + 999) / 1000,
        });
    }

    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let matched = password::verify(password, stored).await;
    let user = match user {
        Some(u) if matched && !u.disabled => u,
        _ => {
            append(
                &state,
                Event::new("login.failed", Outcome::Failure)
                    .subject(subject)
                    .source(&ctx.ip),
            )
            .await?;
            for locked in throttle::settle_failure(&state.db, &state.security, &keys).await? {
                let kind = if locked.is_address {
                    "address"
                } else {
                    "account"
                };
                append(
                    &state,
                    Event::new("login.locked", Outcome::Denied)
                        .subject(kind)
                        .source(&ctx.ip),
                )
                .await?;
            }
            return Err(AppError::InvalidCredentials);
        }
    };

    throttle::settle_success(&state.db, &keys).await?;
    // A fresh session id at every sign-in; an older session in this browser ends.
    if let Some(old) = &ctx.session {
        session::delete(&state.db, &old.token_hash).await?;
    }
    let token = session::create(&state.db, user.id).await?;
    set_response_cookie(session::set_cookie_header(&state.security, &token));
    append(
        &state,
        Event::new("login.succeeded", Outcome::Success)
            .actor(user.id, &user.login)
            .subject(format!("user:{}", user.id))
            .source(&ctx.ip),
    )
    .await?;

    let policy = store::load_policy(&state.db).await?;
    let expires = policy.expires_at(user.password_changed_at);
    let must_change =
        user.must_change_password || expires.is_some_and(|at| at <= crate::db::now_ms());
    redirect_plain_form(if must_change { "/zmiana-hasla" } else { "/" });
    Ok(SessionUser {
        id: user.id,
        login: user.login,
        display_name: user.display_name,
        role: user.role,
        must_change_password: must_change,
        password_changed_at: user.password_changed_at,
        password_expires_at: expires,
    })
}

#[server(endpoint = "logout", output = crate::codec::JsonText)]
pub async fn logout() -> Result<(), AppError> {
    super::access::serve("logout", |caller| async move {
        let state = &caller.state;
        super::session::delete(&state.db, &caller.session.token_hash).await?;
        set_response_cookie(super::session::clear_cookie_header(&state.security));
        caller
            .audit("logout", format!("user:{}", caller.user_id()))
            .await?;
        redirect_plain_form("/logowanie");
        Ok(())
    })
    .await
}

#[server(endpoint = "current_user", output = crate::codec::JsonText)]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    super::access::serve_public("current_user", |visitor| async move {
        Ok(visitor.session.map(|s| s.user))
    })
    .await
}

/// The policy in force, so the change page can list its rules.
#[server(endpoint = "password_rules", output = crate::codec::JsonText)]
pub async fn password_rules() -> Result<PasswordPolicy, AppError> {
    super::access::serve("password_rules", |caller| async move {
        super::store::load_policy(&caller.state.db)
            .await
            .map_err(AppError::from)
    })
    .await
}

/// Changes the caller's own password; every session of the user ends, this one included,
/// and the user signs in again with the new password.
#[server(endpoint = "change_password", output = crate::codec::JsonText)]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_repeat: String,
) -> Result<(), AppError> {
    super::access::serve("change_password", |caller| {
        replace_password(caller, current_password, new_password, new_password_repeat)
    })
    .await
}

#[cfg(feature = "ssr")]
async fn replace_password(
    ctx: super::access::Caller,
    current_password: String,
    new_password: String,
    new_password_repeat: String,
) -> Result<(), AppError> {
    use super::{password, session, store};
    use crate::audit::store::{append, Event, Outcome};
    use crate::error::FieldError;

    let state = ctx.state.clone();
    let me = ctx.session.clone();
    let user = store::find_by_id(&state.db, me.user.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;

    if current_password.is_empty() {
        return Err(AppError::field("current_password", Msg::ErrRequired));
    }
    if current_password.chars().count() > super::policy::MAX_PASSWORD_CHARS
        || !password::verify(current_password, Some(user.password_hash.clone())).await
    {
        append(
            &state,
            Event::new("password.change_failed", Outcome::Failure)
                .actor(user.id, &user.login)
                .source(&ctx.ip),
        )
        .await?;
        return Err(AppError::field(
            "current_password",
            Msg::ErrCurrentPasswordWrong,
        ));
    }
    if new_password != new_password_repeat {
        return Err(AppError::field(
            "new_password_repeat",
            Msg::ErrPasswordsDiffer,
        ));
    }
    let policy = store::load_policy(&state.db).await?;
    let broken = policy.check(&new_password);
    if !broken.is_empty() {
        return Err(AppError::Validation(
            broken
                .into_iter()
                .map(|m| FieldError::new("new_password", m))
                .collect(),
        ));
    }
    let mut former = vec![user.password_hash.clone()];
    former.extend(store::recent_password_hashes(&state.db, user.id).await?);
    for old in former {
        if password::verify(new_password.clone(), Some(old)).await {
            return Err(AppError::field("new_password", Msg::ErrPasswordReused));
        }
    }
    let new_hash = password::hash(new_password).await?;
    store::set_password(&state.db, user.id, &new_hash, false).await?;
    session::delete_for_user(&state.db, user.id, None).await?;
    set_response_cookie(session::clear_cookie_header(&state.security));
    append(
        &state,
        Event::new("password.changed", Outcome::Success)
            .actor(user.id, &user.login)
            .subject(format!("user:{}", user.id))
            .source(&ctx.ip),
    )
    .await?;
    redirect_plain_form("/logowanie");
    Ok(())
}
