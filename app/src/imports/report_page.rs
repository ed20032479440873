//! "Import z pliku": past imports with their reports, and one import's page: its
//! progress while it runs (rows per second, time left; it survives a reload, the work is
//! on the server), then its report with the rejected rows, "OK" and "Edycja".

use crate::ids::ImportId;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{import_confirm, import_describe, import_list, import_status};
use super::model::{ImportStatus, ImportView, REPORT_REJECTIONS};
use crate::error::AppError;
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{ErrorBanner, FieldMessage};
use crate::shell::{Layout, Part};
use crate::time_fmt::format_utc;

#[component]
pub fn ImportListPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| import_list());
    view! {
        <Layout part=Part::Manager>
            <p class="muted">{t(Msg::ImportSection)}</p>
            <div class="card-head">
                <h1>{t(Msg::ImportListTitle)}</h1>
                <a class="button primary" href="/menedzer/import/nowy" data-testid="import-new">{t(Msg::ImportRecordsButton)}</a>
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let items = list.await.unwrap_or_default();
                    if items.is_empty() {
                        return view! { <p>{t(Msg::ImportNone)}</p> }.into_any();
                    }
                    view! {
                        <div class="table-wrap">
                            <table class="list" data-testid="import-list">
                                <thead><tr>
                                    <th>{t(Msg::ImportNameLabel)}</th>
                                    <th>{t(Msg::ImportFileNameLabel)}</th>
                                    <th>{t(Msg::ImportSourceLabel)}</th>
                                    <th>{t(Msg::ImportColStatus)}</th>
                                    <th>{t(Msg::ImportAdded)}</th>
                                    <th>{t(Msg::ImportRejected)}</th>
                                    <th>{t(Msg::ImportColWhen)}</th>
                                    <th>{t(Msg::ImportColWho)}</th>
                                    <th></th>
                                </tr></thead>
                                <tbody>
                                    {items.into_iter().map(|i| view! {
                                        <tr data-testid="import-row">
                                            <td>{i.name.clone()}<br/><span class="muted">{i.description.clone()}</span></td>
                                            <td>{i.file_name.clone()}</td>
                                            <td>{i.source.clone()}</td>
                                            <td>{t(i.status.label())}</td>
                                            <td>{i.counters.added}</td>
                                            <td>{i.counters.rejected}</td>
                                            <td>{format_utc(i.created_at)}</td>
                                            <td>{i.created_by.clone()}</td>
                                            <td><a href=format!("/menedzer/import/{}", i.id)>{t(Msg::ImportShowReport)}</a></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                })}
            </Suspense>
        </Layout>
    }
}

fn running(status: ImportStatus) -> bool {
    matches!(status, ImportStatus::Queued | ImportStatus::Running)
}

#[component]
pub fn ImportReportPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<ImportId>().ok())
            .unwrap_or_default()
    };
    let tick = RwSignal::new(0u32);
    let confirm = Action::new(move |_: &()| {
        let id = id();
        async move { import_confirm(id).await }
    });
    let describe = Action::new(move |text: &String| {
        let (id, text) = (id(), text.clone());
        async move { import_describe(id, text).await }
    });
    let status = Resource::new(
        move || {
            (
                id(),
                tick.get(),
                confirm.version().get(),
                describe.version().get(),
            )
        },
        |(id, _, _, _)| import_status(id),
    );
    // While the import runs the page asks again every second.
    Effect::new(move |_| {
        if let Some(Ok(view)) = status.get() {
            if running(view.status) {
                #[cfg(not(feature = "ssr"))]
                leptos::task::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(1000).await;
                    tick.update(|n| *n += 1);
                });
            }
        }
    });
    let confirmed = Signal::derive(move || confirm.value().get());
    let described = Signal::derive(move || describe.value().get());
    view! {
        <Layout part=Part::Manager>
            <p class="muted">{t(Msg::ImportSection)} " → " <a href="/menedzer/import">{t(Msg::ImportListTitle)}</a></p>
            <ErrorBanner result=confirmed/>
            <ErrorBanner result=described/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(view) => view! { <ImportView view confirm describe described/> }.into_any(),
                        Err(e) => view! { <ErrorOnly error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn ErrorOnly(error: AppError) -> impl IntoView {
    let lang = use_lang();
    view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }
}

#[component]
fn ImportView(
    view: ImportView,
    confirm: Action<(), Result<(), AppError>>,
    describe: Action<String, Result<(), AppError>>,
    described: Signal<Option<Result<(), AppError>>>,
) -> impl IntoView {
    let v = view;
    let editing = RwSignal::new(false);
    let text = RwSignal::new(v.description.clone());
    let c = v.counters.clone();
    let percent = if v.bytes_total > 0 {
        (v.bytes_done * 100 / v.bytes_total).clamp(0, 100)
    } else {
        0
    };
    let is_running = running(v.status);
    let left = v.seconds_left.map(|s| format!("{}:{:02}", s / 60, s % 60));
    let failure = v.failure;
    let lang = use_lang();
    let rows = [
        (Msg::ImportRowsRead, c.rows_read, "rows_read"),
        (Msg::ImportAdded, c.added, "added"),
        (Msg::ImportUpdated, c.updated, "updated"),
        (Msg::ImportDuplicates, c.duplicates, "duplicates"),
        (Msg::ImportErasedSkipped, c.erased_skipped, "erased_skipped"),
        (Msg::ImportRejected, c.rejected, "rejected"),
        (
            Msg::ImportPhonesRepaired,
            c.phones_repaired,
            "phones_repaired",
        ),
        (Msg::ImportPhonesFlagged, c.phones_flagged, "phones_flagged"),
        (Msg::ImportConsentsGiven, c.consents, "consents"),
    ];
    let more = c.rejected > REPORT_REJECTIONS as i64;
    view! {
        <h1>{if is_running { t(Msg::ImportProgressTitle)() } else { t(Msg::ImportReportTitle)() }} ": " {v.name.clone()}</h1>
        <section class="card" data-testid="import-report" data-status=v.status.as_str()>
            <p class="muted">{v.file_name.clone()} " · " {v.source.clone()} " · " {v.created_by.clone()} " · " {format_utc(v.created_at)}
                " · " <strong>{t(v.status.label())}</strong></p>
            {is_running.then(|| view! {
                <div class="progress" data-testid="import-progress">
                    <progress max="100" value=percent>{percent} "%"</progress>
                    <span>{percent} "% · " {v.rows_per_second} " " {t(Msg::ImportRowsPerSecond)}
                        {left.map(|l| view! { " · " {t(Msg::ImportTimeLeft)} " " {l} })}</span>
                </div>
            })}
            {failure.map(|f| view! { <p class="error" role="alert">{move || f.text(lang.get())}</p> })}
            <table class="list counters">
                <tbody>
                    {rows.into_iter().map(|(label, n, key)| view! {
                        <tr><th>{t(label)}</th><td data-testid=format!("count-{key}")>{n}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="field">
                <p><strong>{t(Msg::ImportDescriptionLabel)}": "</strong> <span data-testid="import-description">{v.description.clone()}</span></p>
                <Show when=move || editing.get()>
                    <textarea rows="3" data-testid="import-description-edit" prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <FieldMessage result=described field="description"/>
                    <button type="button" class="primary small" data-testid="import-description-save"
                        on:click=move |_| { describe.dispatch(text.get_untracked()); editing.set(false); }>{t(Msg::SaveButton)}</button>
                </Show>
            </div>
            <div class="form-actions">
                {(!is_running && !v.confirmed).then(|| view! {
                    <button type="button" class="primary" data-testid="import-ok" on:click=move |_| { confirm.dispatch(()); }>{t(Msg::ImportOkButton)}</button>
                })}
                {v.confirmed.then(|| view! { <span class="notice" role="status" data-testid="import-confirmed">{t(Msg::ImportConfirmed)}</span> })}
                <button type="button" data-testid="import-edit" on:click=move |_| editing.update(|e| *e = !*e)>{t(Msg::ImportEditButton)}</button>
                {v.rejects_available.then(|| view! {
                    <a class="button" data-testid="import-download" href=super::model::rejects_href(v.id) download>{t(Msg::ImportDownloadRejected)}</a>
                })}
            </div>
        </section>
        {(!v.rejections.is_empty()).then(|| view! {
            <section class="card">
                <h2>{t(Msg::ImportRejected)}</h2>
                {more.then(|| view! { <p class="muted">{t(Msg::ImportMoreRejections)}</p> })}
                <div class="table-wrap">
                    <table class="list" data-testid="import-rejections">
                        <thead><tr>
                            <th>{t(Msg::ImportRowHeader)}</th>
                            <th>{t(Msg::ImportColumnHeader)}</th>
                            <th>{t(Msg::ImportReasonHeader)}</th>
                        </tr></thead>
                        <tbody>
                            {v.rejections.iter().map(|r| { let reason = r.reason; view! {
                                <tr><td>{r.row}</td><td>{r.column.clone()}</td><td>{t(reason)}</td></tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        })}
    }
}
