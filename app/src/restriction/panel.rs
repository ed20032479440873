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

/// The end both dialogs share: a note, the refusal if any, confirm and cancel.
struct Dialog {
    note: RwSignal<String>,
    error: RwSignal<Option<AppError>>,
    open: RwSignal<bool>,
    pending: Signal<bool>,
    confirm: Callback<()>,
    label: Msg,
    test_id: &'static str,
}

fn note_and_actions(d: Dialog) -> impl IntoView {
    let lang = use_lang();
    let Dialog {
        note,
        error,
        open,
        pending,
        confirm,
        label,
        test_id,
    } = d;
    view! {
        <label>{t(Msg::RestrictionNoteLabel)}
            <textarea name="note" rows="3" prop:value=move || note.get()
                on:input=move |ev| note.set(event_target_value(&ev))></textarea>
        </label>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e.message(lang.get())}</p> })}
        <div class="form-actions">
            <button type="button" class="primary" data-testid=test_id
                disabled=move || pending.get() on:click=move |_| confirm.run(())>{t(label)}</button>
            <button type="button" on:click=move |_| open.set(false)>{t(Msg::Cancel)}</button>
        </div>
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
        <button type="button" role="menuitem" data-testid="restrict-open" on:click=move |_| {
            // Each opening starts blank: what a cancelled dialog held is not sent unseen.
            ground.set(RestrictionGround::default());
            note.set(String::new());
            error.set(None);
            open.set(true);
        }>
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
                    {note_and_actions(Dialog {
                        note,
                        error,
                        open,
                        pending: restrict.pending().into(),
                        confirm: Callback::new(move |()| { restrict.dispatch(()); }),
                        label: Msg::RestrictAction,
                        test_id: "restrict-confirm",
                    })}
                </div>
            </div>
        </Show>
    }
}

/// What the card says while processing is restricted, with "Znieś ograniczenie", which
/// asks for the confirmation that the person was told (Art. 18(3)). The checkbox is
/// bound to its signal, so what is sent is what is shown.
#[component]
pub fn RestrictionNotice(
    contact_id: ContactId,
    status: RestrictionStatus,
    /// False while an erasure request waits: the request decides first.
    can_lift: bool,
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
            {can_lift.then(|| view! {
                <button type="button" data-testid="restriction-lift-open" on:click=move |_| {
                    // The box starts unticked at every opening: the confirmation that the
                    // person was told is given here, not carried over from a cancel.
                    informed.set(false);
                    note.set(String::new());
                    error.set(None);
                    open.set(true);
                }>
                    {t(Msg::RestrictionLift)}
                </button>
            })}
        </div>
        <Show when=move || open.get()>
            <div class="dialog-backdrop">
                <div class="dialog card" role="dialog" aria-modal="true" data-testid="restriction-lift-dialog">
                    <h2>{t(Msg::RestrictionLift)}</h2>
                    <label class="check">
                        <input type="checkbox" name="person_informed" prop:checked=move || informed.get()
                            on:change=move |ev| informed.set(event_target_checked(&ev))/>
                        {t(Msg::RestrictionInformed)}
                    </label>
                    {note_and_actions(Dialog {
                        note,
                        error,
                        open,
                        pending: lift.pending().into(),
                        confirm: Callback::new(move |()| { lift.dispatch(()); }),
                        label: Msg::RestrictionLift,
                        test_id: "restriction-lift-confirm",
                    })}
                </div>
            </div>
        </Show>
    }
}
