//! "Karta sprawy": the case in its form beside its contact's data.

use crate::ids::{CaseId, ContactId};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::api::{case_assignees, case_get, CaseSave};
use super::model::{Assignee, CaseChannel, CaseInput, CaseStatus};
use crate::auth::api::current_user;
use crate::consents::{ConsentPanel, ContactToolbar};
use crate::contacts::api::contact_get;
use crate::contacts::ContactCard;
use crate::erasure::{ErasureMenuItem, ErasureNotice};
use crate::error::AppError;
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{or_dash, phone_link, ErrorBanner, FieldMessage, MoreMenu};
use crate::shell::{Layout, Part};
use crate::time_fmt::format_utc;

#[component]
pub fn CaseNewPage() -> impl IntoView {
    let query = use_query_map();
    let contact_id = move || {
        query
            .read()
            .get("kontakt")
            .and_then(|s| s.parse::<ContactId>().ok())
    };
    let data = Resource::new(contact_id, |id| async move {
        let contact = contact_get(id.ok_or(AppError::NotFound)?).await?;
        let me = current_user().await?.map(|u| u.id);
        Ok::<_, AppError>((contact, case_assignees().await?, me))
    });
    let navigate = use_navigate();
    let on_saved =
        Callback::new(move |id: CaseId| navigate(&format!("/sprawy/{id}"), Default::default()));
    let lang = use_lang();
    view! {
        <Layout part=Part::Consultant>
            <h1>{t(Msg::CaseNew)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((contact, assignees, me)) => {
                            let input = CaseInput {
                                contact_id: contact.id,
                                assigned_to: me,
                                ..CaseInput::default()
                            };
                            view! { <CaseLayout input contact assignees on_saved/> }.into_any()
                        }
                        Err(e) => view! { <p class="error" role="alert">{e.message(lang.get_untracked())}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
pub fn CaseCardPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<CaseId>().ok())
    };
    let saves = RwSignal::new(0u32);
    let data = Resource::new(
        move || (id(), saves.get()),
        |(id, _)| async move {
            let card = case_get(id.ok_or(AppError::NotFound)?).await?;
            Ok::<_, AppError>((card, case_assignees().await?))
        },
    );
    let on_saved = Callback::new(move |_| saves.update(|n| *n += 1));
    let lang = use_lang();
    view! {
        <Layout part=Part::Consultant>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((card, assignees)) => view! {
                            <div class="card-head">
                                <h1>{t(Msg::CaseCardTitle)} " " {card.case.id.map(CaseId::get)}</h1>
                            </div>
                            {move || (saves.get() > 0).then(|| view! { <p class="notice" role="status">{t(Msg::Saved)}</p> })}
                            <p class="meta">
                                {t(Msg::CreatedAt)} " " {format_utc(card.created_at)}
                                " · " {t(Msg::UpdatedAt)} " " {format_utc(card.updated_at)}
                            </p>
                            <CaseLayout input=card.case contact=card.contact assignees on_saved/>
                        }.into_any(),
                        Err(e) => view! {
                            <h1>{t(Msg::CaseCardTitle)}</h1>
                            <p class="error" role="alert">{e.message(lang.get_untracked())}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn CaseLayout(
    input: CaseInput,
    contact: ContactCard,
    assignees: Vec<Assignee>,
    on_saved: Callback<CaseId>,
) -> impl IntoView {
    let consents = RwSignal::new(contact.consents.clone());
    let objection = RwSignal::new(contact.marketing_objection);
    let open = RwSignal::new(false);
    let (contact_id, case_id) = (contact.id, input.id);
    let erasure = RwSignal::new(contact.erasure.clone());
    view! {
        <ErasureNotice status=erasure/>
        <ContactToolbar contact_id consents open/>
        <div class="two-columns">
            <div>
                // Hidden, not removed: the case being typed survives marking consents.
                <section class="card" class:hidden=move || open.get()>
                    <CaseForm input assignees on_saved
                        menu=Box::new(move || match case_id {
                            Some(case_id) => view! { <ErasureMenuItem contact_id case_id status=erasure/> }.into_any(),
                            None => view! { <ErasureMenuItem contact_id status=erasure/> }.into_any(),
                        })/>
                </section>
                <Show when=move || open.get()>
                    {match case_id {
                        Some(case_id) => view! { <ConsentPanel contact_id case_id consents objection/> }.into_any(),
                        None => view! { <ConsentPanel contact_id consents objection/> }.into_any(),
                    }}
                    <button type="button" on:click=move |_| open.set(false)>{t(Msg::BackToData)}</button>
                </Show>
            </div>
            <ContactPanel contact/>
        </div>
    }
}

#[component]
fn CaseForm(
    input: CaseInput,
    assignees: Vec<Assignee>,
    on_saved: Callback<CaseId>,
    #[prop(optional)] menu: Option<Children>,
) -> impl IntoView {
    let contact_id = input.contact_id;
    let data = RwSignal::new(input);
    let save = ServerAction::<CaseSave>::new();
    let local: RwSignal<Option<Result<CaseId, AppError>>> = RwSignal::new(None);
    let outcome = Signal::derive(move || local.get().or_else(|| save.value().get()));
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            on_saved.run(id);
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let current = data.get_untracked();
        match super::validate::validate(&current) {
            Err(errors) => local.set(Some(Err(AppError::Validation(errors)))),
            Ok(_) => {
                local.set(None);
                save.dispatch(CaseSave { input: current });
            }
        }
    };
    view! {
        <form class="record-form" on:submit=submit novalidate data-testid="case-form">
            <label for="subject">{t(Msg::SubjectLabel)}</label>
            <input id="subject" name="subject" type="text" autocomplete="off"
                prop:value=move || data.with(|d| d.subject.clone())
                on:input=move |ev| data.update(|d| d.subject = event_target_value(&ev))/>
            <FieldMessage result=outcome field="subject"/>
            <label for="description">{t(Msg::DescriptionLabel)}</label>
            <textarea id="description" name="description" rows="5"
                prop:value=move || data.with(|d| d.description.clone())
                on:input=move |ev| data.update(|d| d.description = event_target_value(&ev))></textarea>
            <FieldMessage result=outcome field="description"/>
            <div class="grid">
                <div class="field">
                    <label for="status">{t(Msg::CaseStatusLabel)}</label>
                    <select id="status" name="status"
                        on:change=move |ev| data.update(|d| d.status = CaseStatus::parse(&event_target_value(&ev)).unwrap_or_default())>
                        {CaseStatus::ALL.iter().map(|s| view! {
                            <option value=s.as_str() selected=move || data.with(|d| d.status == *s)>{t(s.label())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="channel">{t(Msg::CaseChannelLabel)}</label>
                    <select id="channel" name="channel"
                        on:change=move |ev| data.update(|d| d.channel = CaseChannel::parse(&event_target_value(&ev)).unwrap_or_default())>
                        {CaseChannel::ALL.iter().map(|c| view! {
                            <option value=c.as_str() selected=move || data.with(|d| d.channel == *c)>{t(c.label())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="assigned_to">{t(Msg::AssigneeLabel)}</label>
                    <select id="assigned_to" name="assigned_to"
                        on:change=move |ev| data.update(|d| d.assigned_to = event_target_value(&ev).parse().ok())>
                        <option value="" selected=move || data.with(|d| d.assigned_to.is_none())>{t(Msg::Unassigned)}</option>
                        {assignees.into_iter().map(|a| view! {
                            <option value=a.id.to_string() selected=move || data.with(|d| d.assigned_to == Some(a.id))>{a.name}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage result=outcome field="assigned_to"/>
                </div>
            </div>
            <ErrorBanner result=outcome fields_summary=true/>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || save.pending().get()>
                    {t(Msg::SaveButton)}
                </button>
                <MoreMenu>
                    <a role="menuitem" href=format!("/kontakty/{contact_id}")>{t(Msg::OpenContactCard)}</a>
                    <a role="menuitem" href=format!("/sprawy/nowa?kontakt={contact_id}")>{t(Msg::CaseNew)}</a>
                    {menu.map(|m| m())}
                </MoreMenu>
            </div>
        </form>
    }
}

/// The contact's data beside the case, for reading; empty or erased values show "—".
#[component]
fn ContactPanel(contact: ContactCard) -> impl IntoView {
    let d = contact.data;
    let name = d.display_name();
    let address = [d.street.clone(), d.postal_code.clone(), d.city.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let line = |label: Msg, value: String| {
        view! { <dt>{t(label)}</dt><dd>{or_dash(Some(value))}</dd> }
    };
    let channels = |rows: Vec<crate::contacts::Channel>, phones: bool| {
        if rows.is_empty() {
            return view! { <dd>"—"</dd> }.into_any();
        }
        rows.into_iter()
            .map(|c| {
                let serves = if phones {
                    [(c.for_call, Msg::ForCall), (c.for_sms, Msg::ForSms)].to_vec()
                } else {
                    [(c.for_email, Msg::ForEmail)].to_vec()
                };
                view! {
                    <dd>
                        {if phones { phone_link(Some(c.value)) } else { view! { {c.value} }.into_any() }}
                        {serves.into_iter().filter(|(on, _)| *on).map(|(_, l)| view! { " " <span class="badge">{t(l)}</span> }).collect_view()}
                    </dd>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="card" data-testid="case-contact">
            <div class="card-head">
                <h2>{t(Msg::CaseContactTitle)}</h2>
                <a href=format!("/kontakty/{}", contact.id)>{t(Msg::OpenContactCard)}</a>
            </div>
            <dl class="facts">
                {line(Msg::ColName, name)}
                <dt>{t(Msg::PhonesLabel)}</dt>
                {channels(d.phones, true)}
                <dt>{t(Msg::EmailsLabel)}</dt>
                {channels(d.emails, false)}
                {line(Msg::AddressLabel, address)}
                {line(Msg::PeselLabel, d.pesel)}
                {line(Msg::NipLabel, d.nip)}
            </dl>
        </section>
    }
}
