//! The consent icon beside the phone / mail / SMS icons on the contact and case cards,
//! and the consent panel it opens in place of the record's data.

use crate::ids::{CaseId, ContactId, DefinitionId};
use leptos::prelude::*;
#[cfg(not(feature = "ssr"))]
use leptos::wasm_bindgen::JsCast;

use super::api::{
    communication_log, consent_record, marketing_objection_set, purpose_objection_lift,
    purpose_objection_record,
};
use super::model::{
    missing_required, ConsentChannel, ConsentStatus, ContactCheck, Decision, LegalBasis, Method,
    ObjectionLift, Purpose,
};
use crate::error::AppError;
use crate::i18n::{t, use_lang, Msg};
use crate::time_fmt::format_utc;

/// The channel icons and the consent icon. The consent icon exists only when at least
/// one consent is defined; it is marked when required consents are missing.
#[component]
pub fn ContactToolbar(
    contact_id: ContactId,
    consents: RwSignal<Vec<ConsentStatus>>,
    open: RwSignal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let logging = RwSignal::new(None::<ConsentChannel>);
    let any = move || consents.with(|c| !c.is_empty());
    let missing = move || {
        consents.with(|c| {
            missing_required(c)
                .iter()
                .map(|s| s.name.clone())
                .collect::<Vec<_>>()
        })
    };
    let icon = move |channel: ConsentChannel, symbol: AnyView, label: Msg| {
        view! {
            <button type="button" class="icon-button" title=t(label) aria-label=t(label)
                data-testid=format!("log-{}", channel.as_str())
                class:active=move || logging.get() == Some(channel)
                on:click=move |_| logging.update(|l| *l = if *l == Some(channel) { None } else { Some(channel) })>
                {symbol}
            </button>
        }
    };
    view! {
        <div class="contact-toolbar">
            {icon(ConsentChannel::Call, svg_icon(PHONE), Msg::IconCall)}
            {icon(ConsentChannel::Email, svg_icon(ENVELOPE), Msg::IconEmail)}
            {icon(ConsentChannel::Sms, svg_icon(SMS_BUBBLE), Msg::IconSms)}
            <Show when=any>
                <button type="button" class="icon-button consent-icon" data-testid="consent-icon"
                    class:missing=move || !missing().is_empty()
                    data-missing=move || (!missing().is_empty()).to_string()
                    class:active=move || open.get()
                    title=move || {
                        let names = missing();
                        if names.is_empty() {
                            Msg::ConsentIconTitle.text(lang.get()).to_string()
                        } else {
                            format!("{} {}", Msg::ConsentIconMissing.text(lang.get()), names.join(", "))
                        }
                    }
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {svg_icon(CONSENT_SHIELD)}
                    " " {t(Msg::ConsentsTitle)}
                    <Show when=move || !missing().is_empty()>
                        <span class="alert-dot" aria-hidden="true">"!"</span>
                    </Show>
                </button>
            </Show>
        </div>
        {move || logging.get().map(|channel| view! { <CommunicationForm contact_id channel/> })}
    }
}

// Line icons drawn inline: no emoji font or icon font is needed (a machine without one
// drew empty boxes). The button around each carries the label screen readers read.
const PHONE: &[&str] = &[
    "M22 16.92v3a2 2 0 0 1-2.18 2 19.79 19.79 0 0 1-8.63-3.07 19.5 19.5 0 0 1-6-6 \
     19.79 19.79 0 0 1-3.07-8.67A2 2 0 0 1 4.11 2h3a2 2 0 0 1 2 1.72 12.84 12.84 0 0 0 .7 2.81 \
     2 2 0 0 1-.45 2.11L8.09 9.91a16 16 0 0 0 6 6l1.27-1.27a2 2 0 0 1 2.11-.45 12.84 12.84 0 0 0 \
     2.81.7A2 2 0 0 1 22 16.92z",
];
const ENVELOPE: &[&str] = &[
    "M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    "M22 6l-10 7L2 6",
];
const SMS_BUBBLE: &[&str] = &[
    "M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z",
    "M8 10h.01M12 10h.01M16 10h.01",
];
const CONSENT_SHIELD: &[&str] = &[
    "M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z",
    "M9 12l2 2 4-4",
];

fn svg_icon(paths: &'static [&'static str]) -> AnyView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"
            focusable="false" fill="none" stroke="currentColor" stroke-width="2"
            stroke-linecap="round" stroke-linejoin="round">
            {paths.iter().map(|d| view! { <path d=*d/> }).collect_view()}
        </svg>
    }
    .into_any()
}

/// Logs a call, e-mail or SMS; for marketing the server asks the contact check first.
#[component]
fn CommunicationForm(contact_id: ContactId, channel: ConsentChannel) -> impl IntoView {
    let purpose = RwSignal::new(Purpose::Service);
    let note = RwSignal::new(String::new());
    let log = Action::new(move |_: &()| {
        let (purpose, note) = (purpose.get_untracked(), note.get_untracked());
        async move {
            communication_log(
                contact_id,
                channel.as_str().into(),
                purpose.as_str().into(),
                Some(note),
            )
            .await
        }
    });
    let lang = use_lang();
    view! {
        <form class="communication-form card" data-testid="communication-form"
            on:submit=move |ev| { ev.prevent_default(); log.dispatch(()); }>
            <strong>{t(Msg::CommunicationTitle)} ": " {t(channel.label())}</strong>
            <div class="row-form">
                {Purpose::ALL.iter().map(|p| view! {
                    <label class="choice">
                        <input type="radio" name="purpose" prop:checked=move || purpose.get() == *p
                            on:change=move |_| purpose.set(*p)/>
                        {t(p.label())}
                    </label>
                }).collect_view()}
                <input type="text" name="note" aria-label=t(Msg::NoteLabel) placeholder=t(Msg::NoteLabel)
                    on:input=move |ev| note.set(event_target_value(&ev))/>
                <button type="submit" class="small">{t(Msg::CommunicationLog)}</button>
            </div>
            {move || log.value().get().map(|r: Result<ContactCheck, AppError>| match r {
                Ok(ContactCheck { allowed: true, .. }) => view! {
                    <p class="notice" role="status">{t(Msg::CommunicationLogged)}</p>
                }.into_any(),
                Ok(ContactCheck { reason, .. }) => view! {
                    <p class="error" role="alert" data-testid="contact-blocked">
                        {t(Msg::ContactBlocked)} " " {reason.map(|r| r.label().text(lang.get()))}
                    </p>
                }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.message(lang.get())}</p> }.into_any(),
            })}
        </form>
    }
}

/// The defined consents of the contact, each with its state, its history and the
/// actions to change it: granting and withdrawing sit side by side, with the same
/// evidence options.
#[component]
pub fn ConsentPanel(
    contact_id: ContactId,
    #[prop(optional)] case_id: Option<CaseId>,
    consents: RwSignal<Vec<ConsentStatus>>,
    objection: RwSignal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let record = Action::new_local(|form: &web_sys::FormData| {
        let form = form.clone();
        async move { consent_record(form.into()).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(list)) = record.value().get() {
            consents.set(list);
        }
    });
    // Art. 21(1): record an objection to one purpose (`None`) or lift it on a ground.
    let object = Action::new(
        move |(definition_id, lift): &(DefinitionId, Option<ObjectionLift>)| {
            let (definition_id, lift) = (*definition_id, *lift);
            async move {
                match lift {
                    None => purpose_objection_record(contact_id, definition_id).await,
                    Some(ground) => {
                        purpose_objection_lift(contact_id, definition_id, ground.as_str().into())
                            .await
                    }
                }
            }
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(list)) = object.value().get() {
            consents.set(list);
        }
    });
    let toggle_objection = Action::new(move |on: &bool| {
        let on = *on;
        async move { marketing_objection_set(contact_id, on).await.map(|_| on) }
    });
    Effect::new(move |_| {
        if let Some(Ok(on)) = toggle_objection.value().get() {
            objection.set(on);
        }
    });
    view! {
        <section class="card consent-panel" data-testid="consent-panel">
            <h2>{t(Msg::ConsentsTitle)}</h2>
            {move || record.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="error" role="alert" data-testid="consent-error">{e.message(lang.get())}</p>
            })}
            {move || object.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="error" role="alert" data-testid="objection-error">{e.message(lang.get())}</p>
            })}
            <For each=move || consents.get() key=|c| (c.definition_id, c.history.len(), c.objected_at) let:consent>
                <ConsentItem contact_id case_id consent record object/>
            </For>
            <div class="objection">
                <span>{t(Msg::ObjectionLabel)} ": "
                    <strong>{move || if objection.get() { t(Msg::ObjectionYes)() } else { t(Msg::ObjectionNo)() }}</strong>
                </span>
                <button type="button" class="small" on:click=move |_| { toggle_objection.dispatch(!objection.get_untracked()); }>
                    {move || if objection.get() { t(Msg::ObjectionWithdraw)() } else { t(Msg::ObjectionRecord)() }}
                </button>
            </div>
        </section>
    }
}

#[component]
fn ConsentItem(
    contact_id: ContactId,
    case_id: Option<CaseId>,
    consent: ConsentStatus,
    record: Action<web_sys::FormData, Result<Vec<ConsentStatus>, AppError>>,
    object: Action<(DefinitionId, Option<ObjectionLift>), Result<Vec<ConsentStatus>, AppError>>,
) -> impl IntoView {
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let send = move |decision: Decision| {
        #[cfg(not(feature = "ssr"))]
        if let Some(form) = form_ref.get() {
            let form: web_sys::HtmlFormElement = form.unchecked_into();
            if let Ok(data) = web_sys::FormData::new_with_form(&form) {
                let _ = data.append_with_str("decision", decision.as_str());
                record.dispatch_local(data);
            }
        }
        #[cfg(feature = "ssr")]
        let _ = (decision, record, form_ref);
    };
    let state = consent
        .decision
        .map(|d| d.label())
        .unwrap_or(Msg::DecisionNeverAsked);
    let granted = consent.decision == Some(Decision::Granted);
    let missing = consent.required && consent.decision.is_none();
    let history = consent.history.clone();
    let count = history.len();
    // A purpose based on legitimate interest is not granted: the person may object.
    let legitimate = consent.legal_basis == LegalBasis::LegitimateInterest;
    let definition_id = consent.definition_id;
    let objected_at = consent.objected_at;
    let lift_ground = RwSignal::new(ObjectionLift::Withdrawn);
    view! {
        <article class="consent" data-testid="consent" data-name=consent.name.clone()
            data-state=consent.decision.map(|d| d.as_str()).unwrap_or("never_asked")>
            <div class="card-head">
                <h3>{consent.name.clone()}
                    {consent.required.then(|| view! { " " <span class="badge required">{t(Msg::RequiredBadge)}</span> })}
                    {consent.marketing.then(|| view! { " " <span class="badge">{t(Msg::MarketingBadge)} ": " {t(consent.channel.label())}</span> })}
                    {legitimate.then(|| view! { " " <span class="badge">{t(Msg::LegitimateInterestBadge)}</span> })}
                </h3>
                {(!legitimate).then(|| view! { <span class="consent-state" class:missing=missing>{t(state)}</span> })}
            </div>
            <blockquote class="statement">{consent.statement.clone()} <span class="muted">" (v" {consent.version} ")"</span></blockquote>
            {legitimate.then(|| view! {
                <div class="objection" data-testid="purpose-objection" data-objected=objected_at.is_some().to_string()>
                    <span>{t(Msg::PurposeObjectionLabel)} ": "
                        <strong>{match objected_at {
                            Some(at) => view! { {t(Msg::PurposeObjectionSince)} " " {format_utc(at)} }.into_any(),
                            None => view! { {t(Msg::ObjectionNo)} }.into_any(),
                        }}</strong>
                    </span>
                    {match objected_at {
                        None => view! {
                            <button type="button" class="small" on:click=move |_| { object.dispatch((definition_id, None)); }>
                                {t(Msg::PurposeObjectionRecord)}
                            </button>
                        }.into_any(),
                        Some(_) => view! {
                            <label>{t(Msg::PurposeObjectionLiftGround)}
                                <select name="ground" on:change=move |ev| {
                                    if let Some(g) = ObjectionLift::parse(&event_target_value(&ev)) { lift_ground.set(g); }
                                }>
                                    {ObjectionLift::ALL.iter().map(|g| view! {
                                        <option value=g.as_str()>{t(g.label())}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <button type="button" class="small" on:click=move |_| { object.dispatch((definition_id, Some(lift_ground.get_untracked()))); }>
                                {t(Msg::PurposeObjectionLift)}
                            </button>
                        }.into_any(),
                    }}
                </div>
            })}
            {(!legitimate).then(move || view! {
                <form node_ref=form_ref class="row-form" on:submit=|ev| ev.prevent_default()>
                    <input type="hidden" name="contact_id" value=contact_id/>
                    <input type="hidden" name="definition_id" value=definition_id/>
                    {case_id.map(|id| view! { <input type="hidden" name="case_id" value=id/> })}
                    <label>{t(Msg::MethodLabel)}
                        <select name="method">
                            {Method::ALL.iter().filter(|m| **m != Method::Import).map(|m| view! {
                                <option value=m.as_str()>{t(m.label())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>{t(Msg::EvidenceLabel)}
                        <input type="file" name="evidence" accept=".wav,.mp3,.ogg,.eml,audio/*,message/rfc822"/>
                    </label>
                    <button type="button" class="small" on:click=move |_| send(Decision::Granted)>{t(Msg::ActionGrant)}</button>
                    <button type="button" class="small" on:click=move |_| send(Decision::Refused)>{t(Msg::ActionRefuse)}</button>
                    {granted.then(|| view! {
                        <button type="button" class="small" on:click=move |_| send(Decision::Withdrawn)>{t(Msg::ActionWithdraw)}</button>
                    })}
                </form>
            })}
            {(count > 0).then(|| view! {
                <details class="history">
                    <summary>{t(Msg::HistoryTitle)} " (" {count} ")"</summary>
                    <ul>
                        {history.into_iter().map(|e| view! {
                            <li>
                                {format_utc(e.recorded_at)} " · " <strong>{t(e.decision.label())}</strong>
                                " · " {t(e.method.label())} " · v" {e.version}
                                " · " {e.recorded_by.unwrap_or_default()}
                                {e.import.map(|(id, name)| view! {
                                    " · " <span data-testid="evidence-import">{t(Msg::ImportBatchEvidence)} " #" {id} " " {name}</span>
                                })}
                                {e.evidence.map(|f| {
                                    let href = format!("/dowody/{}", f.id);
                                    if f.is_audio() {
                                        view! { <audio controls preload="none" src=href data-testid="evidence-audio"></audio> }.into_any()
                                    } else {
                                        view! { " · " <a href=href target="_blank" rel="noopener">{t(Msg::EvidenceShowEmail)}</a> }.into_any()
                                    }
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </article>
    }
}
