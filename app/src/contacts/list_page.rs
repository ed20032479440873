//! "Kontakty": the search box and the list, a page at a time. The search is a plain GET
//! form, so it works without JavaScript and its result can be bookmarked.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::contact_search;
use super::model::ContactRow;
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{or_dash, phone_link};
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
            <ContactSearchForm action="/kontakty" q=Signal::derive(q)/>
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
                                <ContactTable rows=page.rows/>
                                <nav class="pager">{first}{next}</nav>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Layout>
    }
}

/// The lookup box: a plain GET form to `action`, so it works without JavaScript. With
/// `autofocus` the cursor waits in it, for a call that has just come in.
#[component]
pub fn ContactSearchForm(
    action: &'static str,
    #[prop(into)] q: Signal<String>,
    #[prop(optional)] autofocus: bool,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    if autofocus {
        // `autofocus` serves the page as loaded; a page reached inside the app gets the
        // focus from here once it is mounted.
        Effect::new(move |_| {
            if let Some(input) = input.get() {
                let _ = input.focus();
            }
        });
    }
    view! {
        <form method="get" action=action class="search" role="search">
            <label for="q">{t(Msg::SearchLabel)}</label>
            <div class="row-form">
                <input id="q" name="q" type="search" autocomplete="off" prop:value=q
                    autofocus=autofocus node_ref=input/>
                <button type="submit">{t(Msg::SearchButton)}</button>
            </div>
        </form>
    }
}

/// Contacts as the list shows them; the id column gives way first on a narrow screen.
#[component]
pub fn ContactTable(rows: Vec<ContactRow>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="list" data-testid="contacts">
                <thead><tr>
                    <th class="optional">"Id"</th>
                    <th>{t(Msg::ColName)}</th>
                    <th>{t(Msg::ColPhone)}</th>
                    <th>{t(Msg::ColEmail)}</th>
                    <th>{t(Msg::ColCity)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <td class="optional">{r.id}</td>
                            <td><a href=format!("/kontakty/{}", r.id)>{or_dash(r.name)}</a></td>
                            <td class="nowrap">{phone_link(r.phone)}</td>
                            <td>{or_dash(r.email)}</td>
                            <td>{or_dash(r.city)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Enough of URL encoding for a query value.
pub fn urlencode(value: &str) -> String {
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
