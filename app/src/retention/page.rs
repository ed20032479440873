//! "Okresy przechowywania" in the manager part: the rules, a preview of what the daily
//! job would do now, running it at once, and the report of past runs.

use crate::ids::RetentionRuleId;
use leptos::prelude::*;

use super::api::{
    retention_preview, retention_rules, retention_runs, RetentionRuleSave, RetentionRunNow,
};
use super::model::{Preview, RetentionOutcome, RetentionRule, RetentionScope, Run};
use crate::consents::api::consent_definitions;
use crate::error::AppError;
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{remember_sender, reset_after_create, ErrorBanner, FieldMessage};
use crate::shell::{Layout, Part};
use crate::sources::api::data_sources;
use crate::time_fmt::format_utc;

/// What a rule's form can point at: consent definitions and data sources, by id and name.
#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
struct Targets {
    definitions: Vec<(i64, String)>,
    sources: Vec<(i64, String)>,
}

#[component]
pub fn RetentionPage() -> impl IntoView {
    let save = ServerAction::<RetentionRuleSave>::new();
    let run_now = ServerAction::<RetentionRunNow>::new();
    let rules = Resource::new(move || save.version().get(), |_| retention_rules());
    let targets = Resource::new(
        || (),
        |_| async {
            let definitions = consent_definitions().await.unwrap_or_default();
            let sources = data_sources().await.unwrap_or_default();
            Targets {
                definitions: definitions
                    .into_iter()
                    .map(|d| (d.id.get(), d.name))
                    .collect(),
                sources: sources.into_iter().map(|s| (s.id.get(), s.name)).collect(),
            }
        },
    );
    let refresh = RwSignal::new(0u32);
    let runs = Resource::new(
        move || (run_now.version().get(), refresh.get()),
        |_| retention_runs(),
    );
    let result = Signal::derive(move || save.value().get());
    let ran = Signal::derive(move || run_now.value().get());
    let last_sent = remember_sender(move || save.input().get().map(|i| i.id.unwrap_or_default()));
    let preview = Action::new(|_: &()| retention_preview());
    let lang = use_lang();
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::RetentionTitle)}</h1>
            <p class="muted">{t(Msg::RetentionIntro)}</p>
            {move || matches!(result.get(), Some(Ok(_))).then(|| view! { <p class="notice" role="status">{t(Msg::Saved)}</p> })}
            <ErrorBanner result fields_summary=true/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = rules.await.unwrap_or_default();
                    let targets = targets.await;
                    let targets2 = targets.clone();
                    view! {
                        {list.into_iter().map(|r| { let name = r.name.clone(); let targets = targets.clone(); view! {
                            <section class="card" data-testid="retention-rule" data-name=name>
                                <h2>{r.name.clone()}
                                    {(!r.active).then(|| view! { " " <span class="badge">{t(Msg::InactiveBadge)}</span> })}
                                </h2>
                                <RuleForm rule=r targets save result last_sent/>
                            </section>
                        }}).collect_view()}
                        <section class="card" data-testid="retention-rule-new">
                            <h2>{t(Msg::RetentionRuleNew)}</h2>
                            <RuleForm rule=RetentionRule { active: true, months: 12, ..RetentionRule::default() } targets=targets2 save result last_sent/>
                        </section>
                    }
                })}
            </Suspense>
            <section class="card" data-testid="retention-preview">
                <h2>{t(Msg::RetentionPreviewTitle)}</h2>
                <p class="muted">{t(Msg::RetentionPreviewIntro)}</p>
                <div class="form-actions">
                    <button type="button" class="primary" on:click=move |_| { preview.dispatch(()); }
                        disabled=move || preview.pending().get()>
                        {t(Msg::RetentionPreviewButton)}
                    </button>
                    <ActionForm action=run_now>
                        <button type="submit">{t(Msg::RetentionRunNow)}</button>
                    </ActionForm>
                </div>
                {move || matches!(ran.get(), Some(Ok(_))).then(|| view! {
                    <p class="notice" role="status" data-testid="retention-run-requested">{t(Msg::RetentionRunRequested)}</p>
                })}
                <ErrorBanner result=ran/>
                {move || preview.value().get().map(|r: Result<Preview, AppError>| match r {
                    Ok(p) => view! { <PreviewTable preview=p/> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message(lang.get())}</p> }.into_any(),
                })}
            </section>
            <section class="card" data-testid="retention-runs">
                <h2>{t(Msg::RetentionRunsTitle)}</h2>
                <button type="button" class="small" on:click=move |_| refresh.update(|n| *n += 1)>{t(Msg::RetentionRefresh)}</button>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = runs.await.unwrap_or_default();
                        view! { <RunsTable runs=list/> }
                    })}
                </Suspense>
            </section>
        </Layout>
    }
}

#[component]
fn RuleForm(
    rule: RetentionRule,
    targets: Targets,
    save: ServerAction<RetentionRuleSave>,
    result: Signal<Option<Result<RetentionRuleId, AppError>>>,
    last_sent: RwSignal<Option<RetentionRuleId>>,
) -> impl IntoView {
    let r = rule;
    let is_new = r.id == RetentionRuleId::default();
    let id = r.id;
    let mine = Signal::derive(move || {
        (last_sent.get() == Some(id))
            .then(|| result.get())
            .flatten()
    });
    let form_ref = NodeRef::<leptos::html::Form>::new();
    reset_after_create(form_ref, move || {
        is_new
            && matches!(save.value().get(), Some(Ok(_)))
            && last_sent.get_untracked() == Some(RetentionRuleId::default())
    });
    let definition = r.definition_id.map(|d| d.get());
    let source = r.source_id.map(|s| s.get());
    view! {
        <ActionForm action=save node_ref=form_ref attr:class="record-form">
            {(!is_new).then(|| view! { <input type="hidden" name="id" value=r.id/> })}
            <div class="grid">
                <div class="field">
                    <label>{t(Msg::RetentionNameLabel)}<input name="name" value=r.name.clone() autocomplete="off"/></label>
                    <FieldMessage result=mine field="name"/>
                </div>
                <div class="field">
                    <label>{t(Msg::RetentionScopeLabel)}
                        <select name="scope">
                            {RetentionScope::ALL.iter().map(|s| view! {
                                <option value=s.as_str() selected=*s == r.scope>{t(s.label())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <FieldMessage result=mine field="scope"/>
                </div>
                <div class="field">
                    <label>{t(Msg::RetentionDefinitionLabel)}
                        <select name="definition_id">
                            <option value="">"—"</option>
                            {targets.definitions.into_iter().map(|(id, name)| view! {
                                <option value=id selected=Some(id) == definition>{name}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <FieldMessage result=mine field="definition_id"/>
                </div>
                <div class="field">
                    <label>{t(Msg::RetentionSourceLabel)}
                        <select name="source_id">
                            <option value="">"—"</option>
                            {targets.sources.into_iter().map(|(id, name)| view! {
                                <option value=id selected=Some(id) == source>{name}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <FieldMessage result=mine field="source_id"/>
                </div>
                <div class="field">
                    <label>{t(Msg::RetentionMonthsLabel)}<input name="months" type="number" min="0" max="600" value=r.months/></label>
                    <FieldMessage result=mine field="months"/>
                </div>
                <div class="field">
                    <label>{t(Msg::RetentionDaysLabel)}<input name="days" type="number" min="0" max="3650" value=r.days/></label>
                    <FieldMessage result=mine field="days"/>
                </div>
                <div class="field">
                    <label>{t(Msg::RetentionOutcomeLabel)}
                        <select name="outcome">
                            {RetentionOutcome::ALL.iter().map(|o| view! {
                                <option value=o.as_str() selected=*o == r.outcome>{t(o.label())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <FieldMessage result=mine field="outcome"/>
                </div>
            </div>
            <div class="row-form">
                <label class="choice"><input type="checkbox" name="active" value="on" checked=r.active/>{t(Msg::ActiveLabel)}</label>
            </div>
            <div class="form-actions">
                <button type="submit" class="primary">{if is_new { t(Msg::UsersAddButton)() } else { t(Msg::SaveButton)() }}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn PreviewTable(preview: Preview) -> impl IntoView {
    let shown = preview.contacts.len();
    view! {
        <p data-testid="retention-preview-total">
            {t(Msg::RetentionPreviewTotal)} " " <strong>{preview.total}</strong>
            " (" {t(Msg::RetentionExamined)} " " {preview.examined} ")"
        </p>
        {(shown > 0).then(|| view! {
            <div class="table-wrap">
                <table data-testid="retention-due">
                    <thead><tr>
                        <th>{t(Msg::SearchColId)}</th>
                        <th>{t(Msg::RetentionEndedColumn)}</th>
                        <th>{t(Msg::RetentionOutcomeLabel)}</th>
                    </tr></thead>
                    <tbody>
                        {preview.contacts.into_iter().map(|d| {
                            let href = format!("/kontakty/{}", d.contact_id);
                            view! {
                                <tr>
                                    <td><a href=href>{d.contact_id.get()}</a></td>
                                    <td>
                                        {d.ended.into_iter().map(|(_, name, at)| view! {
                                            <div>{name} ": " {format_utc(at)}</div>
                                        }).collect_view()}
                                    </td>
                                    <td>{if d.held { t(Msg::RetentionHeld).into_any() } else { t(d.outcome.label()).into_any() }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}

#[component]
fn RunsTable(runs: Vec<Run>) -> impl IntoView {
    view! {
        {runs.is_empty().then(|| view! { <p class="muted">{t(Msg::RetentionNoRuns)}</p> })}
        {(!runs.is_empty()).then(|| view! {
            <div class="table-wrap">
                <table>
                    <thead><tr>
                        <th>{t(Msg::RetentionRunStarted)}</th>
                        <th>{t(Msg::RetentionRunState)}</th>
                        <th>{t(Msg::RetentionExamined)}</th>
                        <th>{t(Msg::RetentionQueued)}</th>
                        <th>{t(Msg::RetentionErased)}</th>
                        <th>{t(Msg::RetentionHeld)}</th>
                        <th>{t(Msg::RetentionByRule)}</th>
                    </tr></thead>
                    <tbody>
                        {runs.into_iter().map(|run| view! {
                            <tr data-testid="retention-run" data-state=run.state.as_str()>
                                <td>{format_utc(run.created_at)} " · " {t(run.trigger.label())}</td>
                                <td>{t(run.state.label())}</td>
                                <td>{run.examined}</td>
                                <td>{run.queued}</td>
                                <td>{run.erased}</td>
                                <td>{run.held}</td>
                                <td>
                                    {run.by_rule.into_iter().map(|(name, queued, erased)| view! {
                                        <div>{name} ": " {queued} " / " {erased}</div>
                                    }).collect_view()}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}
