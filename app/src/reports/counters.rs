//! The managers' home: counters of what needs action, each linking to where it is done.

use leptos::prelude::*;

use super::api::manager_counters;
use crate::i18n::{t, Msg};

#[component]
pub fn ManagerCountersCard() -> impl IntoView {
    let counters = Resource::new(|| (), |_| manager_counters());
    let tile = |value: i64, label: Msg, href: &'static str, testid: &'static str, urgent: bool| {
        let urgent = urgent && value > 0;
        view! {
            <li class:urgent=urgent>
                <a href=href data-testid=testid>
                    <strong class="count">{value}</strong>
                    <span>{t(label)}</span>
                </a>
            </li>
        }
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                counters.await.ok().map(|c| view! {
                    <section class="card">
                        <h2>{t(Msg::CountersTitle)}</h2>
                        <ul class="counters">
                            {tile(c.erasure_waiting, Msg::CountersErasureWaiting, "/menedzer/zapomnienie", "counter-erasure-waiting", false)}
                            {tile(c.erasure_due_soon, Msg::CountersErasureDueSoon, "/menedzer/zapomnienie", "counter-erasure-due-soon", true)}
                            {tile(c.erasure_overdue, Msg::CountersErasureOverdue, "/menedzer/zapomnienie", "counter-erasure-overdue", true)}
                            {tile(c.exports_running, Msg::CountersExportsRunning, "/menedzer/udostepnienia", "counter-exports-running", false)}
                            {tile(c.imports_with_rejects, Msg::CountersImportsRejected, "/menedzer/import", "counter-imports-rejected", true)}
                            {tile(c.access_waiting, Msg::CountersAccessWaiting, "/menedzer/raporty?zbior=kontakty", "counter-access-waiting", false)}
                            {tile(c.access_overdue, Msg::CountersAccessOverdue, "/menedzer/raporty?zbior=kontakty", "counter-access-overdue", true)}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
    }
}
