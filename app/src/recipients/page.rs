//! "RODO: Odbiorcy" in the manager part: recipients, their sharing scope and processor
//! agreements.

use crate::ids::{AgreementId, RecipientId};
use leptos::prelude::*;
#[cfg(not(feature = "ssr"))]
use leptos::wasm_bindgen::JsCast;

use super::api::{agreement_add, recipients_list, RecipientSave};
use super::model::{Recipient, RecipientRole};
use crate::consents::model::LegalBasis;
use crate::error::AppError;
use crate::history::model::FIELDS;
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{ErrorBanner, FieldMessage};
use crate::shell::{Layout, Part};

#[component]
pub fn RecipientsPage() -> impl IntoView {
    let save = ServerAction::<RecipientSave>::new();
    let agreements = RwSignal::new(0u32);
    let list = Resource::new(
        move || (save.version().get(), agreements.get()),
        |_| recipients_list(),
    );
    let result = Signal::derive(move || save.value().get());
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::RecipientsTitle)}</h1>
            {move || matches!(result.get(), Some(Ok(_))).then(|| view! { <p class="notice" role="status">{t(Msg::Saved)}</p> })}
            <ErrorBanner result fields_summary=true/>
            <FieldMessage result field="name"/>
            <FieldMessage result field="nip"/>
            <FieldMessage result field="transfer"/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let recipients = list.await.unwrap_or_default();
                    view! {
                        {recipients.into_iter().map(|r| {
                            let (name, id, processor) = (r.name.clone(), r.id, r.role == RecipientRole::Processor);
                            let agreements_list = r.agreements.clone();
                            view! {
                                <section class="card" data-testid="recipient" data-name=name.clone()>
                                    <h2>{name.clone()}</h2>
                                    <RecipientForm recipient=r save/>
                                    {processor.then(|| view! {
                                        <h3>{t(Msg::AgreementsTitle)}</h3>
                                        <ul data-testid="agreements">
                                            {agreements_list.into_iter().map(|a| view! {
                                                <li>
                                                    {t(Msg::AgreementSignedOn)} " " {a.signed_on.clone()} " · " {a.subject_duration.clone()}
                                                    {a.document_sha256.clone().map(|sha| view! {
                                                        " · " <a href=format!("/umowy/{}", a.id) target="_blank" rel="noopener">{t(Msg::AgreementDocument)}</a>
                                                        " " <code class="muted">{sha[..12].to_string()}</code>
                                                    })}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                        <AgreementForm recipient_id=id added=agreements/>
                                    })}
                                </section>
                            }
                        }).collect_view()}
                        <section class="card" data-testid="recipient-new">
                            <h2>{t(Msg::RecipientNew)}</h2>
                            <RecipientForm recipient=Recipient { active: true, ..Recipient::default() } save/>
                        </section>
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn RecipientForm(recipient: Recipient, save: ServerAction<RecipientSave>) -> impl IntoView {
    let r = recipient;
    let id = r.id;
    let scope = r.scope.clone();
    view! {
        <ActionForm action=save attr:class="record-form">
            {(id != RecipientId::default()).then(|| view! { <input type="hidden" name="id" value=id/> })}
            <div class="grid">
                <label>{t(Msg::RecipientNameLabel)}<input name="name" value=r.name.clone() autocomplete="off"/></label>
                <label>{t(Msg::NipLabel)}<input name="nip" value=r.nip.clone() autocomplete="off"/></label>
                <label>{t(Msg::RecipientRoleLabel)}
                    <select name="role">
                        {RecipientRole::ALL.iter().map(|role| view! {
                            <option value=role.as_str() selected=*role == r.role>{t(role.label())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{t(Msg::RecipientTransferLabel)}
                    <input name="transfer" value=r.transfer.clone() autocomplete="off"
                        placeholder=move || t(Msg::RecipientTransferHint)()/>
                </label>
            </div>
            <fieldset>
                <legend>{t(Msg::ScopeTitle)}</legend>
                <div class="grid">
                    {FIELDS.iter().map(|(field, label)| {
                        let current = scope.iter().find(|s| s.field == *field).map(|s| s.legal_basis);
                        view! {
                            <label>{t(*label)}
                                <select name=format!("scope[{field}]")>
                                    <option value="" selected=current.is_none()>{t(Msg::ScopeNotShared)}</option>
                                    {LegalBasis::ALL.iter().map(|b| view! {
                                        <option value=b.as_str() selected=current == Some(*b)>{t(b.label())}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <div class="form-actions">
                <label class="choice"><input type="checkbox" name="active" value="on" checked=r.active/>{t(Msg::ActiveLabel)}</label>
                <button type="submit" class="primary">{if id == RecipientId::default() { t(Msg::UsersAddButton)() } else { t(Msg::SaveButton)() }}</button>
            </div>
        </ActionForm>
    }
}

/// A processor agreement with its signed document, sent as a multipart form.
#[component]
fn AgreementForm(recipient_id: RecipientId, added: RwSignal<u32>) -> impl IntoView {
    let add = Action::new_local(|form: &web_sys::FormData| {
        let form = form.clone();
        async move { agreement_add(form.into()).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            added.update(|n| *n += 1);
        }
    });
    let outcome: Signal<Option<Result<AgreementId, AppError>>> =
        Signal::derive(move || add.value().get());
    let lang = use_lang();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(not(feature = "ssr"))]
        if let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        {
            if let Ok(data) = web_sys::FormData::new_with_form(&form) {
                add.dispatch_local(data);
            }
        }
    };
    let area = move |name: &'static str, label: Msg| {
        view! {
            <label>{t(label)}<textarea name=name rows="2"></textarea></label>
            <FieldMessage result=outcome field=name/>
        }
    };
    view! {
        <details class="agreement-form">
            <summary>{t(Msg::AgreementAdd)}</summary>
            <form class="record-form" on:submit=submit data-testid="agreement-form">
                <input type="hidden" name="recipient_id" value=recipient_id/>
                {area("subject_duration", Msg::AgreementSubjectDuration)}
                {area("nature_purpose", Msg::AgreementNaturePurpose)}
                {area("data_types", Msg::AgreementDataTypes)}
                {area("subject_categories", Msg::AgreementSubjectCategories)}
                {area("obligations_rights", Msg::AgreementObligations)}
                <label>{t(Msg::AgreementSignedOn)}<input name="signed_on" type="date"/></label>
                <FieldMessage result=outcome field="signed_on"/>
                <label>{t(Msg::AgreementDocument)}<input name="document" type="file" accept="application/pdf,.pdf"/></label>
                <FieldMessage result=outcome field="document"/>
                {move || outcome.get().and_then(|r| r.err()).filter(|e| !matches!(e, AppError::Validation(_))).map(|e| view! {
                    <p class="error" role="alert">{e.message(lang.get())}</p>
                })}
                <button type="submit" class="primary">{t(Msg::AgreementAdd)}</button>
            </form>
        </details>
    }
}
