//! "RODO rekordy do zapomnienia": managers approve erasures (one or several), refuse or
//! extend them, and keep legal holds. Works on a tablet.

use crate::ids::ErasureRequestId;
use leptos::prelude::*;

use super::api::{
    erasure_queue, legal_holds, ErasureApprove, ErasureExtend, ErasureRefuse, LegalHoldAdd,
    LegalHoldRelease,
};
use super::model::QueueItem;
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{or_dash, ErrorBanner, FieldMessage};
use crate::shell::{Layout, Part};
use crate::time_fmt::format_utc;

#[component]
pub fn ErasureQueuePage() -> impl IntoView {
    let approve = ServerAction::<ErasureApprove>::new();
    let refuse = ServerAction::<ErasureRefuse>::new();
    let extend = ServerAction::<ErasureExtend>::new();
    let hold_add = ServerAction::<LegalHoldAdd>::new();
    let hold_release = ServerAction::<LegalHoldRelease>::new();
    let changes = move || {
        (
            approve.version().get(),
            refuse.version().get(),
            extend.version().get(),
            hold_add.version().get(),
            hold_release.version().get(),
        )
    };
    let queue = Resource::new(changes, |_| erasure_queue());
    let holds = Resource::new(changes, |_| legal_holds());
    let selected = RwSignal::new(Vec::<ErasureRequestId>::new());
    let approved = Signal::derive(move || approve.value().get());
    let refused = Signal::derive(move || refuse.value().get());
    let extended = Signal::derive(move || extend.value().get());
    let hold_result = Signal::derive(move || hold_add.value().get());
    let lang = use_lang();
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::ErasureQueueTitle)}</h1>
            <ErrorBanner result=approved/>
            <ErrorBanner result=refused fields_summary=true/>
            <ErrorBanner result=extended fields_summary=true/>
            {move || approved.get().and_then(|r| r.ok()).filter(|r| !r.failed.is_empty()).map(|r| view! {
                <ul class="error" role="alert">
                    {r.failed.into_iter().map(|(id, msg)| view! { <li>"#" {id} ": " {msg.text(lang.get())}</li> }).collect_view()}
                </ul>
            })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let items = queue.await.unwrap_or_default();
                    if items.is_empty() {
                        return view! { <p data-testid="erasure-queue-empty">{t(Msg::ErasureQueueEmpty)}</p> }.into_any();
                    }
                    view! {
                        <div class="form-actions">
                            <button type="button" class="primary" data-testid="erasure-approve-selected"
                                disabled=move || selected.with(|s| s.is_empty())
                                on:click=move |_| { approve.dispatch(ErasureApprove { request_ids: selected.get_untracked() }); selected.set(Vec::new()); }>
                                {t(Msg::ErasureApproveSelected)}
                            </button>
                        </div>
                        <div class="table-wrap">
                            <table class="list" data-testid="erasure-queue">
                                <thead><tr>
                                    <th></th>
                                    <th>"Id"</th>
                                    <th>{t(Msg::ColName)}</th>
                                    <th>{t(Msg::ErasureRequestedBy)}</th>
                                    <th>{t(Msg::ErasureRequestedAt)}</th>
                                    <th>{t(Msg::ErasureUpdatedAt)}</th>
                                    <th>{t(Msg::ErasureDeadline)}</th>
                                    <th></th>
                                </tr></thead>
                                <tbody>
                                    {items.into_iter().map(|item| view! { <QueueRow item selected approve refuse extend/> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                })}
            </Suspense>
            <section class="card">
                <h2>{t(Msg::LegalHoldsTitle)}</h2>
                <ActionForm action=hold_add attr:class="row-form">
                    <label>{t(Msg::LegalHoldContact)}<input name="contact_id" inputmode="numeric" autocomplete="off"/></label>
                    <label>{t(Msg::LegalHoldReason)}<input name="reason" autocomplete="off"/></label>
                    <label>{t(Msg::LegalHoldUntil)}<input name="until" type="date"/></label>
                    <button type="submit">{t(Msg::LegalHoldAddButton)}</button>
                </ActionForm>
                <FieldMessage result=hold_result field="contact_id"/>
                <FieldMessage result=hold_result field="reason"/>
                <FieldMessage result=hold_result field="until"/>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = holds.await.unwrap_or_default();
                        view! {
                            <ul data-testid="legal-holds">
                                {list.into_iter().map(|h| view! {
                                    <li>
                                        <a href=format!("/kontakty/{}", h.contact_id)>"#" {h.contact_id}</a>
                                        " · " {h.reason} " · " {t(Msg::LegalHoldUntil)} " " {h.until_date}
                                        <ActionForm action=hold_release attr:class="inline">
                                            <input type="hidden" name="hold_id" value=h.id/>
                                            <button type="submit" class="small">{t(Msg::LegalHoldRelease)}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }
                    })}
                </Suspense>
            </section>
        </Layout>
    }
}

#[component]
fn QueueRow(
    item: QueueItem,
    selected: RwSignal<Vec<ErasureRequestId>>,
    approve: ServerAction<ErasureApprove>,
    refuse: ServerAction<ErasureRefuse>,
    extend: ServerAction<ErasureExtend>,
) -> impl IntoView {
    let id = item.id;
    let lang = use_lang();
    let deadline = if item.days_left >= 0 {
        format!(
            "{} ({} {})",
            format_utc(item.deadline_at),
            item.days_left,
            Msg::DaysLeft.text(lang.get_untracked())
        )
    } else {
        format!(
            "{} ({})",
            format_utc(item.deadline_at),
            Msg::Overdue.text(lang.get_untracked())
        )
    };
    view! {
        <tr data-testid="erasure-row" data-contact=item.contact_id>
            <td><input type="checkbox" aria-label=t(Msg::ErasureSelect)
                prop:checked=move || selected.with(|s| s.contains(&id))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    selected.update(|s| { s.retain(|x| *x != id); if on { s.push(id); } });
                }/></td>
            <td><a href=format!("/kontakty/{}", item.contact_id)>{item.contact_id}</a></td>
            <td>{or_dash(item.contact_name)}</td>
            <td>{match (item.requested_by, item.retention_rule) {
                (Some(name), _) => name.into_any(),
                (None, Some(rule)) => view! { {t(Msg::ErasureByRetention)} ": " {rule} }.into_any(),
                (None, None) => ().into_any(),
            }}</td>
            <td>{format_utc(item.requested_at)}</td>
            <td>{format_utc(item.updated_at)}</td>
            <td class:overdue=item.days_left < 0>
                {deadline}
                {item.extended.then(|| view! { " " <span class="badge">{t(Msg::ErasureExtendedBadge)}</span> })}
                {item.hold.map(|(reason, until)| view! {
                    <div class="badge required" data-testid="legal-hold">{t(Msg::LegalHoldBadge)} ": " {reason} " (" {until} ")"</div>
                })}
            </td>
            <td class="actions">
                <button type="button" class="primary small" data-testid="erasure-approve"
                    on:click=move |_| { approve.dispatch(ErasureApprove { request_ids: vec![id] }); }>
                    {t(Msg::ErasureAsk)}
                </button>
                <details>
                    <summary>{t(Msg::ErasureMore)}</summary>
                    <ActionForm action=refuse attr:class="stack">
                        <input type="hidden" name="request_id" value=id/>
                        <label>{t(Msg::ErasureRefuseReason)}<input name="reason" autocomplete="off"/></label>
                        <button type="submit" class="small">{t(Msg::ErasureRefuse)}</button>
                    </ActionForm>
                    {(!item.extended).then(|| view! {
                        <ActionForm action=extend attr:class="stack">
                            <input type="hidden" name="request_id" value=id/>
                            <label>{t(Msg::ErasureExtendBy)}
                                <select name="months"><option value="1">"1"</option><option value="2">"2"</option></select>
                            </label>
                            <label>{t(Msg::ErasureExtendReason)}<input name="reason" autocomplete="off"/></label>
                            <button type="submit" class="small">{t(Msg::ErasureExtend)}</button>
                        </ActionForm>
                    })}
                </details>
            </td>
        </tr>
    }
}
