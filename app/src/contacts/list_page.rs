//! "Kontakty": the search box and the list, a page at a time. The search is a plain GET
//! form, so it works without JavaScript and its result can be bookmarked.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::contact_search;
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::or_dash;
use crate::shell::{Layout, Part};

#[component]
pub fn ContactListPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let before = move || {
        query
            .read()
            .get("przed")
            .and_then(|s| s.parse::<i64>().ok())
    };
    let page = Resource::new(
        move || (q(), before()),
        |(q, before)| contact_search(q, before),
    );
    let lang = use_lang();
    view! {
        <Layout part=Part::Consultant>
            <div class="card-head">
                <h1>{t(Msg::ContactsTitle)}</h1>
                <a class="button primary" href="/kontakty/nowy">{t(Msg::ContactNew)}</a>
            </div>
            <form method="get" action="/kontakty" class="search" role="search">
                <label for="q">{t(Msg::SearchLabel)}</label>
                <div class="row-form">
                    <input id="q" name="q" type="search" autocomplete="off" prop:value=q/>
                    <button type="submit">{t(Msg::SearchButton)}</button>
                </div>
            </form>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => view! {
                            <p class="error" role="alert">{e.message(lang.get_untracked())}</p>
                        }.into_any(),
                        Ok(page) if page.rows.is_empty() => view! {
                            <p data-testid="no-contacts">{t(Msg::NoContactsFound)}</p>
                        }.into_any(),
                        Ok(page) => {
                            let next = page.next_before.map(|b| {
                                let href = format!("/kontakty?q={}&przed={b}", urlencode(&q()));
                                view! { <a class="button" href=href>{t(Msg::NextPage)}</a> }
                            });
                            let first = before().map(|_| {
                                let href = format!("/kontakty?q={}", urlencode(&q()));
                                view! { <a class="button" href=href>{t(Msg::FirstPage)}</a> }
                            });
                            view! {
                                <div class="table-wrap">
                                    <table class="list" data-testid="contacts">
                                        <thead><tr>
                                            <th>"Id"</th>
                                            <th>{t(Msg::ColName)}</th>
                                            <th>{t(Msg::ColPhone)}</th>
                                            <th>{t(Msg::ColEmail)}</th>
                                            <th>{t(Msg::ColCity)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {page.rows.into_iter().map(|r| view! {
                                                <tr>
                                                    <td>{r.id}</td>
                                                    <td><a href=format!("/kontakty/{}", r.id)>{or_dash(r.name)}</a></td>
                                                    <td>{or_dash(r.phone)}</td>
                                                    <td>{or_dash(r.email)}</td>
                                                    <td>{or_dash(r.city)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <nav class="pager">{first}{next}</nav>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Layout>
    }
}

/// Enough of URL encoding for a query value.
fn urlencode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
