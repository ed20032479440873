//! The "⋮" menu item of the right to be forgotten, with its confirmation, on the
//! contact card and the case card.

use crate::ids::{CaseId, ContactId, ErasureRequestId};
use leptos::prelude::*;

use super::api::{erasure_request, erasure_withdraw};
use super::model::{ErasureStatus, Ground, RequestState};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::i18n::{t, use_lang, Msg};

#[component]
pub fn ErasureMenuItem(
    contact_id: ContactId,
    #[prop(optional)] case_id: Option<CaseId>,
    status: RwSignal<Option<ErasureStatus>>,
) -> impl IntoView {
    let confirm = RwSignal::new(false);
    let ground = RwSignal::new(Ground::NoLongerNeeded);
    let ask = Action::new(move |_: &()| {
        let ground = ground.get_untracked();
        async move { erasure_request(contact_id, case_id, ground.as_str().into()).await }
    });
    let undo = Action::new(move |id: &ErasureRequestId| {
        let id = *id;
        async move { erasure_withdraw(id).await }
    });
    let error = RwSignal::new(None::<AppError>);
    // One effect per action: each applies only its own newest answer.
    let apply = move |result: Option<Result<Option<ErasureStatus>, AppError>>| match result {
        Some(Ok(latest)) => {
            status.set(latest);
            error.set(None);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    };
    Effect::new(move |_| apply(ask.value().get()));
    Effect::new(move |_| apply(undo.value().get()));
    let lang = use_lang();
    let state = move || status.get().map(|s| s.state);
    // Taking a request back is for the one who asked and for managers; others see the
    // pending notice only.
    let me = use_context::<SessionUser>();
    let may_undo = move || {
        let asked_by = status.get().and_then(|s| s.requested_by_id);
        me.as_ref()
            .is_some_and(|u| u.role.sees_manager_part() || asked_by == Some(u.id))
    };
    view! {
        {move || match state() {
            Some(RequestState::Pending) if !may_undo() => ().into_any(),
            Some(RequestState::Pending) => view! {
                <button type="button" role="menuitem" data-testid="erasure-undo"
                    on:click=move |_| { if let Some(s) = status.get_untracked() { undo.dispatch(s.id); } }>
                    {t(Msg::ErasureUndo)}
                </button>
            }.into_any(),
            Some(RequestState::Approved) => view! {
                <button type="button" role="menuitem" class="done" disabled data-testid="erasure-done">
                    {t(Msg::ErasureDone)}
                </button>
            }.into_any(),
            _ => view! {
                <button type="button" role="menuitem" data-testid="erasure-ask" on:click=move |_| confirm.set(true)>
                    {t(Msg::ErasureAsk)}
                </button>
            }.into_any(),
        }}
        <Show when=move || confirm.get()>
            <div class="dialog-backdrop">
                <div class="dialog card" role="dialog" aria-modal="true" data-testid="erasure-dialog">
                    <p>{t(Msg::ErasureConfirm)}</p>
                    <label>{t(Msg::ErasureGroundLabel)}
                        <select on:change=move |ev| ground.set(Ground::parse(&event_target_value(&ev)).unwrap_or_default())>
                            {Ground::ALL.iter().map(|g| view! { <option value=g.as_str()>{t(g.label())}</option> }).collect_view()}
                        </select>
                    </label>
                    <div class="form-actions">
                        <button type="button" class="primary" on:click=move |_| { confirm.set(false); ask.dispatch(()); }>"TAK"</button>
                        <button type="button" on:click=move |_| confirm.set(false)>"Anuluj"</button>
                    </div>
                </div>
            </div>
        </Show>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e.message(lang.get())}</p> })}
    }
}

/// What the card says about the latest request: pending with its deadline, refused with
/// the manager's reason, or erased.
#[component]
pub fn ErasureNotice(status: RwSignal<Option<ErasureStatus>>) -> impl IntoView {
    move || {
        status.get().and_then(|s| match s.state {
            RequestState::Pending => Some(
                view! {
                    <p class="notice" data-testid="erasure-notice">
                        {t(Msg::ErasurePendingNotice)} " " {s.requested_by.unwrap_or_default()}
                        " (" {crate::time_fmt::format_utc(s.requested_at)} ")."
                    </p>
                }
                .into_any(),
            ),
            RequestState::Refused => Some(
                view! {
                    <p class="notice" data-testid="erasure-notice">
                        {t(Msg::ErasureRefusedNotice)} " " {s.refusal_reason.unwrap_or_default()}
                    </p>
                }
                .into_any(),
            ),
            RequestState::Approved => Some(
                view! {
                    <p class="notice" data-testid="erasure-notice">{t(Msg::ErasureDone)}</p>
                }
                .into_any(),
            ),
            RequestState::Withdrawn => None,
        })
    }
}
