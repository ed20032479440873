//! All UI text goes through [`Msg`]: Polish first, English second. The chosen language
//! lives in a cookie so that the server renders the same language the browser hydrates.

mod catalog;
pub mod switch;

pub use catalog::Msg;
pub use switch::LanguageSwitch;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const LANG_COOKIE: &str = "zgoda_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Pl,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim() {
            "pl" => Some(Lang::Pl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Reads the language from a `Cookie` header value (or `document.cookie`).
    pub fn from_cookie_header(header: &str) -> Self {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LANG_COOKIE)
            .and_then(|(_, value)| Lang::from_code(value))
            .unwrap_or_default()
    }
}

/// The language in force, reactive.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

/// Called once by the root component.
pub fn provide_i18n() {
    provide_context(I18n(RwSignal::new(initial_lang())));
}

pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<I18n>().0
}

/// A reactive text for views: `{t(Msg::LoginTitle)}`.
pub fn t(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || msg.text(lang.get())
}

#[cfg(feature = "ssr")]
fn initial_lang() -> Lang {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(Lang::from_cookie_header)
        })
        .unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn initial_lang() -> Lang {
    use web_sys::wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| d.cookie().ok())
        .map(|c| Lang::from_cookie_header(&c))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_header_picks_the_language_and_defaults_to_polish() {
        assert_eq!(Lang::from_cookie_header("a=b; zgoda_lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("zgoda_lang=xx"), Lang::Pl);
        assert_eq!(Lang::from_cookie_header(""), Lang::Pl);
    }
}
