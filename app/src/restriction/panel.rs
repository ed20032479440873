//! The card's restriction: the "⋮" menu item that restricts, with its dialog, and the
//! notice that says so plainly and lifts it. Either reloads the card when done, so its
//! state, its form (locked while restricted) and this notice follow.

use leptos::prelude::*;

use super::api::{contact_restrict, contact_restriction_lift};
use super::model::{RestrictionGround, RestrictionStatus};
use crate::error::AppError;
use crate::i18n::{t, use_lang, Msg};
use crate::ids::ContactId;
use crate::time_fmt::format_utc;

/// Shows `error` below a dialog's fields, in the person's language.
fn error_line(error: RwSignal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        error
            .get()
            .map(|e| view! { <p class="error" role="alert">{e.message(lang.get())}</p> })
    }
}

/// "Ogranicz przetwarzanie" in the card's "⋮" menu, for an active contact.
#[component]
pub fn RestrictionMenuItem(contact_id: ContactId, on_changed: Callback<()>) -> impl IntoView {
    let open = RwSignal::new(false);
    let ground = RwSignal::new(RestrictionGround::default());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let restrict = Action::new(move |_: &()| {
        let (ground, note) = (ground.get_untracked(), note.get_untracked());
        async move { contact_restrict(contact_id, ground, note).await }
    });
    Effect::new(move |_| match restrict.value().get() {
        Some(Ok(_)) => {
            open.set(false);
            on_changed.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    view! {
        <button type="button" role="menuitem" data-testid="restrict-open" on:click=move |_| open.set(true)>
            {t(Msg::RestrictAction)}
        </button>
        <Show when=move || open.get()>
            <div class="dialog-backdrop">
                <div class="dialog card" role="dialog" aria-modal="true" data-testid="restrict-dialog">
                    <h2>{t(Msg::RestrictAction)}</h2>
                    <p>{t(Msg::RestrictConfirm)}</p>
                    <label>{t(Msg::RestrictionGroundLabel)}
                        <select name="ground" on:change=move |ev| ground.set(RestrictionGround::parse(&event_target_value(&ev)).unwrap_or_default())>
                            {RestrictionGround::ALL.iter().map(|g| view! {
                                <option value=g.as_str() selected=move || ground.get() == *g>{t(g.label())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>{t(Msg::RestrictionNoteLabel)}
                        <textarea name="note" rows="3" on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    </label>
                    {error_line(error)}
                    <div class="form-actions">
                        <button type="button" class="primary" data-testid="restrict-confirm"
                            disabled=move || restrict.pending().get()
                            on:click=move |_| { restrict.dispatch(()); }>{t(Msg::RestrictAction)}</button>
                        <button type="button" on:click=move |_| open.set(false)>{t(Msg::Cancel)}</button>
                    </div>
                </div>
            </div>
        </Show>
    }
}

/// What the card says while processing is restricted, with "Znieś ograniczenie", which
/// asks for the confirmation that the person was told (Art. 18(3)).
#[component]
pub fn RestrictionNotice(
    contact_id: ContactId,
    status: RestrictionStatus,
    on_changed: Callback<()>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let informed = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let lift = Action::new(move |_: &()| {
        let (informed, note) = (informed.get_untracked(), note.get_untracked());
        async move { contact_restriction_lift(contact_id, informed, note).await }
    });
    Effect::new(move |_| match lift.value().get() {
        Some(Ok(())) => {
            open.set(false);
            on_changed.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let has_note = !status.note.is_empty();
    view! {
        <div class="notice alert" data-testid="restriction-notice">
            <p><strong>{t(Msg::RestrictionNotice)}</strong></p>
            <p>
                {t(Msg::RestrictionGroundLabel)} ": " {t(status.ground.label())} " · "
                {t(Msg::RestrictionSince)} " " {format_utc(status.restricted_at)} " · "
                {status.restricted_by.unwrap_or_default()}
            </p>
            {has_note.then(|| view! { <p class="pre-line">{status.note}</p> })}
            <button type="button" data-testid="restriction-lift-open" on:click=move |_| open.set(true)>
                {t(Msg::RestrictionLift)}
            </button>
        </div>
        <Show when=move || open.get()>
            <div class="dialog-backdrop">
                <div class="dialog card" role="dialog" aria-modal="true" data-testid="restriction-lift-dialog">
                    <h2>{t(Msg::RestrictionLift)}</h2>
                    <label class="check">
                        <input type="checkbox" name="person_informed"
                            on:change=move |ev| informed.set(event_target_checked(&ev))/>
                        {t(Msg::RestrictionInformed)}
                    </label>
                    <label>{t(Msg::RestrictionNoteLabel)}
                        <textarea name="note" rows="3" on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    </label>
                    {error_line(error)}
                    <div class="form-actions">
                        <button type="button" class="primary" data-testid="restriction-lift-confirm"
                            disabled=move || lift.pending().get()
                            on:click=move |_| { lift.dispatch(()); }>{t(Msg::RestrictionLift)}</button>
                        <button type="button" on:click=move |_| open.set(false)>{t(Msg::Cancel)}</button>
                    </div>
                </div>
            </div>
        </Show>
    }
}
