//! "Raporty" (/menedzer/raporty): a GET form whose fields are the URL query, so a report
//! is rendered by the server, bookmarked, saved by name and printed without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::api::{report_people, report_run, reports_saved, ReportDelete, ReportSave};
use super::chart::ReportChart;
use super::model::{
    keys, ready_made, Dataset, FilterKind, ReportCell, ReportQuery, ReportResult, LINE_LIMIT,
};
use crate::i18n::{t, use_lang, Lang, Msg};
use crate::shell::widgets::{date_pair, select_field};
use crate::shell::{Layout, Part};

pub const PATH: &str = "/menedzer/raporty";

/// A cell as text in the reader's language.
pub fn cell_text(cell: &ReportCell, lang: Lang) -> String {
    match cell {
        ReportCell::Empty => "—".to_string(),
        ReportCell::Text(s) => s.clone(),
        ReportCell::Number(n) => n.to_string(),
        ReportCell::Time(ms) => crate::time_fmt::format_utc(*ms),
        ReportCell::Label(m) => m.text(lang).to_string(),
        ReportCell::Contact(id) => id.to_string(),
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let search = use_location().search;
    let raw = move || search.get().trim_start_matches('?').to_string();
    let parsed = move || ReportQuery::from_query(&raw());
    let result = Resource::new(raw, |q| async move {
        if q.is_empty() {
            return None;
        }
        Some(report_run(q).await)
    });
    let save = ServerAction::<ReportSave>::new();
    let delete = ServerAction::<ReportDelete>::new();
    let saved = Resource::new(
        move || (save.version().get(), delete.version().get()),
        |_| reports_saved(),
    );
    let sources = Resource::new(|| (), |_| crate::sources::api::data_sources());
    let definitions = Resource::new(|| (), |_| crate::consents::api::consent_definitions());
    let recipients = Resource::new(|| (), |_| crate::recipients::api::recipients_list());
    let people = Resource::new(|| (), |_| report_people());
    let lang = use_lang();
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::ReportsTitle)}</h1>
            <p class="hint no-print">{t(Msg::ReportsIntro)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let sources = sources.await.unwrap_or_default();
                    let definitions = definitions.await.unwrap_or_default();
                    let recipients = recipients.await.unwrap_or_default();
                    let people = people.await.unwrap_or_default();
                    let q = parsed().unwrap_or_default();
                    let errors = parsed().err().map(|e| view! {
                        <p class="error" role="alert">{e.message(lang.get_untracked())}</p>
                    });
                    let filter = |kind: FilterKind| q.applies(kind);
                    let id_text = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
                    view! {
                        {errors}
                        <form method="get" action=PATH class="card search-filters no-print" data-testid="report-form">
                            <div class="filter-grid">
                                <div class="field">
                                    <label for="f-zbior">{t(Msg::ReportDataset)}</label>
                                    <select id="f-zbior" name=keys::DATASET>
                                        {Dataset::ALL.iter().map(|d| view! {
                                            <option value=d.as_str() selected=*d == q.dataset>{t(d.label())}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="f-grupuj">{t(Msg::ReportGrouping)}</label>
                                    <select id="f-grupuj" name=keys::GROUPING>
                                        {q.dataset.groupings().into_iter().map(|g| view! {
                                            <option value=g.as_str() selected=g == q.grouping>{t(g.label())}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                {date_pair(keys::FROM, keys::TO, q.dataset.time_label(), &q.from, &q.to)}
                                {filter(FilterKind::Source).then(|| select_field(keys::SOURCE, Msg::ReportGroupSource,
                                    sources.iter().map(|s| (s.id.to_string(), s.name.clone())).collect(),
                                    id_text(q.source_id.map(|s| s.get()))))}
                                {filter(FilterKind::Consent).then(|| select_field(keys::CONSENT, Msg::ReportGroupConsent,
                                    definitions.iter().map(|d| (d.id.to_string(), d.name.clone())).collect(),
                                    id_text(q.definition_id)))}
                                {filter(FilterKind::Recipient).then(|| select_field(keys::RECIPIENT, Msg::ReportGroupRecipient,
                                    recipients.iter().map(|r| (r.id.to_string(), r.name.clone())).collect(),
                                    id_text(q.recipient_id)))}
                                {filter(FilterKind::Channel).then(|| select_field(keys::CHANNEL, Msg::ReportColChannel,
                                    q.dataset.channels().iter().map(|c| (c.as_str().to_string(), t(c.label())().to_string())).collect(),
                                    q.channel.map(|c| c.as_str().to_string()).unwrap_or_default()))}
                                {filter(FilterKind::State).then(|| select_field(keys::STATE, Msg::ReportColState,
                                    q.dataset.states().into_iter().map(|(code, label)| (code.to_string(), t(label)().to_string())).collect(),
                                    q.state.clone().unwrap_or_default()))}
                                {filter(FilterKind::User).then(|| select_field(keys::USER, Msg::ReportColUser,
                                    people.iter().map(|(id, name)| (id.to_string(), name.clone())).collect(),
                                    id_text(q.user_id.map(|u| u.get()))))}
                            </div>
                            <fieldset class="report-columns">
                                <legend>{t(Msg::ReportColumns)}</legend>
                                {q.dataset.columns().iter().map(|c| {
                                    let shown = q.columns.is_empty() || q.columns.contains(c);
                                    view! {
                                        <label class="check">
                                            <input type="checkbox" name=keys::COLUMN value=c.as_str() checked=shown/>
                                            {t(c.label())}
                                        </label>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <p class="hint">{t(Msg::ReportDatasetHint)}</p>
                            <button type="submit" class="primary">{t(Msg::ReportShow)}</button>
                        </form>
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let outcome = result.await?;
                    Some(match outcome {
                        Err(e) => view! {
                            <p class="error" role="alert">{e.message(lang.get_untracked())}</p>
                        }.into_any(),
                        Ok(r) => result_card(r).into_any(),
                    })
                })}
            </Suspense>
            <section class="card saved-searches no-print">
                <h2>{t(Msg::ReportReadyTitle)}</h2>
                <ul data-testid="ready-reports">
                    {ready_made().into_iter().map(|(title, query)| view! {
                        <li><a href=format!("{PATH}?{query}")>{t(title)}</a></li>
                    }).collect_view()}
                </ul>
                <h2>{t(Msg::ReportSavedTitle)}</h2>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = saved.await.unwrap_or_default();
                        view! {
                            <ul data-testid="saved-reports">
                                {list.into_iter().map(|s| view! {
                                    <li>
                                        <a href=format!("{PATH}?{}", s.query)>{s.name}</a>
                                        <ActionForm action=delete attr:class="inline">
                                            <input type="hidden" name="id" value=s.id.to_string()/>
                                            <button type="submit" class="link">{t(Msg::SearchSavedDelete)}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }
                    })}
                </Suspense>
                <ActionForm action=save attr:class="row-form">
                    <label for="report-name">{t(Msg::ReportSaveName)}</label>
                    <input id="report-name" name="name" type="text" maxlength="100" required/>
                    <input type="hidden" name="query" value=move || parsed().map(|q| q.to_query()).unwrap_or_default()/>
                    <button type="submit">{t(Msg::ReportSave)}</button>
                </ActionForm>
                {move || save.value().get().and_then(|r| r.err()).map(|e| view! {
                    <p class="error" role="alert">{e.message(lang.get_untracked())}</p>
                })}
            </section>
        </Layout>
    }
}

fn result_card(r: ReportResult) -> impl IntoView {
    let query = r.query.to_query();
    let title = format!(
        "{} — {}",
        t(r.query.dataset.label())(),
        t(r.query.grouping.label())()
    );
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let body = if r.groups.is_empty() && r.lines.is_empty() {
        view! { <p data-testid="report-empty">{t(Msg::ReportEmpty)}</p> }.into_any()
    } else if r.query.grouping == super::model::Grouping::None {
        lines_table(&r).into_any()
    } else {
        let chart = r
            .measures
            .iter()
            .any(|m| m.charted)
            .then(|| view! { <ReportChart result=r.clone()/> });
        view! { {chart} {groups_table(&r)} }.into_any()
    };
    let shown = r.lines.len() as i64;
    let cut = (r.query.grouping == super::model::Grouping::None && r.total > shown).then(|| view! {
        <p class="hint">{move || t(Msg::ReportLinesCut)().replace("{shown}", &shown.to_string()).replace("{limit}", &LINE_LIMIT.to_string())}</p>
    });
    view! {
        <section class="card results report" data-testid="report-result">
            <div class="card-head">
                <h2>{title}</h2>
                <div class="actions no-print">
                    <a class="button" href=format!("{PATH}/plik?{query}&format=csv") download>{t(Msg::ReportFileCsv)}</a>
                    <a class="button" href=format!("{PATH}/plik?{query}&format=xlsx") download>{t(Msg::ReportFileXlsx)}</a>
                    <button type="button" on:click=print>{t(Msg::ReportPrint)}</button>
                </div>
            </div>
            <p data-testid="report-total">{t(Msg::ReportTotal)}" "<strong>{r.total}</strong></p>
            {cut}
            {body}
        </section>
    }
}

fn groups_table(r: &ReportResult) -> impl IntoView {
    let lang = use_lang();
    let first = if r.query.grouping.is_time() {
        Msg::ReportPeriod
    } else {
        r.query.grouping.label()
    };
    view! {
        <div class="table-wrap">
            <table class="list" data-testid="report-groups">
                <thead><tr>
                    <th>{t(first)}</th>
                    {r.measures.iter().map(|m| view! { <th class="num">{t(m.label)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {r.groups.iter().map(|g| {
                        let name = cell_text(&g.label, lang.get_untracked());
                        let unusual = g.unusual.then(|| view! {
                            " "<span class="badge warn">{t(Msg::ReportUnusual)}</span>
                        });
                        view! {
                            <tr class:unusual=g.unusual>
                                <th scope="row">{name}{unusual}</th>
                                {g.values.iter().map(|v| view! { <td class="num">{*v}</td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn lines_table(r: &ReportResult) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="table-wrap">
            <table class="list" data-testid="report-lines">
                <thead><tr>
                    {r.columns.iter().map(|c| view! { <th>{t(c.label())}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {r.lines.iter().map(|line| view! {
                        <tr>
                            {line.iter().map(|cell| match cell {
                                ReportCell::Contact(id) => view! {
                                    <td><a href=format!("/kontakty/{id}")>{id.to_string()}</a></td>
                                }.into_any(),
                                ReportCell::Number(n) => view! { <td class="num">{*n}</td> }.into_any(),
                                other => view! { <td>{cell_text(other, lang.get_untracked())}</td> }.into_any(),
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
