use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{Layout, Part};
use crate::auth::api::current_user;
use crate::contacts::api::contact_search;
use crate::contacts::{urlencode, ContactSearchForm, ContactTable};
use crate::desk::{api::consultant_desk, DeskPanels};
use crate::i18n::{t, use_lang, Msg};
use crate::system::system_info;
use crate::time_fmt::format_utc;

/// "Pulpit konsultanta": a call starts here. The lookup (its first page of results
/// right here, the rest on the contact list), then the consultant's own panels.
#[component]
pub fn ConsultantHome() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_user());
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let found = Resource::new(q, |q| async move {
        if q.trim().is_empty() {
            Ok(None)
        } else {
            contact_search(q, None).await.map(Some)
        }
    });
    let desk = Resource::new(|| (), |_| consultant_desk());
    let lang = use_lang();
    view! {
        <Layout part=Part::Consultant>
            <h1>{t(Msg::ConsultantHomeTitle)}</h1>
            <ContactSearchForm action="/" q=Signal::derive(q) autofocus=true/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(None) => ().into_any(),
                        Err(e) => view! {
                            <p class="error" role="alert">{e.message(lang.get_untracked())}</p>
                        }.into_any(),
                        Ok(Some(page)) if page.rows.is_empty() => view! {
                            <p data-testid="no-contacts">{t(Msg::NoContactsFound)}</p>
                        }.into_any(),
                        Ok(Some(page)) => {
                            let more = page.next_before.is_some().then(|| {
                                let href = format!("/kontakty?q={}", urlencode(&q()));
                                view! { <nav class="pager"><a class="button" href=href>{t(Msg::DeskAllResults)}</a></nav> }
                            });
                            view! { <section class="card"><ContactTable rows=page.rows/>{more}</section> }.into_any()
                        }
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match desk.await {
                        Ok(desk) => view! { <DeskPanels desk/> }.into_any(),
                        Err(e) => view! {
                            <p class="error" role="alert">{e.message(lang.get_untracked())}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    me.await.ok().flatten().map(|user| {
                        let expires = user.password_expires_at.map(format_utc);
                        view! {
                            <section class="card">
                                <h2>{t(Msg::YourAccount)}</h2>
                                <dl class="facts">
                                    <dt>{t(Msg::LoginLabel)}</dt>
                                    <dd>{user.login.clone()}</dd>
                                    <dt>{t(Msg::RoleLabel)}</dt>
                                    <dd>{t(user.role.label())}</dd>
                                    <dt>{t(Msg::PasswordChangedAt)}</dt>
                                    <dd>{format_utc(user.password_changed_at)}</dd>
                                    <dt>{t(Msg::PasswordExpiresAt)}</dt>
                                    <dd>{move || expires.clone().unwrap_or_else(|| Msg::Never.text(lang.get()).to_string())}</dd>
                                </dl>
                            </section>
                        }
                    })
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
pub fn ManagerHome() -> impl IntoView {
    let info = Resource::new(|| (), |_| system_info());
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::ManagerHomeTitle)}</h1>
            <crate::reports::ManagerCountersCard/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    info.await.ok().map(|info| view! {
                        <section class="card">
                            <h2>{t(Msg::SystemTitle)}</h2>
                            <dl class="facts">
                                <dt>{t(Msg::SystemVersion)}</dt>
                                <dd>{info.version}</dd>
                                <dt>{t(Msg::SystemDatabase)}</dt>
                                <dd data-testid="db-backend">{info.database}</dd>
                            </dl>
                        </section>
                    })
                })}
            </Suspense>
        </Layout>
    }
}
