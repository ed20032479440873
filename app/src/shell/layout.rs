use leptos::prelude::*;

use super::widgets::go_to;
use crate::auth::api::{current_user, Logout};
use crate::auth::{Role, SessionUser};
use crate::i18n::{t, LanguageSwitch, Msg};

/// The two parts of the spec: what consultants work in, and "część menedżerska".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Consultant,
    Manager,
}

struct NavItem {
    href: &'static str,
    label: Msg,
    roles: &'static [Role],
}

const CONSULTANT_NAV: &[NavItem] = &[
    NavItem {
        href: "/",
        label: Msg::NavStart,
        roles: crate::auth::access::EVERY_ROLE,
    },
    NavItem {
        href: "/kontakty",
        label: Msg::NavContacts,
        roles: crate::auth::access::EVERY_ROLE,
    },
];

const MANAGER_NAV: &[NavItem] = &[
    NavItem {
        href: "/menedzer",
        label: Msg::NavStart,
        roles: crate::auth::access::MANAGER_PART,
    },
    NavItem {
        href: "/menedzer/uzytkownicy",
        label: Msg::NavUsers,
        roles: crate::auth::access::ADMINISTRATOR,
    },
    NavItem {
        href: "/menedzer/polityka-hasel",
        label: Msg::NavPasswordPolicy,
        roles: crate::auth::access::ADMINISTRATOR,
    },
    NavItem {
        href: "/menedzer/integracje",
        label: Msg::NavIntegrations,
        roles: crate::auth::access::ADMINISTRATOR,
    },
    NavItem {
        href: "/menedzer/zgody",
        label: Msg::NavConsents,
        roles: crate::auth::access::MANAGER_PART,
    },
    NavItem {
        href: "/menedzer/zapomnienie",
        label: Msg::NavErasure,
        roles: crate::auth::access::MANAGER_PART,
    },
    NavItem {
        href: "/menedzer/okresy-przechowywania",
        label: Msg::NavRetention,
        roles: crate::auth::access::MANAGER_PART,
    },
    NavItem {
        href: "/menedzer/raporty",
        label: Msg::NavReports,
        roles: crate::auth::access::MANAGER_PART,
    },
    NavItem {
        href: "/menedzer/rejestr-czynnosci",
        label: Msg::NavRegister,
        roles: crate::auth::access::MANAGER_PART,
    },
    NavItem {
        href: "/menedzer/zrodla",
        label: Msg::NavSources,
        roles: crate::auth::access::MANAGER_PART,
    },
    NavItem {
        href: "/menedzer/odbiorcy",
        label: Msg::NavRecipients,
        roles: crate::auth::access::MANAGER_PART,
    },
    NavItem {
        href: "/menedzer/udostepnienia",
        label: Msg::NavDisclosures,
        roles: crate::auth::access::MANAGER_PART,
    },
    NavItem {
        href: "/menedzer/audyt",
        label: Msg::NavAudit,
        roles: crate::auth::access::MANAGER_PART,
    },
    NavItem {
        href: "/menedzer/zadania",
        label: Msg::NavJobs,
        roles: crate::auth::access::MANAGER_PART,
    },
];

/// The spec's section "Baza danych i przydzielanie": shown as a labelled group, so the
/// path "Baza danych i przydzielanie → Import z pliku" reads as the spec writes it.
const MANAGER_DATABASE: &[NavItem] = &[
    NavItem {
        href: "/menedzer/import",
        label: Msg::NavImport,
        roles: crate::auth::access::MANAGER_PART,
    },
    NavItem {
        href: "/menedzer/szukaj",
        label: Msg::NavSearch,
        roles: crate::auth::access::MANAGER_PART,
    },
];

/// The frame of every signed-in page: the part switch, the part's navigation, the user.
#[component]
pub fn Layout(part: Part, children: ChildrenFn) -> impl IntoView {
    let me = Resource::new(|| (), |_| current_user());
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => view! { <Frame part user>{children.read_value()()}</Frame> }.into_any(),
                    _ => view! { <SignedOut/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SignedOut() -> impl IntoView {
    view! {
        <main class="auth-page">
            <section class="card">
                <p>{t(Msg::ErrUnauthenticated)}</p>
                <p><a href="/logowanie">{t(Msg::LoginButton)}</a></p>
            </section>
        </main>
    }
}

#[component]
fn Frame(part: Part, user: SessionUser, children: Children) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            go_to("/logowanie");
        }
    });
    let role = user.role;
    // Components deeper in the page (the erasure menu) offer only what this user may do.
    provide_context(user.clone());
    let nav = match part {
        Part::Consultant => CONSULTANT_NAV,
        Part::Manager => MANAGER_NAV,
    };
    let links = nav
        .iter()
        .filter(|item| item.roles.contains(&role))
        .map(|item| view! { <a href=item.href>{t(item.label)}</a> })
        .collect_view();
    let database = (part == Part::Manager && role.sees_manager_part()).then(|| {
        let links = MANAGER_DATABASE
            .iter()
            .filter(|item| item.roles.contains(&role))
            .map(|item| view! { <a href=item.href>{t(item.label)}</a> })
            .collect_view();
        view! {
            <div class="nav-group" role="group" aria-labelledby="nav-group-database">
                <span class="nav-group-label" id="nav-group-database">{t(Msg::NavDatabaseGroup)}</span>
                {links}
            </div>
        }
    });
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Zgoda"</a>
            // Each part has its own browser bundle (shell::bundle): switching parts loads the
            // page from the server, which sends it with its part's bundle.
            <nav class="parts" aria-label="parts">
                <a href="/" rel=(part == Part::Manager).then_some("external") class:active=part == Part::Consultant>{t(Msg::PartConsultant)}</a>
                {role.sees_manager_part().then(|| view! {
                    <a href="/menedzer" rel=(part == Part::Consultant).then_some("external") class:active=part == Part::Manager>{t(Msg::PartManager)}</a>
                })}
            </nav>
            <div class="user">
                <span class="who" data-testid="current-user">{user.display_name.clone()}</span>
                <span class="role">{t(role.label())}</span>
                <a href="/zmiana-hasla">{t(Msg::ChangePasswordLink)}</a>
                <ActionForm action=logout attr:class="inline">
                    <button type="submit" class="link">{t(Msg::LogoutButton)}</button>
                </ActionForm>
                <LanguageSwitch/>
            </div>
        </header>
        <nav class="subnav" aria-label="section">{links}{database}</nav>
        <main class="content">{children()}</main>
    }
}
