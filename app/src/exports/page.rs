//! The export page (`/menedzer/szukaj/eksport?<filter>`): how many contacts the filter
//! finds, the columns, format, code page and delimiter, the purpose, and the override
//! for restricted contacts; "Eksportuj" posts a plain form (no JavaScript needed) and the
//! download starts. And a background export's page (`/menedzer/eksporty/{id}`): its
//! progress bar, then the download link.

use crate::ids::ExportId;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

use super::api::{export_preview, export_status};
use super::model::{
    file_href, CsvEncoding, Delimiter, ExportFormat, JobStatus, DEFAULT_COLUMNS, ERROR_KEY,
    EXPORT_ROUTE, PLAIN_COLUMNS,
};
use crate::i18n::{t, use_lang, Msg};
use crate::shell::{Layout, Part};
use crate::time_fmt::format_utc;

/// The page's query without our own error key: the filter as the search wrote it.
fn split_query(raw: &str) -> (String, Option<Msg>) {
    let mut error = None;
    let kept: Vec<&str> = raw
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| match pair.strip_prefix(ERROR_KEY) {
            Some(rest) if rest.starts_with('=') => {
                error = Msg::from_key(&rest[1..]);
                false
            }
            _ => true,
        })
        .collect();
    (kept.join("&"), error)
}

#[component]
pub fn ExportPage() -> impl IntoView {
    let location = use_location();
    let query = Memo::new(move |_| split_query(&location.search.get()));
    let preview = Resource::new(move || query.get().0, export_preview);
    let lang = use_lang();
    view! {
        <Layout part=Part::Manager>
            <p class="muted"><a href=move || format!("/menedzer/szukaj?{}", query.get().0)>{t(Msg::ExportBackToSearch)}</a></p>
            <h1>{t(Msg::ExportTitle)}</h1>
            {move || query.get().1.map(|msg| view! {
                <p class="error" role="alert" data-testid="export-error">{move || msg.text(lang.get())}</p>
            })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let filter = query.get_untracked().0;
                    match preview.await {
                        Err(e) => view! { <p class="error" role="alert">{e.message(lang.get_untracked())}</p> }.into_any(),
                        Ok(p) => view! { <ExportForm filter preview=p/> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn ExportForm(filter: String, preview: super::model::ExportSummary) -> impl IntoView {
    let shown_filter = if filter.is_empty() {
        t(Msg::ExportNoFilter).into_any()
    } else {
        view! { <code>{filter.clone()}</code> }.into_any()
    };
    view! {
        <section class="card export-summary">
            <dl class="facts">
                <dt>{t(Msg::ExportFilterLabel)}</dt><dd>{shown_filter}</dd>
                <dt>{t(Msg::ExportMatching)}</dt><dd data-testid="export-count">{preview.matching}</dd>
                <dt>{t(Msg::ExportHeldBack)}</dt><dd data-testid="export-held-back">{preview.held_back}</dd>
            </dl>
            <p class="muted">{t(Msg::ExportPurposeHint)}</p>
            <p class="muted">{t(Msg::ExportBackgroundNote)} " (> " {preview.background_over} ")"</p>
        </section>
        <form method="post" action=EXPORT_ROUTE class="card export-form" data-testid="export-form">
            <input type="hidden" name="filter" value=filter/>
            <fieldset>
                <legend>{t(Msg::ExportColumns)}</legend>
                <div class="row-form export-columns">
                    {PLAIN_COLUMNS.iter().map(|(key, label)| view! {
                        <label class="choice"><input type="checkbox" name="col" value=*key checked=DEFAULT_COLUMNS.contains(key)/>{t(*label)}</label>
                    }).collect_view()}
                </div>
                {(!preview.definitions.is_empty()).then(|| view! {
                    <p class="muted">{t(Msg::ExportConsentColumns)}</p>
                    <div class="row-form export-columns">
                        {preview.definitions.iter().map(|(id, name)| view! {
                            <label class="choice"><input type="checkbox" name="col" value=format!("consent:{id}")/>{name.clone()}</label>
                        }).collect_view()}
                    </div>
                })}
            </fieldset>
            <div class="grid">
                <fieldset>
                    <legend>{t(Msg::ExportFormatLabel)}</legend>
                    {ExportFormat::ALL.iter().map(|f| view! {
                        <label class="choice"><input type="radio" name="format" value=f.as_str() checked=*f == ExportFormat::Csv/>{t(f.label())}</label>
                    }).collect_view()}
                </fieldset>
                <label>{t(Msg::ExportEncodingLabel)}
                    <select name="encoding">
                        {CsvEncoding::ALL.iter().map(|e| view! { <option value=e.as_str()>{t(e.label())}</option> }).collect_view()}
                    </select>
                </label>
                <label>{t(Msg::ExportDelimiterLabel)}
                    <select name="delimiter">
                        {Delimiter::ALL.iter().map(|d| view! { <option value=d.as_str()>{t(d.label())}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <label>{t(Msg::ExportPurpose)}
                <input name="purpose" required maxlength="500" autocomplete="off" data-testid="export-purpose"/>
            </label>
            <fieldset>
                <label class="choice"><input type="checkbox" name="override" value="on"/>{t(Msg::ExportOverride)}</label>
                <label>{t(Msg::ExportOverrideReason)}<input name="reason" maxlength="500" autocomplete="off"/></label>
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="primary" data-testid="export-submit">{t(Msg::ExportButton)}</button>
            </div>
        </form>
    }
}

fn running(status: JobStatus) -> bool {
    matches!(status, JobStatus::Queued | JobStatus::Running)
}

#[component]
pub fn ExportJobPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<ExportId>().ok())
            .unwrap_or_default()
    };
    let tick = RwSignal::new(0u32);
    let status = Resource::new(move || (id(), tick.get()), |(id, _)| export_status(id));
    // While the export runs the page asks again every second.
    Effect::new(move |_| {
        if let Some(Ok(job)) = status.get() {
            if running(job.status) {
                #[cfg(not(feature = "ssr"))]
                leptos::task::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(1000).await;
                    tick.update(|n| *n += 1);
                });
            }
        }
    });
    let lang = use_lang();
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::ExportJobTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match status.await {
                        Err(e) => view! { <p class="error" role="alert">{e.message(lang.get_untracked())}</p> }.into_any(),
                        Ok(job) => view! {
                            <section class="card" data-testid="export-job">
                                <p>{t(Msg::ExportPurpose)} ": " {job.purpose.clone()}</p>
                                <p data-testid="export-job-status">{t(Msg::ImportColStatus)} ": " {t(job.status.label())}</p>
                                <div class="progress">
                                    <progress max=job.row_count.max(1) value=job.rows_done aria-label=move || Msg::ExportJobProgress.text(lang.get())></progress>
                                    <span>{t(Msg::ExportJobRows)} ": " {job.rows_done} " / " {job.row_count}</span>
                                </div>
                                {match (job.status, job.purged) {
                                    (_, true) => view! { <p class="muted">{t(Msg::ExportJobPurged)}</p> }.into_any(),
                                    (JobStatus::Done, false) => view! {
                                        <p>
                                            <a class="button primary" href=file_href(job.id) download=job.file_name.clone() data-testid="export-download">{t(Msg::ExportDownload)}</a>
                                            " " <span class="muted">{t(Msg::ExportJobExpires)} " " {format_utc(job.expires_at)}</span>
                                        </p>
                                    }.into_any(),
                                    _ => ().into_any(),
                                }}
                            </section>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_key_is_taken_out_of_the_filter() {
        assert_eq!(
            split_query("?stan=active&blad_eksportu=ErrExportPurpose&miasto=x"),
            (
                "stan=active&miasto=x".to_string(),
                Some(Msg::ErrExportPurpose)
            )
        );
        assert_eq!(split_query(""), (String::new(), None));
        assert_eq!(split_query("blad_eksportu=Nonsense"), (String::new(), None));
    }
}
