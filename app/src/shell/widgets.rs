//! Small pieces every form uses.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::use_lang;

/// The message for one field, taken from the last result of an action.
#[component]
pub fn FieldMessage<T>(
    result: Signal<Option<Result<T, AppError>>>,
    field: &'static str,
) -> impl IntoView
where
    T: Send + Sync + Clone + 'static,
{
    let lang = use_lang();
    move || {
        result.get().and_then(|r| r.err()).and_then(|e| {
            let lang = lang.get();
            match &e {
                AppError::Validation(fields) => {
                    let texts: Vec<&str> = fields
                        .iter()
                        .filter(|f| f.field == field)
                        .map(|f| f.msg.text(lang))
                        .collect();
                    (!texts.is_empty()).then(|| {
                        view! { <p class="field-error" data-field=field>{texts.join(" ")}</p> }
                    })
                }
                _ => None,
            }
        })
    }
}

/// The message of a failed action that does not belong to a single field.
#[component]
pub fn ErrorBanner<T>(result: Signal<Option<Result<T, AppError>>>) -> impl IntoView
where
    T: Send + Sync + Clone + 'static,
{
    let lang = use_lang();
    move || {
        result.get().and_then(|r| r.err()).and_then(|e| {
            (!matches!(e, AppError::Validation(_)))
                .then(|| view! { <p class="error" role="alert">{e.message(lang.get())}</p> })
        })
    }
}

/// Full navigation: used after signing in or out, so the server renders the next page
/// with the new session.
pub fn go_to(path: &str) {
    #[cfg(not(feature = "ssr"))]
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(path);
    }
    #[cfg(feature = "ssr")]
    let _ = path;
}
