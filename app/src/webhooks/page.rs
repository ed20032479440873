//! The webhooks part of "Integracje": subscriptions (address, events, switched on or
//! off, how their deliveries went), a form to add one (its secret shown once), and the
//! delivery log.

use leptos::prelude::*;

use super::api::{webhook_deliveries, webhooks_list, WebhookCreate, WebhookSetActive};
use super::model::{DeliveryState, IssuedWebhook, WebhookEvent};
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{ErrorBanner, FieldMessage};
use crate::time_fmt::format_utc;

#[component]
pub fn WebhooksSection() -> impl IntoView {
    let create = ServerAction::<WebhookCreate>::new();
    let switch = ServerAction::<WebhookSetActive>::new();
    let hooks = Resource::new(
        move || (create.version().get(), switch.version().get()),
        |_| webhooks_list(),
    );
    let log = Resource::new(move || create.version().get(), |_| webhook_deliveries());
    let created = Signal::derive(move || create.value().get());
    let switched = Signal::derive(move || switch.value().get());
    view! {
        <h2>{t(Msg::WebhooksTitle)}</h2>
        <p class="hint">{t(Msg::WebhooksIntro)}</p>
        {move || created.get().and_then(Result::ok).map(|issued| view! { <Issued issued/> })}
        <ErrorBanner result=switched/>
        <section class="card">
            <h3>{t(Msg::WebhookAdd)}</h3>
            <ActionForm action=create attr:class="row-form">
                <label>{t(Msg::WebhookName)}<input name="name" autocomplete="off" required/></label>
                <label>{t(Msg::WebhookUrl)}<input name="url" type="url" inputmode="url" autocomplete="off" placeholder="https://" required/></label>
                <fieldset>
                    <legend>{t(Msg::WebhookEvents)}</legend>
                    {WebhookEvent::ALL.iter().copied().map(|e| view! {
                        <label class="choice"><input type="checkbox" name=e.as_str() value="on"/>{t(e.label())}</label>
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="primary">{t(Msg::WebhookCreate)}</button>
            </ActionForm>
            {["name", "url", "events"]
                .into_iter()
                .map(|field| view! { <FieldMessage result=created field=field/> })
                .collect_view()}
        </section>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = hooks.await.unwrap_or_default();
                if list.is_empty() {
                    return view! { <p>{t(Msg::WebhooksNone)}</p> }.into_any();
                }
                view! {
                    <div class="table-wrap">
                        <table class="list" data-testid="webhooks">
                            <thead><tr>
                                <th>{t(Msg::WebhookName)}</th>
                                <th>{t(Msg::WebhookUrl)}</th>
                                <th>{t(Msg::WebhookEvents)}</th>
                                <th>{t(Msg::WebhookCounts)}</th>
                                <th>{t(Msg::StatusLabel)}</th>
                                <th></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|row| {
                                    let events = row.events.iter().map(|e| t(e.label())().to_string()).collect::<Vec<_>>().join(", ");
                                    let state = if row.active { Msg::WebhookActive } else { Msg::WebhookInactive };
                                    let (button, next) = if row.active { (Msg::WebhookDisable, "false") } else { (Msg::WebhookEnable, "true") };
                                    view! {
                                        <tr>
                                            <td>{row.name.clone()}</td>
                                            <td><code>{row.url.clone()}</code></td>
                                            <td>{events}</td>
                                            <td>{format!("{} / {} / {}", row.delivered, row.pending, row.failed)}</td>
                                            <td>{t(state)}</td>
                                            <td class="actions">
                                                <ActionForm action=switch attr:class="inline">
                                                    <input type="hidden" name="id" value=row.id/>
                                                    <input type="hidden" name="active" value=next/>
                                                    <button type="submit" class="small">{t(button)}</button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            })}
        </Suspense>
        <h3>{t(Msg::WebhookLog)}</h3>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let rows = log.await.unwrap_or_default();
                if rows.is_empty() {
                    return view! { <p>{t(Msg::WebhookLogEmpty)}</p> }.into_any();
                }
                view! {
                    <div class="table-wrap">
                        <table class="list" data-testid="webhook-log">
                            <thead><tr>
                                <th>{t(Msg::WebhookLogWhen)}</th>
                                <th>{t(Msg::WebhookName)}</th>
                                <th>{t(Msg::WebhookLogEvent)}</th>
                                <th>{t(Msg::StatusLabel)}</th>
                                <th>{t(Msg::WebhookLogAttempts)}</th>
                                <th>{t(Msg::WebhookLogAnswer)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|d| {
                                    let answer = match (d.last_status, d.failure) {
                                        (Some(s), _) => s.to_string(),
                                        (None, Some(f)) => t(f.label())().to_string(),
                                        (None, None) => String::new(),
                                    };
                                    let next = (d.state == DeliveryState::Pending && d.attempts > 0)
                                        .then(|| format!(" → {}", format_utc(d.next_at)));
                                    view! {
                                        <tr>
                                            <td>{format_utc(d.created_at)}</td>
                                            <td>{d.webhook.clone()}</td>
                                            <td>{t(d.event.label())}</td>
                                            <td>{t(d.state.label())}{next}</td>
                                            <td>{d.attempts}</td>
                                            <td>{answer}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn Issued(issued: IssuedWebhook) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="notice" role="status" data-testid="issued-webhook">
            <p>{move || Msg::WebhookIssued.text(lang.get())} " " <strong>{issued.name.clone()}</strong></p>
            <p><code class="secret">{issued.secret.clone()}</code></p>
        </div>
    }
}
