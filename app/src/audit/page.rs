use leptos::prelude::*;

use super::{audit_list, AuditEntry, PAGE_SIZE};
use crate::i18n::{t, Msg};
use crate::shell::{Layout, Part};
use crate::time_fmt::format_utc;

/// "Dziennik audytu": newest first, a page at a time.
#[component]
pub fn AuditPage() -> impl IntoView {
    let before = RwSignal::new(None::<i64>);
    let entries = Resource::new(move || before.get(), audit_list);
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::AuditTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let rows = entries.await.unwrap_or_default();
                    let oldest = rows.last().map(|r| r.id);
                    let full_page = rows.len() as i64 == PAGE_SIZE;
                    view! {
                        <div class="table-wrap">
                            <table class="list" data-testid="audit">
                                <thead><tr>
                                    <th>"#"</th>
                                    <th>{t(Msg::AuditWhen)}</th>
                                    <th>{t(Msg::AuditWho)}</th>
                                    <th>{t(Msg::AuditWhat)}</th>
                                    <th>{t(Msg::AuditSubject)}</th>
                                    <th>{t(Msg::AuditFrom)}</th>
                                    <th>{t(Msg::AuditOutcome)}</th>
                                </tr></thead>
                                <tbody>{rows.into_iter().map(audit_row).collect_view()}</tbody>
                            </table>
                        </div>
                        {(full_page).then(|| view! {
                            <button class="small" on:click=move |_| before.set(oldest)>{t(Msg::OlderEntries)}</button>
                        })}
                    }
                })}
            </Suspense>
        </Layout>
    }
}

fn audit_row(e: AuditEntry) -> impl IntoView {
    let dash = || "—".to_string();
    view! {
        <tr>
            <td>{e.id}</td>
            <td>{format_utc(e.at)}</td>
            <td>{e.actor_login.unwrap_or_else(dash)}</td>
            <td><code>{e.action}</code></td>
            <td>{e.subject.unwrap_or_else(dash)}</td>
            <td>{e.source.unwrap_or_else(dash)}</td>
            <td class=format!("outcome {}", e.outcome)>{e.outcome.clone()}</td>
        </tr>
    }
}
