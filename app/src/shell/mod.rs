//! The document shell, the router and the frame shared by both parts of the app.

pub mod bundle;
mod home;
mod layout;
pub mod widgets;

pub use layout::{Layout, Part};

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::cases::{CaseCardPage, CaseNewPage};
use crate::contacts::{ContactCardPage, ContactListPage, ContactNewPage};

use crate::auth::{LoginPage, PasswordChangePage};
use crate::i18n::{provide_i18n, t, use_lang, Msg};
use home::ConsultantHome;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let options = bundle::for_page(options);
    view! {
        <!DOCTYPE html>
        <html lang="pl">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.ico"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The router with the consultant part's pages and then `$manager`: what stands for the
/// manager part's pages in this build (see `bundle`).
macro_rules! app_routes {
    ($($manager:tt)*) => {
        view! {
            <Router>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=ConsultantHome ssr=SsrMode::Async/>
                    <Route path=path!("/kontakty") view=ContactListPage ssr=SsrMode::Async/>
                    <Route path=path!("/kontakty/nowy") view=ContactNewPage ssr=SsrMode::Async/>
                    <Route path=path!("/kontakty/:id") view=ContactCardPage ssr=SsrMode::Async/>
                    <Route path=path!("/sprawy/nowa") view=CaseNewPage ssr=SsrMode::Async/>
                    <Route path=path!("/sprawy/:id") view=CaseCardPage ssr=SsrMode::Async/>
                    <Route path=path!("/logowanie") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/wycofanie-zgody/:token") view=crate::consents::WithdrawalPage ssr=SsrMode::Async/>
                    <Route path=path!("/zmiana-hasla") view=PasswordChangePage ssr=SsrMode::Async/>
                    $($manager)*
                </Routes>
            </Router>
        }
    };
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_i18n();
    let lang = use_lang();
    // Every page waits for its data on the server, so it is complete without JavaScript.
    view! {
        <Html attr:lang=move || lang.get().code()/>
        <Stylesheet id="leptos" href="/pkg/zgoda.css"/>
        <Title text="Zgoda"/>
        {routes()}
    }
}

/// The server and the manager bundle: every page.
#[cfg(any(feature = "ssr", feature = "manager", not(feature = "hydrate")))]
fn routes() -> impl IntoView {
    use crate::audit::AuditPage;
    use crate::auth::{PolicyPage, UsersPage};
    use home::ManagerHome;
    app_routes! {
        <Route path=path!("/menedzer") view=ManagerHome ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/uzytkownicy") view=UsersPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/polityka-hasel") view=PolicyPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/integracje") view=crate::integrations::IntegrationsPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/zgody") view=crate::consents::DefinitionsPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/zrodla") view=crate::sources::SourcesPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/odbiorcy") view=crate::recipients::RecipientsPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/okresy-przechowywania") view=crate::retention::RetentionPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/raporty") view=crate::reports::ReportsPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/rejestr-czynnosci") view=crate::register::RegisterPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/udostepnienia") view=crate::recipients::DisclosuresPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/zapomnienie") view=crate::erasure::ErasureQueuePage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/audyt") view=AuditPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/zadania") view=crate::jobs::JobsPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/szukaj") view=crate::search::SearchContactsPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/import") view=crate::imports::ImportListPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/import/nowy") view=crate::imports::ImportWizardPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/import/:id") view=crate::imports::ImportReportPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/szukaj/eksport") view=crate::exports::ExportPage ssr=SsrMode::Async/>
        <Route path=path!("/menedzer/eksporty/:id") view=crate::exports::ExportJobPage ssr=SsrMode::Async/>
    }
}

/// The consultant bundle: the manager part's pages are loaded from the server.
#[cfg(all(feature = "hydrate", not(feature = "ssr"), not(feature = "manager")))]
fn routes() -> impl IntoView {
    use bundle::ManagerPartLoader;
    app_routes! {
        <Route path=path!("/menedzer") view=ManagerPartLoader/>
        <Route path=path!("/menedzer/*any") view=ManagerPartLoader/>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="auth-page">
            <section class="card">
                <h1>{t(Msg::NotFoundTitle)}</h1>
                <p><a href="/">{t(Msg::NotFoundBack)}</a></p>
            </section>
        </main>
    }
}
