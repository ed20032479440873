//! The managers' home: counters of what needs action, each linking to where it is done,
//! and the query that counts them.

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

/// The counters on the managers' home.
#[cfg(feature = "ssr")]
pub async fn counters(
    conn: &mut sqlx::AnyConnection,
    now: i64,
) -> Result<super::model::ManagerCounters, crate::store_error::StoreError> {
    use super::store::{count_when, HOUR_MS};
    use sqlx::Row;
    const WEEK_MS: i64 = 7 * 24 * HOUR_MS;
    let row = sqlx::query(&format!(
        "SELECT COUNT(*), {}, {} FROM erasure_requests x WHERE x.state = 'pending'",
        count_when(&format!(
            "COALESCE(x.extended_until, x.deadline_at) BETWEEN {now} AND {}",
            now + WEEK_MS
        )),
        count_when(&format!(
            "COALESCE(x.extended_until, x.deadline_at) < {now}"
        )),
    ))
    .fetch_one(&mut *conn)
    .await?;
    let exports_running: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM exports WHERE status IN ('queued', 'running')")
            .fetch_one(&mut *conn)
            .await?;
    let imports_with_rejects: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM imports WHERE status = 'done' AND rejected > 0 \
         AND confirmed_at IS NULL",
    )
    .fetch_one(&mut *conn)
    .await?;
    let access = sqlx::query(&format!(
        "SELECT COUNT(*), {} FROM access_requests x WHERE x.delivered_at IS NULL",
        count_when(&format!("x.deadline_at < {now}"))
    ))
    .fetch_one(&mut *conn)
    .await?;
    Ok(super::model::ManagerCounters {
        erasure_waiting: row.try_get(0)?,
        erasure_due_soon: row.try_get(1)?,
        erasure_overdue: row.try_get(2)?,
        exports_running,
        imports_with_rejects,
        access_waiting: access.try_get(0)?,
        access_overdue: access.try_get(1)?,
    })
}
