//! The contact form of the card: edited in the browser as one value, checked by the
//! shared validation before it is sent, and checked again by the server.

use crate::ids::ContactId;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::api::ContactSave;
use super::model::{Channel, ContactData, ContactInput, ContactKind};
use crate::error::AppError;
use crate::i18n::{t, Msg};
use crate::shell::widgets::{ErrorBanner, FieldMessage, MoreMenu};
use crate::sources::{DataSource, CONSULTANT_SOURCE};

type Outcome = Signal<Option<Result<ContactId, AppError>>>;

/// `id` and `version` are absent for a new contact. `on_saved` gets the contact's id.
#[component]
pub fn ContactForm(
    #[prop(optional)] id: Option<ContactId>,
    #[prop(optional)] version: i64,
    data: ContactData,
    sources: Vec<DataSource>,
    on_saved: Callback<ContactId>,
    /// Items other features add to the "⋮" menu.
    #[prop(optional)]
    menu: Option<Children>,
    /// Processing is restricted (Art. 18): the fields are shown but cannot be edited;
    /// the server refuses an edit anyway.
    #[prop(optional)]
    locked: bool,
) -> impl IntoView {
    let data = RwSignal::new(data);
    let source = RwSignal::new(CONSULTANT_SOURCE);
    let reason = RwSignal::new(String::new());
    let save = ServerAction::<ContactSave>::new();
    let local: RwSignal<Option<Result<ContactId, AppError>>> = RwSignal::new(None);
    let outcome: Outcome = Signal::derive(move || local.get().or_else(|| save.value().get()));
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            on_saved.run(saved);
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let current = data.get_untracked();
        match super::validate::validate(&current) {
            Err(errors) => local.set(Some(Err(AppError::Validation(errors)))),
            Ok(_) => {
                local.set(None);
                save.dispatch(ContactSave {
                    input: ContactInput {
                        id,
                        version,
                        data: current,
                        source_id: Some(source.get_untracked()),
                        reason: reason.get_untracked(),
                    },
                });
            }
        }
    };
    let is_company = Memo::new(move |_| data.with(|d| d.kind == ContactKind::Company));
    view! {
        <form class="record-form" on:submit=submit novalidate data-testid="contact-form">
            <fieldset class="bare" disabled=locked>
            <fieldset class="kind">
                <legend>{t(Msg::KindLabel)}</legend>
                <KindChoice data kind=ContactKind::Person label=Msg::KindPerson/>
                <KindChoice data kind=ContactKind::Company label=Msg::KindCompany/>
            </fieldset>
            <div class="grid">
                <Show when=move || is_company.get()>
                    <TextField data outcome name="company" label=Msg::CompanyLabel
                        get=|d| d.company.clone() set=|d, v| d.company = v/>
                </Show>
                <TextField data outcome name="first_name" label=Msg::FirstNameLabel
                    get=|d| d.first_name.clone() set=|d, v| d.first_name = v/>
                <TextField data outcome name="last_name" label=Msg::LastNameLabel
                    get=|d| d.last_name.clone() set=|d, v| d.last_name = v/>
            </div>
            <ChannelList data outcome phones=true/>
            <ChannelList data outcome phones=false/>
            <fieldset>
                <legend>{t(Msg::AddressLabel)}</legend>
                <div class="grid">
                    <TextField data outcome name="street" label=Msg::StreetLabel
                        get=|d| d.street.clone() set=|d, v| d.street = v/>
                    <TextField data outcome name="postal_code" label=Msg::PostalCodeLabel
                        get=|d| d.postal_code.clone() set=|d, v| d.postal_code = v/>
                    <TextField data outcome name="city" label=Msg::CityLabel
                        get=|d| d.city.clone() set=|d, v| d.city = v/>
                </div>
            </fieldset>
            <div class="grid">
                <TextField data outcome name="pesel" label=Msg::PeselLabel
                    get=|d| d.pesel.clone() set=|d, v| d.pesel = v/>
                <TextField data outcome name="nip" label=Msg::NipLabel
                    get=|d| d.nip.clone() set=|d, v| d.nip = v/>
            </div>
            <label for="notes">{t(Msg::NotesLabel)}</label>
            <textarea id="notes" name="notes" rows="3"
                prop:value=move || data.with(|d| d.notes.clone())
                on:input=move |ev| data.update(|d| d.notes = event_target_value(&ev))></textarea>
            <FieldMessage result=outcome field="notes"/>
            <div class="grid">
                <div class="field">
                    <label for="source_id">{t(Msg::SourceLabel)}</label>
                    <select id="source_id" name="source_id"
                        on:change=move |ev| source.set(event_target_value(&ev).parse().unwrap_or(CONSULTANT_SOURCE))>
                        {sources.into_iter().filter(|s| s.active).map(|s| view! {
                            <option value=s.id selected=s.id == CONSULTANT_SOURCE>{s.name}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage result=outcome field="source_id"/>
                </div>
                {id.is_some().then(|| view! {
                    <div class="field">
                        <label for="reason">{t(Msg::ReasonLabel)}</label>
                        <input id="reason" name="reason" type="text" autocomplete="off"
                            on:input=move |ev| reason.set(event_target_value(&ev))/>
                        <FieldMessage result=outcome field="reason"/>
                    </div>
                })}
            </div>
            </fieldset>
            <ErrorBanner result=outcome fields_summary=true/>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || locked || save.pending().get()>
                    {t(Msg::SaveButton)}
                </button>
                <MoreMenu>
                    {id.map(|id| view! {
                        <a role="menuitem" href=format!("/sprawy/nowa?kontakt={id}")>{t(Msg::CaseNew)}</a>
                    })}
                    <a role="menuitem" href="/kontakty">{t(Msg::ContactsTitle)}</a>
                    {menu.map(|m| m())}
                </MoreMenu>
            </div>
        </form>
    }
}

#[component]
fn KindChoice(data: RwSignal<ContactData>, kind: ContactKind, label: Msg) -> impl IntoView {
    view! {
        <label class="choice">
            <input type="radio" name="kind" value=kind.as_str()
                prop:checked=move || data.with(|d| d.kind == kind)
                on:change=move |_| data.update(|d| d.kind = kind)/>
            {t(label)}
        </label>
    }
}

#[component]
fn TextField(
    data: RwSignal<ContactData>,
    outcome: Outcome,
    name: &'static str,
    label: Msg,
    get: fn(&ContactData) -> String,
    set: fn(&mut ContactData, String),
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name>{t(label)}</label>
            <input id=name name=name type="text" autocomplete="off" placeholder="—"
                prop:value=move || data.with(get)
                on:input=move |ev| data.update(|d| set(d, event_target_value(&ev)))/>
            <FieldMessage result=outcome field=name/>
        </div>
    }
}

/// The phones (calls, SMS) or the e-mail addresses (e-mail), a row each.
#[component]
fn ChannelList(data: RwSignal<ContactData>, outcome: Outcome, phones: bool) -> impl IntoView {
    let list = move |d: &ContactData| -> Vec<Channel> {
        if phones {
            d.phones.clone()
        } else {
            d.emails.clone()
        }
    };
    let edit = move |f: &dyn Fn(&mut Vec<Channel>)| {
        data.update(|d| f(if phones { &mut d.phones } else { &mut d.emails }))
    };
    // Rows are rebuilt only when their number changes, so typing keeps the focus.
    let count = Memo::new(move |_| data.with(|d| list(d).len()));
    let (legend, add, prefix, kind) = if phones {
        (Msg::PhonesLabel, Msg::AddPhone, "phones", "tel")
    } else {
        (Msg::EmailsLabel, Msg::AddEmail, "emails", "email")
    };
    let row = move |i: usize| {
        let field = format!("{prefix}.{i}");
        let (test_id, input_name) = (field.clone(), field.clone());
        let value =
            move || data.with(|d| list(d).get(i).map(|c| c.value.clone()).unwrap_or_default());
        let flag = move |which: u8| {
            move || {
                data.with(|d| {
                    list(d)
                        .get(i)
                        .map(|c| match which {
                            0 => c.for_call,
                            1 => c.for_sms,
                            _ => c.for_email,
                        })
                        .unwrap_or(false)
                })
            }
        };
        let set_flag = move |which: u8, on: bool| {
            edit(&|rows| {
                if let Some(c) = rows.get_mut(i) {
                    match which {
                        0 => c.for_call = on,
                        1 => c.for_sms = on,
                        _ => c.for_email = on,
                    }
                }
            })
        };
        let checkbox = move |which: u8, label: Msg| {
            view! {
                <label class="choice">
                    <input type="checkbox" prop:checked=flag(which)
                        on:change=move |ev| set_flag(which, event_target_checked(&ev))/>
                    {t(label)}
                </label>
            }
        };
        view! {
            <div class="channel-row" data-testid=test_id>
                <input type=kind name=input_name autocomplete="off" placeholder="—"
                    aria-label=t(legend)
                    prop:value=value
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit(&|rows| if let Some(c) = rows.get_mut(i) { c.value = v.clone() })
                    }/>
                {if phones {
                    view! { {checkbox(0, Msg::ForCall)} {checkbox(1, Msg::ForSms)} }.into_any()
                } else {
                    checkbox(2, Msg::ForEmail).into_any()
                }}
                <button type="button" class="small link"
                    on:click=move |_| edit(&|rows| { if i < rows.len() { rows.remove(i); } })>
                    {t(Msg::RemoveRow)}
                </button>
                <FieldMessage result=outcome field=field/>
            </div>
        }
    };
    view! {
        <fieldset class="channels">
            <legend>{t(legend)}</legend>
            {move || (0..count.get()).map(row).collect_view()}
            <button type="button" class="small"
                on:click=move |_| edit(&|rows| rows.push(Channel {
                    for_call: phones,
                    for_sms: phones,
                    for_email: !phones,
                    ..Channel::default()
                }))>
                {t(add)}
            </button>
        </fieldset>
    }
}
