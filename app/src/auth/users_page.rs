use leptos::prelude::*;

use super::admin::{
    users_list, IssuedPassword, UsersCreate, UsersResetPassword, UsersSetDisabled, UsersSetRole,
};
use super::Role;
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{ErrorBanner, FieldMessage};
use crate::shell::{Layout, Part};
use crate::time_fmt::format_utc;

/// "Użytkownicy": administrators create users, change roles, disable and reset.
#[component]
pub fn UsersPage() -> impl IntoView {
    let create = ServerAction::<UsersCreate>::new();
    let set_role = ServerAction::<UsersSetRole>::new();
    let set_disabled = ServerAction::<UsersSetDisabled>::new();
    let reset = ServerAction::<UsersResetPassword>::new();
    let users = Resource::new(
        move || {
            (
                create.version().get(),
                set_role.version().get(),
                set_disabled.version().get(),
                reset.version().get(),
            )
        },
        |_| users_list(),
    );
    let created = Signal::derive(move || create.value().get());
    let role_result = Signal::derive(move || set_role.value().get());
    let disabled_result = Signal::derive(move || set_disabled.value().get());
    let issued = Signal::derive(move || {
        let from_create = create.value().get().and_then(Result::ok);
        let from_reset = reset.value().get().and_then(Result::ok);
        from_reset.or(from_create)
    });
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::UsersTitle)}</h1>
            {move || issued.get().map(|p| view! { <IssuedNotice issued=p/> })}
            <ErrorBanner result=role_result/>
            <ErrorBanner result=disabled_result/>
            <section class="card">
                <h2>{t(Msg::UsersAdd)}</h2>
                <ActionForm action=create attr:class="row-form">
                    <label>{t(Msg::LoginLabel)}<input name="login" autocomplete="off"/></label>
                    <label>{t(Msg::DisplayNameLabel)}<input name="display_name" autocomplete="off"/></label>
                    <label>{t(Msg::RoleLabel)}<RoleSelect selected=Role::Consultant/></label>
                    <button type="submit" class="primary">{t(Msg::UsersAddButton)}</button>
                </ActionForm>
                <FieldMessage result=created field="login"/>
                <FieldMessage result=created field="display_name"/>
                <ErrorBanner result=created/>
            </section>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = users.await.unwrap_or_default();
                    view! {
                        <div class="table-wrap">
                            <table class="list" data-testid="users">
                                <thead><tr>
                                    <th>{t(Msg::LoginLabel)}</th>
                                    <th>{t(Msg::DisplayNameLabel)}</th>
                                    <th>{t(Msg::RoleLabel)}</th>
                                    <th>{t(Msg::PasswordChangedAt)}</th>
                                    <th>{t(Msg::StatusLabel)}</th>
                                    <th></th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|u| view! {
                                        <tr data-login=u.login.clone()>
                                            <td>{u.login.clone()}</td>
                                            <td>{u.display_name.clone()}</td>
                                            <td>
                                                <ActionForm action=set_role attr:class="inline">
                                                    <input type="hidden" name="user_id" value=u.id/>
                                                    <RoleSelect selected=u.role/>
                                                    <button type="submit" class="small">{t(Msg::SaveButton)}</button>
                                                </ActionForm>
                                            </td>
                                            <td>{format_utc(u.password_changed_at)}</td>
                                            <td>{if u.disabled { t(Msg::UserDisabled)() } else { t(Msg::UserActive)() }}</td>
                                            <td class="actions">
                                                <ActionForm action=set_disabled attr:class="inline">
                                                    <input type="hidden" name="user_id" value=u.id/>
                                                    <input type="hidden" name="disabled" value=(!u.disabled).to_string()/>
                                                    <button type="submit" class="small">
                                                        {if u.disabled { t(Msg::UserEnable)() } else { t(Msg::UserDisable)() }}
                                                    </button>
                                                </ActionForm>
                                                <ActionForm action=reset attr:class="inline">
                                                    <input type="hidden" name="user_id" value=u.id/>
                                                    <button type="submit" class="small">{t(Msg::UserResetPassword)}</button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn RoleSelect(selected: Role) -> impl IntoView {
    view! {
        <select name="role">
            {Role::ALL.iter().copied().map(|r| view! {
                <option value=r.as_str() selected=r == selected>{t(r.label())}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
fn IssuedNotice(issued: IssuedPassword) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="notice" data-testid="issued-password">
            {move || Msg::IssuedPasswordIntro.text(lang.get())}
            " " <strong>{issued.login.clone()}</strong> ": "
            <code>{issued.password.clone()}</code>
        </p>
    }
}
