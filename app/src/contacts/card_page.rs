//! "Karta kontaktu": the contact's data in its form, and its cases.

use crate::ids::ContactId;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::api::contact_get;
use super::form::ContactForm;
use super::model::{ContactCard, ContactData, ContactState};
use crate::cases::CaseRow;
use crate::erasure::{ErasureMenuItem, ErasureNotice};
use crate::history::{ActivitiesTab, HistoryTab};
use crate::restriction::{RestrictionMenuItem, RestrictionNotice};
use crate::sources::api::data_sources;
use crate::sources::DataSource;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Data,
    History,
    Activities,
}
use crate::consents::{ConsentPanel, ContactToolbar};
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::or_dash;
use crate::shell::{Layout, Part};
use crate::time_fmt::format_utc;

#[component]
pub fn ContactNewPage() -> impl IntoView {
    let navigate = use_navigate();
    let on_saved = Callback::new(move |id: ContactId| {
        navigate(&format!("/kontakty/{id}"), Default::default())
    });
    let sources = Resource::new(|| (), |_| data_sources());
    view! {
        <Layout part=Part::Consultant>
            <h1>{t(Msg::ContactNew)}</h1>
            <section class="card">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let sources = sources.await.unwrap_or_default();
                        view! { <ContactForm data=ContactData::default() sources on_saved/> }
                    })}
                </Suspense>
            </section>
        </Layout>
    }
}

#[component]
pub fn ContactCardPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<ContactId>().ok())
    };
    let saves = RwSignal::new(0u32);
    let card = Resource::new(
        move || (id(), saves.get()),
        |(id, _)| async move {
            let card = contact_get(id.ok_or(crate::error::AppError::NotFound)?).await?;
            Ok::<_, crate::error::AppError>((card, data_sources().await?))
        },
    );
    let lang = use_lang();
    view! {
        <Layout part=Part::Consultant>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match card.await {
                        Ok((card, sources)) => view! { <CardView card sources saves/> }.into_any(),
                        Err(e) => view! {
                            <h1>{t(Msg::ContactCardTitle)}</h1>
                            <p class="error" role="alert">{e.message(lang.get_untracked())}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn CardView(card: ContactCard, sources: Vec<DataSource>, saves: RwSignal<u32>) -> impl IntoView {
    let on_saved = Callback::new(move |_| saves.update(|n| *n += 1));
    // A restriction or its lifting changes the state, the form and the notice: reload.
    let on_restriction = Callback::new(move |()| saves.update(|n| *n += 1));
    let active = card.state == ContactState::Active;
    // Restricted, or restricted and then asked to be erased: locked either way.
    let locked = card.restriction.is_some();
    let can_lift = card.state == ContactState::Restricted;
    let restriction = card.restriction.clone();
    let title = or_dash(Some(card.data.display_name()));
    let cases = card.cases.clone();
    let consents = RwSignal::new(card.consents.clone());
    let objection = RwSignal::new(card.marketing_objection);
    let open = RwSignal::new(false);
    let contact_id = card.id;
    let erasure = RwSignal::new(card.erasure.clone());
    let tab = RwSignal::new(Tab::Data);
    let tab_button = move |which: Tab, label: Msg, test_id: &'static str| {
        view! {
            <button type="button" role="tab" class="tab" data-testid=test_id
                class:active=move || tab.get() == which
                aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| tab.set(which)>{t(label)}</button>
        }
    };
    view! {
        <div class="card-head">
            <h1>{t(Msg::ContactCardTitle)} ": " <span data-testid="contact-name">{title}</span></h1>
            <span class="badge">{t(card.state.label())}</span>
        </div>
        {move || (saves.get() > 0).then(|| view! { <p class="notice" role="status">{t(Msg::Saved)}</p> })}
        <p class="meta">
            "Id " {card.id} " · " {t(Msg::SourceLabel)} ": " {or_dash(card.source.clone())}
            " · " {t(Msg::CreatedAt)} " " {format_utc(card.created_at)}
            " · " {t(Msg::UpdatedAt)} " " {format_utc(card.updated_at)}
        </p>
        {restriction.map(|status| view! {
            <RestrictionNotice contact_id status can_lift on_changed=on_restriction/>
        })}
        <ErasureNotice status=erasure/>
        <ContactToolbar contact_id consents open/>
        <nav class="tabs" role="tablist">
            {tab_button(Tab::Data, Msg::TabData, "tab-data")}
            {tab_button(Tab::History, Msg::HistoryTitle, "tab-history")}
            {tab_button(Tab::Activities, Msg::TabActivities, "tab-activities")}
        </nav>
        // Hidden, not removed: unsaved edits survive a look at the consents or the history.
        <div class:hidden=move || tab.get() != Tab::Data>
            <section class="card" class:hidden=move || open.get()>
                <ContactForm id=card.id version=card.version data=readable(&card.data) sources on_saved
                    locked
                    menu=Box::new(move || view! {
                        <ErasureMenuItem contact_id status=erasure/>
                        // A file, not a page: the router must let the browser fetch it.
                        <a role="menuitem" rel="external" download=""
                            href=format!("/kontakty/{contact_id}/dane-osoby")>{t(Msg::SubjectExportMenu)}</a>
                        {active.then(|| view! { <RestrictionMenuItem contact_id on_changed=on_restriction/> })}
                    }.into_any())/>
            </section>
            <Show when=move || open.get()>
                <ConsentPanel contact_id consents objection/>
                <button type="button" on:click=move |_| open.set(false)>{t(Msg::BackToData)}</button>
            </Show>
            <CaseList contact_id=card.id cases/>
        </div>
        <Show when=move || tab.get() == Tab::History>
            <HistoryTab contact_id/>
        </Show>
        <Show when=move || tab.get() == Tab::Activities>
            <ActivitiesTab contact_id/>
        </Show>
    }
}

/// The data as the form shows it: phones grouped the way people read them. Saving
/// parses them back into E.164, so a number nobody touched is not a change.
fn readable(data: &ContactData) -> ContactData {
    let mut data = data.clone();
    for phone in &mut data.phones {
        phone.value = crate::domain::Phone::display(&phone.value);
    }
    data
}

#[component]
fn CaseList(contact_id: ContactId, cases: Vec<CaseRow>) -> impl IntoView {
    let empty = cases.is_empty();
    view! {
        <section class="card" data-testid="contact-cases">
            <div class="card-head">
                <h2>{t(Msg::CasesTitle)}</h2>
                <a class="button" href=format!("/sprawy/nowa?kontakt={contact_id}")>{t(Msg::CaseNew)}</a>
            </div>
            {empty.then(|| view! { <p>{t(Msg::NoCases)}</p> })}
            {(!empty).then(|| view! {
                <div class="table-wrap">
                    <table class="list">
                        <thead><tr>
                            <th>"Id"</th>
                            <th>{t(Msg::SubjectLabel)}</th>
                            <th>{t(Msg::CaseStatusLabel)}</th>
                            <th>{t(Msg::CaseChannelLabel)}</th>
                            <th>{t(Msg::AssigneeLabel)}</th>
                            <th>{t(Msg::UpdatedAt)}</th>
                        </tr></thead>
                        <tbody>
                            {cases.into_iter().map(|c| view! {
                                <tr>
                                    <td>{c.id}</td>
                                    <td><a href=format!("/sprawy/{}", c.id)>{or_dash(c.subject)}</a></td>
                                    <td>{t(c.status.label())}</td>
                                    <td>{t(c.channel.label())}</td>
                                    <td>{c.assignee.map(|a| view! { {a} }.into_any()).unwrap_or_else(|| view! { {t(Msg::Unassigned)} }.into_any())}</td>
                                    <td>{format_utc(c.updated_at)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}
