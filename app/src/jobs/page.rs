//! "Zadania w tle": what the nodes are doing, what waits, and what failed with its
//! reason; a failed job can be queued again. Filters by state; refreshes itself every
//! few seconds while something runs, so a tablet left on it stays current.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{jobs_list, JobRetry};
use super::model::{JobRow, JobStatus};
use crate::i18n::{t, Msg};
use crate::shell::widgets::ErrorBanner;
use crate::shell::{Layout, Part};
use crate::time_fmt::format_utc;

#[component]
pub fn JobsPage() -> impl IntoView {
    let query = use_query_map();
    let status = move || query.read().get("stan").filter(|s| !s.is_empty());
    let retry = ServerAction::<JobRetry>::new();
    let tick = RwSignal::new(0u32);
    let jobs = Resource::new(
        move || (status(), retry.version().get(), tick.get()),
        |(status, _, _)| jobs_list(status),
    );
    // While something runs, ask again every five seconds (in the browser).
    Effect::new(move |_| {
        if let Some(Ok(view)) = jobs.get() {
            // The standing jobs always wait: only work in progress is worth following.
            if view.counts.running > 0 {
                #[cfg(not(feature = "ssr"))]
                leptos::task::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(5000).await;
                    tick.update(|n| *n = n.wrapping_add(1));
                });
            }
        }
    });
    let retried = Signal::derive(move || retry.value().get());
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::JobsTitle)}</h1>
            <p class="hint">{t(Msg::JobsIntro)}</p>
            <ErrorBanner result=retried/>
            <nav class="filters" aria-label=move || t(Msg::JobsFilter)()>
                <a href="/menedzer/zadania" aria-current=move || status().is_none().then_some("page")>{t(Msg::JobsAll)}</a>
                {JobStatus::ALL.into_iter().map(|s| view! {
                    <a href=format!("/menedzer/zadania?stan={}", s.as_str())
                        aria-current=move || (status().as_deref() == Some(s.as_str())).then_some("page")>
                        {t(s.label())}
                    </a>
                }).collect_view()}
            </nav>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let view = match jobs.await {
                        Ok(view) => view,
                        Err(e) => return view! { <p class="error" role="alert">{e.message(crate::i18n::use_lang().get_untracked())}</p> }.into_any(),
                    };
                    let counts = view.counts.clone();
                    view! {
                        <p data-testid="job-counts">
                            {t(Msg::JobStatusRunning)} ": " {counts.running} " · "
                            {t(Msg::JobStatusWaiting)} ": " {counts.waiting} " · "
                            {t(Msg::JobStatusFailed)} ": " {counts.failed}
                        </p>
                        {if view.jobs.is_empty() {
                            view! { <p>{t(Msg::JobsNone)}</p> }.into_any()
                        } else {
                            view! { <JobTable rows=view.jobs retry/> }.into_any()
                        }}
                    }.into_any()
                })}
            </Transition>
        </Layout>
    }
}

#[component]
fn JobTable(rows: Vec<JobRow>, retry: ServerAction<JobRetry>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="list" data-testid="jobs">
                <thead><tr>
                    <th>{t(Msg::JobColKind)}</th>
                    <th>{t(Msg::StatusLabel)}</th>
                    <th>{t(Msg::JobColAttempts)}</th>
                    <th>{t(Msg::JobColWhen)}</th>
                    <th>{t(Msg::JobColNode)}</th>
                    <th>{t(Msg::JobColError)}</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|job| {
                        let kind = job.kind.label();
                        let what = match job.kind.href(job.subject) {
                            Some(href) => view! { <a href=href>{t(kind)} {job.subject.map(|s| format!(" #{s}"))}</a> }.into_any(),
                            None => view! { <span>{t(kind)}</span> }.into_any(),
                        };
                        let when = job.when();
                        let failed = job.status == JobStatus::Failed && job.kind.retryable();
                        view! {
                            <tr data-testid="job-row" data-status=job.status.as_str()>
                                <td>{what}</td>
                                <td>{t(job.status.label())}</td>
                                <td>{format!("{} / {}", job.attempts, job.max_attempts)}</td>
                                <td>{format_utc(when)}</td>
                                <td><code>{job.node.clone().unwrap_or_default()}</code></td>
                                <td>{job.error.map(t)}</td>
                                <td class="actions">
                                    {failed.then(|| view! {
                                        <ActionForm action=retry attr:class="inline">
                                            <input type="hidden" name="id" value=job.id/>
                                            <button type="submit" class="small">{t(Msg::JobRetry)}</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
