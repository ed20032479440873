//! Small pieces every form uses.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{t, use_lang, LanguageSwitch, Msg};

/// The centred card of the pages one sees signed out or before the password change.
#[component]
pub fn AuthCard(title: Msg, children: Children) -> impl IntoView {
    view! {
        <main class="auth-page">
            <section class="card auth-card">
                <div class="card-head">
                    <h1>{t(title)}</h1>
                    <LanguageSwitch/>
                </div>
                {children()}
            </section>
        </main>
    }
}

/// A labelled input with the message the last submission gave for it.
#[component]
pub fn FormField<T>(
    label: Msg,
    name: &'static str,
    result: Signal<Option<Result<T, AppError>>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
) -> impl IntoView
where
    T: Send + Sync + Clone + 'static,
{
    view! {
        <label for=name>{t(label)}</label>
        <input id=name name=name type=kind autocomplete=autocomplete autocapitalize="none"/>
        <FieldMessage result field=name/>
    }
}

/// The message for one field, taken from the last result of an action.
#[component]
pub fn FieldMessage<T>(
    result: Signal<Option<Result<T, AppError>>>,
    #[prop(into)] field: String,
) -> impl IntoView
where
    T: Send + Sync + Clone + 'static,
{
    let lang = use_lang();
    move || {
        let field = field.clone();
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
                        view! { <p class="field-error" data-field=field.clone()>{texts.join(" ")}</p> }
                    })
                }
                _ => None,
            }
        })
    }
}

/// The "⋮" menu beside "Zapisz": features put their actions on a record here. A
/// `<details>` element, so it opens without JavaScript too.
#[component]
pub fn MoreMenu(children: Children) -> impl IntoView {
    view! {
        <details class="more-menu">
            <summary title=t(Msg::MoreActions) aria-label=t(Msg::MoreActions) data-testid="more-menu">"⋮"</summary>
            <div class="menu" role="menu">{children()}</div>
        </details>
    }
}

/// Which of a page's forms sent an action last (`Some(T::default())`: the form for a
/// new record); the action itself forgets its input once it is done.
pub fn remember_sender<T: Clone + Send + Sync + 'static>(
    sent: impl Fn() -> Option<T> + Send + Sync + 'static,
) -> RwSignal<Option<T>> {
    let last = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(id) = sent() {
            last.set(Some(id));
        }
    });
    last
}

/// Empties a new-record form after a successful create: re-rendering keeps what the
/// browser holds (ticked boxes included).
pub fn reset_after_create(
    form: NodeRef<leptos::html::Form>,
    created: impl Fn() -> bool + Send + Sync + 'static,
) {
    Effect::new(move |_| {
        if created() {
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
        }
    });
}

/// A personal value for reading: "—" when it is empty or erased.
pub fn or_dash(value: Option<String>) -> String {
    value
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "—".to_string())
}

/// A stored phone number as people read it (`+48 500 000 039`), dialled in E.164 by
/// its `tel:` link; "—" when there is none.
pub fn phone_link(value: Option<String>) -> AnyView {
    match value.filter(|v| !v.trim().is_empty()) {
        None => view! { "—" }.into_any(),
        Some(e164) => {
            let shown = crate::domain::Phone::display(&e164);
            view! { <a class="tel" href=format!("tel:{e164}") data-phone=e164>{shown}</a> }
                .into_any()
        }
    }
}

/// The message of a failed action that does not belong to a single field.
/// With `fields_summary`, field errors also get one line saying nothing was saved (for
/// long forms, where the marked field may be out of sight).
#[component]
pub fn ErrorBanner<T>(
    result: Signal<Option<Result<T, AppError>>>,
    #[prop(optional)] fields_summary: bool,
) -> impl IntoView
where
    T: Send + Sync + Clone + 'static,
{
    let lang = use_lang();
    move || {
        result.get().and_then(|r| r.err()).and_then(|e| {
            let text = match &e {
                AppError::Validation(_) if !fields_summary => return None,
                AppError::Validation(_) => Msg::ErrFixFields.text(lang.get()).to_string(),
                other => other.message(lang.get()),
            };
            Some(view! { <p class="error" role="alert">{text}</p> })
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

/// `ActionForm` for a server function that takes JSON or a form (`codec::JsonOrForm`,
/// the integrator endpoints): without JavaScript the browser posts the fields as a form,
/// which the endpoint accepts; with it, the same fields become the arguments and travel
/// as JSON. Field names follow `ActionForm`'s (`fields[name]` for a map).
#[component]
pub fn JsonActionForm<ServFn>(action: ServerAction<ServFn>, children: Children) -> impl IntoView
where
    ServFn: serde::de::DeserializeOwned
        + leptos::server_fn::ServerFn<Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    ServFn::Output: Send + Sync + 'static,
{
    use leptos::form::FromFormData;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if ev.default_prevented() {
            return;
        }
        ev.prevent_default();
        match ServFn::from_event(&ev) {
            Ok(input) => {
                action.dispatch(input);
            }
            Err(_) => {
                action
                    .value()
                    .set(Some(Err(AppError::field("request", Msg::ErrBadRequest))));
                action.version().update(|n| *n += 1);
            }
        }
    };
    view! { <form action=ServFn::url() method="post" on:submit=on_submit>{children()}</form> }
}

// Fields of the GET filter forms ("Szukaj", "Raporty"): the form is the URL query.

pub fn text_field(
    name: &'static str,
    label: Msg,
    value: &str,
    kind: &'static str,
) -> impl IntoView {
    let id = format!("f-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <input id=id name=name type=kind value=value.to_string() autocomplete="off"/>
        </div>
    }
}

pub fn date_pair(
    from: &'static str,
    to: &'static str,
    label: Msg,
    from_value: &str,
    to_value: &str,
) -> impl IntoView {
    view! {
        <fieldset class="field date-pair">
            <legend>{t(label)}</legend>
            <label>{t(Msg::SearchFrom)}" "
                <input name=from type="date" value=from_value.to_string()/>
            </label>
            <label>{t(Msg::SearchTo)}" "
                <input name=to type="date" value=to_value.to_string()/>
            </label>
        </fieldset>
    }
}

pub fn select_field(
    name: &'static str,
    label: Msg,
    options: Vec<(String, String)>,
    chosen: String,
) -> impl IntoView {
    select_owned(name.to_string(), t(label)().to_string(), options, chosen)
}

pub fn select_owned(
    name: String,
    label: String,
    options: Vec<(String, String)>,
    chosen: String,
) -> impl IntoView {
    let id = format!("f-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="" selected=chosen.is_empty()>"—"</option>
                {options.into_iter().map(|(value, text)| {
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
