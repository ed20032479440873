use leptos::prelude::*;

use super::{t, use_lang, Lang, Msg};
use crate::error::AppError;

/// Remembers the language in a cookie; works as a plain form post without JavaScript.
#[server(endpoint = "set_language", output = crate::codec::JsonText)]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    crate::auth::access::serve_public("set_language", |_| async move { remember_language(&lang) })
        .await
}

#[cfg(feature = "ssr")]
fn remember_language(lang: &str) -> Result<(), AppError> {
    let lang = Lang::from_code(lang).ok_or(AppError::field("lang", Msg::ErrBadRequest))?;
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        super::LANG_COOKIE,
        lang.code()
    );
    let opts = expect_context::<leptos_axum::ResponseOptions>();
    if let Ok(value) = http::HeaderValue::from_str(&cookie) {
        opts.append_header(http::header::SET_COOKIE, value);
    }
    Ok(())
}

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SetLanguage>::new();
    // The server confirms with a cookie; the signal follows the submitted choice at once.
    Effect::new(move |_| {
        if let Some(input) = action.input().get() {
            if let Some(l) = Lang::from_code(&input.lang) {
                lang.set(l);
            }
        }
    });
    let other = move || match lang.get() {
        Lang::Pl => Lang::En,
        Lang::En => Lang::Pl,
    };
    view! {
        <ActionForm action=action attr:class="lang-switch">
            <input type="hidden" name="lang" prop:value=move || other().code()/>
            <button type="submit" data-testid="lang-switch" title=t(Msg::LanguageSwitchTitle)>
                {move || match other() {
                    Lang::Pl => "PL",
                    Lang::En => "EN",
                }}
            </button>
        </ActionForm>
    }
}
