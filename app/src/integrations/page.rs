//! "Integracje": administrators create API tokens for dialers, CRMs and web forms, see
//! when each was last used, and revoke them.

use leptos::prelude::*;

use super::api::{api_tokens_list, ApiTokenCreate, ApiTokenRevoke};
use super::model::{IssuedToken, TokenState, DEFAULT_RATE_PER_SEC};
use crate::auth::Role;
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{ErrorBanner, FieldMessage};
use crate::shell::{Layout, Part};
use crate::time_fmt::format_utc;

#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let create = ServerAction::<ApiTokenCreate>::new();
    let revoke = ServerAction::<ApiTokenRevoke>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| api_tokens_list(),
    );
    let created = Signal::derive(move || create.value().get());
    let revoked = Signal::derive(move || revoke.value().get());
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::IntegrationsTitle)}</h1>
            <p class="hint">{t(Msg::IntegrationsIntro)}</p>
            {move || created.get().and_then(Result::ok).map(|issued| view! { <Issued issued/> })}
            <ErrorBanner result=revoked/>
            <section class="card">
                <h2>{t(Msg::TokenAdd)}</h2>
                <ActionForm action=create attr:class="row-form">
                    <label>{t(Msg::TokenName)}<input name="name" autocomplete="off" required/></label>
                    <label>{t(Msg::RoleLabel)}
                        <select name="role">
                            {Role::ALL.iter().copied().map(|r| view! {
                                <option value=r.as_str() selected=r == Role::Consultant>{t(r.label())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>{t(Msg::TokenEndpoints)}<input name="endpoints" autocomplete="off"/></label>
                    <label>{t(Msg::TokenAddresses)}<input name="allowed_addresses" autocomplete="off" inputmode="decimal"/></label>
                    <label>{t(Msg::TokenValidDays)}<input name="valid_days" inputmode="numeric" autocomplete="off"/></label>
                    <label>{t(Msg::TokenRate)}
                        <input name="rate_per_sec" inputmode="numeric" autocomplete="off" placeholder=DEFAULT_RATE_PER_SEC.to_string()/>
                    </label>
                    <button type="submit" class="primary">{t(Msg::TokenCreate)}</button>
                </ActionForm>
                {["name", "role", "endpoints", "allowed_addresses", "valid_days", "rate_per_sec"]
                    .into_iter()
                    .map(|field| view! { <FieldMessage result=created field=field/> })
                    .collect_view()}
            </section>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = tokens.await.unwrap_or_default();
                    if list.is_empty() {
                        return view! { <p>{t(Msg::TokensNone)}</p> }.into_any();
                    }
                    view! {
                        <div class="table-wrap">
                            <table class="list" data-testid="tokens">
                                <thead><tr>
                                    <th>{t(Msg::TokenName)}</th>
                                    <th>{t(Msg::TokenPrefix)}</th>
                                    <th>{t(Msg::RoleLabel)}</th>
                                    <th>{t(Msg::TokenScope)}</th>
                                    <th>{t(Msg::TokenExpires)}</th>
                                    <th>{t(Msg::TokenLastUsed)}</th>
                                    <th>{t(Msg::StatusLabel)}</th>
                                    <th></th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|row| {
                                        let scope = if row.endpoints.is_empty() {
                                            t(Msg::TokenScopeRole)().to_string()
                                        } else {
                                            row.endpoints.join(", ")
                                        };
                                        let addresses = row.allowed_addresses.join(", ");
                                        view! {
                                            <tr data-token=row.prefix.clone()>
                                                <td>{row.name.clone()}</td>
                                                <td><code>{format!("{}…", row.prefix)}</code></td>
                                                <td>{t(row.role.label())}</td>
                                                <td>{scope}{(!addresses.is_empty()).then(|| view! { <br/><small>{addresses}</small> })}</td>
                                                <td>{row.expires_at.map(format_utc).unwrap_or_else(|| t(Msg::TokenNoExpiry)().to_string())}</td>
                                                <td>{match (row.last_used_at, row.last_used_from.clone()) {
                                                    (Some(at), Some(from)) => format!("{} ({from})", format_utc(at)),
                                                    (Some(at), None) => format_utc(at),
                                                    _ => t(Msg::TokenNeverUsed)().to_string(),
                                                }}</td>
                                                <td>{t(row.state.label())}</td>
                                                <td class="actions">
                                                    {(row.state != TokenState::Revoked).then(|| view! {
                                                        <ActionForm action=revoke attr:class="inline">
                                                            <input type="hidden" name="id" value=row.id/>
                                                            <button type="submit" class="small danger">{t(Msg::TokenRevoke)}</button>
                                                        </ActionForm>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                })}
            </Suspense>
            <crate::webhooks::WebhooksSection/>
        </Layout>
    }
}

#[component]
fn Issued(issued: IssuedToken) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="notice" role="status" data-testid="issued-token">
            <p>{move || Msg::TokenIssued.text(lang.get())} " " <strong>{issued.name.clone()}</strong></p>
            <p><code class="secret">{issued.token.clone()}</code></p>
        </div>
    }
}
