//! "RODO: Udostępnienia": recording a disclosure, and the log with its filters.

use crate::ids::RecipientId;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{disclosures_list, recipients_list, DisclosureRecord};
use crate::history::model::{field_label, FIELDS};
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{ErrorBanner, FieldMessage, JsonActionForm};
use crate::shell::{Layout, Part};
use crate::time_fmt::format_utc;

/// Contacts listed per row; an export's disclosure may cover a million of them.
const SHOWN_IDS: usize = 100;

#[component]
pub fn DisclosuresPage() -> impl IntoView {
    let record = ServerAction::<DisclosureRecord>::new();
    let result = Signal::derive(move || record.value().get());
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (
            q.get("odbiorca")
                .and_then(|s| s.parse::<RecipientId>().ok()),
            q.get("od"),
            q.get("do"),
        )
    };
    let recipients = Resource::new(|| (), |_| recipients_list());
    let log = Resource::new(
        move || (filter(), record.version().get()),
        |((recipient, from, to), _)| disclosures_list(recipient, from, to),
    );
    let lang = use_lang();
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::DisclosuresTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let recipients = recipients.await.unwrap_or_default();
                    let options = recipients.iter().map(|r| (r.id, r.name.clone())).collect::<Vec<_>>();
                    let options2 = options.clone();
                    let (selected, from, to) = filter();
                    view! {
                        <section class="card">
                            <h2>{t(Msg::DisclosureNew)}</h2>
                            {move || matches!(result.get(), Some(Ok(_))).then(|| view! { <p class="notice" role="status">{t(Msg::Saved)}</p> })}
                            <JsonActionForm action=record attr:class="record-form" attr:data-testid="disclosure-form">
                                <div class="grid">
                                    <label>{t(Msg::RecipientLabel)}
                                        <select name="recipient_id">
                                            {options.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <label>{t(Msg::DisclosureContacts)}<input name="contact_ids" autocomplete="off"/></label>
                                    <label>{t(Msg::DisclosurePurpose)}<input name="purpose" autocomplete="off"/></label>
                                </div>
                                <FieldMessage result field="contact_ids"/>
                                <FieldMessage result field="purpose"/>
                                <fieldset>
                                    <legend>{t(Msg::DisclosureFields)}</legend>
                                    <div class="row-form">
                                        {FIELDS.iter().map(|(field, label)| view! {
                                            <label class="choice"><input type="checkbox" name=format!("fields[{field}]") value="on"/>{t(*label)}</label>
                                        }).collect_view()}
                                    </div>
                                    <FieldMessage result field="fields"/>
                                </fieldset>
                                <ErrorBanner result fields_summary=true/>
                                <div class="form-actions">
                                    <button type="submit" class="primary">{t(Msg::DisclosureRecordButton)}</button>
                                </div>
                            </JsonActionForm>
                        </section>
                        <form method="get" action="/menedzer/udostepnienia" class="row-form card" role="search">
                            <label>{t(Msg::RecipientLabel)}
                                <select name="odbiorca">
                                    <option value="">{t(Msg::FilterAll)}</option>
                                    {options2.into_iter().map(|(id, name)| view! {
                                        <option value=id selected=selected == Some(id)>{name}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>{t(Msg::FilterFrom)}<input type="date" name="od" value=from.unwrap_or_default()/></label>
                            <label>{t(Msg::FilterTo)}<input type="date" name="do" value=to.unwrap_or_default()/></label>
                            <button type="submit">{t(Msg::FilterButton)}</button>
                        </form>
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match log.await {
                        Err(e) => view! { <p class="error" role="alert">{e.message(lang.get_untracked())}</p> }.into_any(),
                        Ok(rows) => view! {
                            <div class="table-wrap">
                                <table class="list" data-testid="disclosures">
                                    <thead><tr>
                                        <th>{t(Msg::AuditWhen)}</th>
                                        <th>{t(Msg::RecipientLabel)}</th>
                                        <th>{t(Msg::DisclosureContacts)}</th>
                                        <th>{t(Msg::DisclosureFields)}</th>
                                        <th>{t(Msg::LegalBasisLabel)}</th>
                                        <th>{t(Msg::DisclosurePurpose)}</th>
                                        <th>{t(Msg::AuditWho)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|d| view! {
                                            <tr>
                                                <td>{format_utc(d.disclosed_at)}</td>
                                                <td>{d.recipient}</td>
                                                <td>
                                                    {d.contact_ids.iter().take(SHOWN_IDS).map(|id| view! { <a href=format!("/kontakty/{id}")>{*id}</a> " " }).collect_view()}
                                                    {(d.contact_ids.len() > SHOWN_IDS).then(|| format!("… ({})", d.contact_ids.len()))}
                                                </td>
                                                <td>{d.fields.iter().map(|f| field_label(f).text(lang.get_untracked())).collect::<Vec<_>>().join(", ")}</td>
                                                <td>{d.legal_basis.split(',').filter_map(crate::consents::model::LegalBasis::parse).map(|b| b.label().text(lang.get_untracked())).collect::<Vec<_>>().join("; ")}</td>
                                                <td>
                                                    {d.purpose}
                                                    {d.export_filter.map(|f| view! { <br/><span class="muted">{t(Msg::ExportFilterLabel)} ": " <a href=format!("/menedzer/szukaj?{f}")>{if f.is_empty() { "—".to_string() } else { f.clone() }}</a></span> })}
                                                    {d.export_override.map(|r| view! { <br/><span class="muted">{t(Msg::ExportOverrideReason)} ": " {r}</span> })}
                                                </td>
                                                <td>{d.disclosed_by.unwrap_or_default()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}
