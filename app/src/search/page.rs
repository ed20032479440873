//! "Szukaj" (/menedzer/szukaj): a GET form whose fields are the URL query, so the
//! server renders the results of a bookmarked or submitted search without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::api::{contact_filter, saved_searches, SavedSearchDelete, SavedSearchSave};
use super::model::{keys, ConsentState, SearchFilter, SearchView, SortBy, MARKETING_CHANNELS};
use crate::cases::model::CaseStatus;
use crate::contacts::ContactState;
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{date_pair, or_dash, select_field, select_owned, text_field};
use crate::shell::{Layout, Part};

pub const PATH: &str = "/menedzer/szukaj";
/// Set by the submit button, so an empty form still lists every contact.
const SUBMITTED: &str = "szukaj";

const STATES: [ContactState; 4] = [
    ContactState::Active,
    ContactState::Restricted,
    ContactState::ErasurePending,
    ContactState::Erased,
];

#[component]
pub fn SearchContactsPage() -> impl IntoView {
    let search = use_location().search;
    let raw = move || search.get().trim_start_matches('?').to_string();
    let parsed = move || SearchFilter::from_query(&raw());
    let view_of = move || SearchView::from_query(&raw());
    let results = Resource::new(raw, |q| async move {
        if q.is_empty() {
            return None;
        }
        Some(contact_filter(q).await)
    });
    let save = ServerAction::<SavedSearchSave>::new();
    let delete = ServerAction::<SavedSearchDelete>::new();
    let saved = Resource::new(
        move || (save.version().get(), delete.version().get()),
        |_| saved_searches(),
    );
    let definitions = Resource::new(|| (), |_| crate::consents::api::consent_definitions());
    let sources = Resource::new(|| (), |_| crate::sources::api::data_sources());
    let imports = Resource::new(|| (), |_| crate::imports::api::import_list());
    let lang = use_lang();
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::SearchTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let defs = definitions.await.unwrap_or_default();
                    let sources = sources.await.unwrap_or_default();
                    let imports = imports.await.unwrap_or_default();
                    let f = parsed().unwrap_or_default();
                    let v = view_of();
                    let direction = if v.desc { "desc" } else { "asc" };
                    let errors = parsed().err().map(|e| view! {
                        <p class="error" role="alert">{e.message(lang.get_untracked())}</p>
                    });
                    view! {
                        {errors}
                        <form method="get" action=PATH class="card search-filters" role="search">
                            <p class="hint">{t(Msg::SearchExactNote)}</p>
                            <div class="filter-grid">
                                {text_field(keys::NAME, Msg::SearchName, &f.name, "search")}
                                {text_field(keys::PHONE, Msg::ColPhone, &f.phone, "tel")}
                                {text_field(keys::EMAIL, Msg::ColEmail, &f.email, "email")}
                                {text_field(keys::PESEL, Msg::SearchPesel, &f.pesel, "text")}
                                {text_field(keys::NIP, Msg::SearchNip, &f.nip, "text")}
                                {text_field(keys::CITY, Msg::ColCity, &f.city, "text")}
                                {text_field(keys::POSTAL, Msg::SearchPostalCode, &f.postal_code, "text")}
                                {select_field(keys::SOURCE, Msg::SearchSource,
                                    sources.iter().map(|s| (s.id.to_string(), s.name.clone())).collect(),
                                    f.source_id.map(|v| v.to_string()).unwrap_or_default())}
                                {select_field(keys::IMPORT, Msg::SearchImport,
                                    imports.iter().map(|i| (i.id.to_string(), format!("{} ({})", i.name, i.file_name))).collect(),
                                    f.import_id.map(|v| v.to_string()).unwrap_or_default())}
                                {select_field(keys::STATE, Msg::SearchState,
                                    STATES.iter().map(|s| (s.as_str().to_string(), t(s.label())().to_string())).collect(),
                                    f.state.map(|s| s.as_str().to_string()).unwrap_or_default())}
                                {date_pair(keys::CREATED_FROM, keys::CREATED_TO, Msg::SearchCreated, &f.created_from, &f.created_to)}
                                {date_pair(keys::CHANGED_FROM, keys::CHANGED_TO, Msg::SearchChanged, &f.changed_from, &f.changed_to)}
                                {date_pair(keys::CONTACT_FROM, keys::CONTACT_TO, Msg::SearchLastContact, &f.contact_from, &f.contact_to)}
                                {select_field(keys::MARKETING, Msg::SearchMarketing,
                                    MARKETING_CHANNELS.iter().map(|c| (c.as_str().to_string(), t(c.label())().to_string())).collect(),
                                    f.marketing.map(|c| c.as_str().to_string()).unwrap_or_default())}
                                {select_field(keys::CASE_STATUS, Msg::SearchCaseStatus,
                                    CaseStatus::ALL.iter().map(|s| (s.as_str().to_string(), t(s.label())().to_string())).collect(),
                                    f.case_status.map(|s| s.as_str().to_string()).unwrap_or_default())}
                                <label class="check">
                                    <input type="checkbox" name=keys::OPEN_CASE value="1" checked=f.open_case/>
                                    {t(Msg::SearchOpenCase)}
                                </label>
                            </div>
                            <fieldset class="consent-filters">
                                <legend>{t(Msg::SearchConsents)}</legend>
                                <div class="filter-grid">
                                    {defs.iter().map(|d| {
                                        let key = format!("{}{}", keys::CONSENT_PREFIX, d.id);
                                        let chosen = f.consents.iter().find(|(id, _)| *id == d.id.get())
                                            .map(|(_, s)| s.as_str().to_string()).unwrap_or_default();
                                        let options = ConsentState::ALL.iter()
                                            .map(|s| (s.as_str().to_string(), t(s.label())().to_string())).collect();
                                        select_owned(key, d.name.clone(), options, chosen)
                                    }).collect_view()}
                                </div>
                            </fieldset>
                            <input type="hidden" name="sort" value=v.sort.as_str()/>
                            <input type="hidden" name="kier" value=direction/>
                            <button type="submit" class="primary" name=SUBMITTED value="1">{t(Msg::SearchButton)}</button>
                        </form>
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let page = results.await?;
                    let filter = parsed().unwrap_or_default();
                    let v = view_of();
                    Some(match page {
                        Err(e) => view! {
                            <p class="error" role="alert">{e.message(lang.get_untracked())}</p>
                        }.into_any(),
                        Ok(page) => results_card(page, &filter, v).into_any(),
                    })
                })}
            </Suspense>
            <section class="card saved-searches">
                <h2>{t(Msg::SearchSaved)}</h2>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = saved.await.unwrap_or_default();
                        view! {
                            <ul data-testid="saved-searches">
                                {list.into_iter().map(|s| view! {
                                    <li>
                                        <a href=format!("{PATH}?{}&{SUBMITTED}=1", s.query)>{s.name}</a>
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
                    <label for="saved-name">{t(Msg::SearchSaveName)}</label>
                    <input id="saved-name" name="name" type="text" maxlength="100" required/>
                    <input type="hidden" name="query" value=move || parsed().map(|f| f.to_query()).unwrap_or_default()/>
                    <button type="submit">{t(Msg::SearchSave)}</button>
                </ActionForm>
            </section>
        </Layout>
    }
}

/// A link to the same search with another order or page.
fn href(filter: &SearchFilter, view: SearchView) -> String {
    let f = filter.to_query();
    let sep = if f.is_empty() { "" } else { "&" };
    format!("{PATH}?{f}{sep}{}&{SUBMITTED}=1", view.to_query())
}

fn results_card(
    page: super::model::SearchPage,
    filter: &SearchFilter,
    v: SearchView,
) -> impl IntoView {
    let pages = ((page.total + page.page_size - 1) / page.page_size).max(1);
    // Past the counting cap the page cannot know the last page: a full page has a next.
    let more = !page.total_exact && page.rows.len() as i64 == page.page_size;
    let header = |sort: SortBy, label: Msg| {
        // The column sorted now flips its direction; another starts ascending.
        let next = SearchView {
            sort,
            desc: v.sort == sort && !v.desc,
            page: 1,
        };
        let mark = (v.sort == sort).then_some(if v.desc { " ▼" } else { " ▲" });
        let aria = if v.sort == sort {
            if v.desc {
                "descending"
            } else {
                "ascending"
            }
        } else {
            "none"
        };
        view! {
            <th aria-sort=aria><a href=href(filter, next)>{t(label)}{mark}</a></th>
        }
    };
    let prev = (page.page > 1).then(|| {
        let to = SearchView {
            page: page.page - 1,
            ..v
        };
        view! { <a class="button" rel="prev" href=href(filter, to)>{t(Msg::SearchPrevious)}</a> }
    });
    let next = (page.page < pages || more).then(|| {
        let to = SearchView {
            page: page.page + 1,
            ..v
        };
        view! { <a class="button" rel="next" href=href(filter, to)>{t(Msg::NextPage)}</a> }
    });
    let export = format!("{PATH}/eksport?{}", filter.to_query());
    let (count, exact) = (page.total, page.total_exact);
    let total = move || {
        if exact {
            count.to_string()
        } else {
            t(Msg::SearchTotalOver)().to_string()
        }
    };
    view! {
        <section class="card results">
            <div class="card-head">
                <p data-testid="search-total">{t(Msg::SearchTotal)}" "<strong>{total}</strong></p>
                <a class="button" href=export>{t(Msg::SearchExport)}</a>
            </div>
            <div class="table-wrap">
                <table class="list" data-testid="search-results">
                    <thead><tr>
                        {header(SortBy::Id, Msg::SearchColId)}
                        <th>{t(Msg::ColName)}</th>
                        <th>{t(Msg::ColPhone)}</th>
                        <th>{t(Msg::ColEmail)}</th>
                        <th>{t(Msg::ColCity)}</th>
                        {header(SortBy::Source, Msg::SearchSource)}
                        <th>{t(Msg::SearchConsents)}</th>
                        {header(SortBy::State, Msg::SearchState)}
                        {header(SortBy::Created, Msg::SearchCreated)}
                        {header(SortBy::Changed, Msg::SearchChanged)}
                    </tr></thead>
                    <tbody>
                        {page.rows.into_iter().map(|r| view! {
                            <tr>
                                <td>{r.id}</td>
                                <td><a href=format!("/kontakty/{}", r.id)>{or_dash(r.name)}</a></td>
                                <td>{or_dash(r.phone)}</td>
                                <td>{or_dash(r.email)}</td>
                                <td>{or_dash(r.city)}</td>
                                <td>{or_dash(r.source)}</td>
                                <td>{format!("{}/{}", r.consents_granted, r.consents_total)}</td>
                                <td>{t(r.state.label())}</td>
                                <td>{day(r.created_at)}</td>
                                <td>{day(r.updated_at)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <nav class="pager" aria-label="pages">
                {prev}
                <span>{format!("{} / {pages}", page.page)}</span>
                {next}
            </nav>
        </section>
    }
}

fn day(ms: i64) -> String {
    crate::time_fmt::format_utc(ms)
        .get(..10)
        .unwrap_or_default()
        .to_string()
}
