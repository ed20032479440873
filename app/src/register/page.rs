//! "Rejestr czynności przetwarzania" (/menedzer/rejestr-czynnosci): the register as it
//! stands, the manager's additions edited in place, saved versions by date, printable.
//! `?wersja=N` shows a saved version, read-only.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::api::{register_get, RegisterPurposeSave, RegisterSettingsSave, RegisterVersionSave};
use super::model::{Activity, RegisterDocument, RegisterRecipient};
use crate::i18n::{t, use_lang, Msg};
use crate::search::query::decode_pairs;
use crate::shell::widgets::{ErrorBanner, FieldMessage};
use crate::shell::{Layout, Part};
use crate::time_fmt::format_utc;

pub const PATH: &str = "/menedzer/rejestr-czynnosci";

fn or_none(text: &str) -> String {
    if text.trim().is_empty() {
        "—".to_string()
    } else {
        text.to_string()
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let search = use_location().search;
    let version = move || {
        decode_pairs(search.get().trim_start_matches('?'))
            .into_iter()
            .find(|(k, _)| k == "wersja")
            .and_then(|(_, v)| v.parse::<i64>().ok())
    };
    let settings = ServerAction::<RegisterSettingsSave>::new();
    let purpose = ServerAction::<RegisterPurposeSave>::new();
    let saved = ServerAction::<RegisterVersionSave>::new();
    let register = Resource::new(
        move || {
            (
                version(),
                settings.version().get(),
                purpose.version().get(),
                saved.version().get(),
            )
        },
        |(v, ..)| register_get(v),
    );
    let lang = use_lang();
    let settings_result = Signal::derive(move || settings.value().get());
    let purpose_result = Signal::derive(move || purpose.value().get());
    let saved_result = Signal::derive(move || saved.value().get());
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::RegisterTitle)}</h1>
            <p class="hint no-print">{t(Msg::RegisterIntro)}</p>
            <ErrorBanner result=settings_result fields_summary=true/>
            <ErrorBanner result=purpose_result fields_summary=true/>
            <ErrorBanner result=saved_result/>
            {move || saved_result.get().and_then(|r| r.ok()).map(|n| view! {
                <p class="notice" role="status">{move || t(Msg::RegisterVersionSaved)().replace("{n}", &n.to_string())}</p>
            })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let view_data = match register.await {
                        Ok(v) => v,
                        Err(e) => return view! {
                            <p class="error" role="alert">{e.message(lang.get_untracked())}</p>
                        }.into_any(),
                    };
                    let editable = view_data.version.is_none();
                    let file_version = view_data
                        .version
                        .as_ref()
                        .map(|v| format!("&wersja={}", v.version))
                        .unwrap_or_default();
                    let doc = view_data.document.clone();
                    let heading = match &view_data.version {
                        Some(v) => view! {
                            <p class="notice" data-testid="register-version">
                                {t(Msg::RegisterVersionShown)}" "{v.version}" · "{format_utc(v.created_at)}
                                " · "<a href=PATH>{t(Msg::RegisterBackToCurrent)}</a>
                            </p>
                        }.into_any(),
                        None => view! {
                            <p class="hint">{t(Msg::RegisterGeneratedAt)}" "{format_utc(doc.generated_at)}</p>
                        }.into_any(),
                    };
                    view! {
                        <div class="card-head no-print">
                            <span></span>
                            <div class="actions">
                                {editable.then(|| view! {
                                    <ActionForm action=saved attr:class="inline">
                                        <button type="submit" class="primary">{t(Msg::RegisterSaveVersion)}</button>
                                    </ActionForm>
                                })}
                                <a class="button" download
                                    href=format!("{PATH}/plik?format=csv{}", file_version.clone())>{t(Msg::ReportFileCsv)}</a>
                                <a class="button" download
                                    href=format!("{PATH}/plik?format=xlsx{}", file_version.clone())>{t(Msg::ReportFileXlsx)}</a>
                                <button type="button" on:click=print>{t(Msg::ReportPrint)}</button>
                            </div>
                        </div>
                        {heading}
                        {controller_card(&doc, editable, settings, settings_result)}
                        {activities_card(&doc, editable, purpose, purpose_result)}
                        {recipients_card(&doc.recipients)}
                        <section class="card">
                            <h2>{t(Msg::RegisterOtherRetention)}</h2>
                            {if doc.other_retention.is_empty() {
                                view! { <p>"—"</p> }.into_any()
                            } else {
                                view! { <ul>{doc.other_retention.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}</ul> }.into_any()
                            }}
                        </section>
                        <section class="card no-print">
                            <h2>{t(Msg::RegisterVersions)}</h2>
                            <ul data-testid="register-versions">
                                {view_data.versions.iter().map(|v| view! {
                                    <li>
                                        <a href=format!("{PATH}?wersja={}", v.version)>
                                            {t(Msg::RegisterVersionShown)}" "{v.version}" · "{format_utc(v.created_at)}
                                        </a>
                                        {v.created_by.clone().map(|by| format!(" · {by}"))}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any()
                })}
            </Suspense>
        </Layout>
    }
}

fn controller_card(
    doc: &RegisterDocument,
    editable: bool,
    action: ServerAction<RegisterSettingsSave>,
    result: Signal<Option<Result<(), crate::error::AppError>>>,
) -> impl IntoView {
    let (controller, dpo, measures) = (
        doc.controller.clone(),
        doc.dpo.clone(),
        doc.security_measures.clone(),
    );
    let form = editable.then(move || {
        view! {
            <details class="no-print">
                <summary>{t(Msg::RegisterEdit)}</summary>
                <ActionForm action attr:class="record-form" attr:data-testid="register-settings">
                    <label>{t(Msg::RegisterController)}
                        <textarea name="controller" rows="2">{controller.clone()}</textarea>
                    </label>
                    <FieldMessage result field="controller"/>
                    <label>{t(Msg::RegisterDpo)}
                        <textarea name="dpo" rows="2">{dpo.clone()}</textarea>
                    </label>
                    <FieldMessage result field="dpo"/>
                    <label>{t(Msg::RegisterSecurity)}
                        <textarea name="security_measures" rows="6">{measures.clone()}</textarea>
                    </label>
                    <FieldMessage result field="security_measures"/>
                    <button type="submit" class="primary">{t(Msg::SaveButton)}</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <section class="card" data-testid="register-controller">
            <dl class="facts">
                <dt>{t(Msg::RegisterController)}</dt>
                <dd class="pre">{or_none(&doc.controller)}</dd>
                <dt>{t(Msg::RegisterDpo)}</dt>
                <dd class="pre">{or_none(&doc.dpo)}</dd>
                <dt>{t(Msg::RegisterSecurity)}</dt>
                <dd class="pre" data-testid="register-security">{or_none(&doc.security_measures)}</dd>
            </dl>
            {form}
        </section>
    }
}

fn activities_card(
    doc: &RegisterDocument,
    editable: bool,
    action: ServerAction<RegisterPurposeSave>,
    result: Signal<Option<Result<(), crate::error::AppError>>>,
) -> impl IntoView {
    view! {
        <section class="card">
            <h2>{t(Msg::RegisterActivities)}</h2>
            <div class="table-wrap">
                <table class="list" data-testid="register-activities">
                    <thead><tr>
                        <th>{t(Msg::RegisterActivity)}</th>
                        <th>{t(Msg::ReportColLegalBasis)}</th>
                        <th>{t(Msg::RegisterDataCategories)}</th>
                        <th>{t(Msg::RegisterPeopleCategories)}</th>
                        <th>{t(Msg::RegisterRetention)}</th>
                    </tr></thead>
                    <tbody>
                        {doc.activities.iter().map(|a| activity_row(a, editable, action, result)).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn activity_row(
    a: &Activity,
    editable: bool,
    action: ServerAction<RegisterPurposeSave>,
    result: Signal<Option<Result<(), crate::error::AppError>>>,
) -> impl IntoView {
    let badge = |on: bool| {
        (on && editable).then(|| {
            view! { " "<span class="badge warn">{t(Msg::RegisterSuggested)}</span> }
        })
    };
    let (data_badge, people_badge) = (badge(a.data_suggested), badge(a.people_suggested));
    // A suggestion is a placeholder, not a value: saving one field must not turn the
    // other's suggestion into the manager's own words.
    let own = |suggested: bool, text: &str| {
        if suggested {
            (String::new(), text.to_string())
        } else {
            (text.to_string(), String::new())
        }
    };
    let key = a.key.clone();
    let (data, data_hint) = own(a.data_suggested, &a.data_categories);
    let (people, people_hint) = own(a.people_suggested, &a.subject_categories);
    let form = editable.then(move || {
        view! {
            <details class="no-print">
                <summary>{t(Msg::RegisterEdit)}</summary>
                <ActionForm action attr:class="record-form">
                    <input type="hidden" name="key" value=key.clone()/>
                    <label>{t(Msg::RegisterDataCategories)}
                        <input name="data_categories" value=data.clone() placeholder=data_hint.clone()/>
                    </label>
                    <FieldMessage result field="data_categories"/>
                    <label>{t(Msg::RegisterPeopleCategories)}
                        <input name="subject_categories" value=people.clone() placeholder=people_hint.clone()/>
                    </label>
                    <FieldMessage result field="subject_categories"/>
                    <button type="submit" class="primary">{t(Msg::SaveButton)}</button>
                </ActionForm>
            </details>
        }
    });
    let inactive =
        (!a.active).then(|| view! { " "<span class="badge">{t(Msg::RegisterInactive)}</span> });
    view! {
        <tr data-testid="register-activity" data-key=a.key.clone()>
            <th scope="row">
                {a.name.clone()}{inactive}
                <div class="hint">{a.purpose.clone()}</div>
            </th>
            <td>{a.legal_basis.clone()}</td>
            <td>{a.data_categories.clone()}{data_badge}</td>
            <td>{a.subject_categories.clone()}{people_badge}{form}</td>
            <td>
                {if a.retention.is_empty() {
                    view! { <span class="hint">{t(Msg::RegisterNoRetention)}</span> }.into_any()
                } else {
                    view! { <ul class="plain">{a.retention.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}</ul> }.into_any()
                }}
            </td>
        </tr>
    }
}

fn recipients_card(recipients: &[RegisterRecipient]) -> impl IntoView {
    view! {
        <section class="card">
            <h2>{t(Msg::RegisterRecipients)}</h2>
            <div class="table-wrap">
                <table class="list" data-testid="register-recipients">
                    <thead><tr>
                        <th>{t(Msg::ReportColRecipient)}</th>
                        <th>{t(Msg::RecipientRoleLabel)}</th>
                        <th>{t(Msg::RegisterAgreement)}</th>
                        <th>{t(Msg::RegisterTransfer)}</th>
                    </tr></thead>
                    <tbody>
                        {recipients.iter().map(|r| view! {
                            <tr data-testid="register-recipient" data-name=r.name.clone()>
                                <th scope="row">
                                    {r.name.clone()}{(!r.nip.is_empty()).then(|| format!(" (NIP {})", r.nip))}
                                    {(!r.active).then(|| view! { " "<span class="badge">{t(Msg::RegisterRecipientInactive)}</span> })}
                                </th>
                                <td>{r.role.clone()}</td>
                                <td>{or_none(&r.agreement_signed_on)}</td>
                                <td>{if r.transfer.is_empty() { t(Msg::RegisterNoTransfer)().to_string() } else { r.transfer.clone() }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
