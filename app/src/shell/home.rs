use leptos::prelude::*;

use super::{Layout, Part};
use crate::auth::api::current_user;
use crate::i18n::{t, use_lang, Msg};
use crate::system::system_info;
use crate::time_fmt::format_utc;

#[component]
pub fn ConsultantHome() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_user());
    let lang = use_lang();
    view! {
        <Layout part=Part::Consultant>
            <h1>{t(Msg::ConsultantHomeTitle)}</h1>
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
