//! "Okresy przechowywania": the rules, a preview of what the job would do now, running it
//! at once, and the report of past runs. Managers only.

// A rule arrives as a plain HTML form: one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::ids::RetentionRuleId;
use leptos::prelude::*;

use super::model::{Preview, RetentionRule, Run};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::Msg;

/// The retention rules, oldest first.
#[server(endpoint = "retention_rules", output = crate::codec::JsonText)]
pub async fn retention_rules() -> Result<Vec<RetentionRule>, AppError> {
    crate::auth::access::serve("retention_rules", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::rules(&mut conn).await.map_err(AppError::from)
    })
    .await
}

/// Creates (no `id`) or edits a rule. `scope`: `consent` (with `definition_id`), `cases`,
/// `source` (with `source_id`) or `no_purpose`; the period in `months` and `days`;
/// `outcome`: `queue` or `erase`; `active` when ticked.
#[server(endpoint = "retention_rule_save", output = crate::codec::JsonText)]
pub async fn retention_rule_save(
    id: Option<RetentionRuleId>,
    name: String,
    scope: String,
    #[server(default)] definition_id: Option<String>,
    #[server(default)] source_id: Option<String>,
    #[server(default)] months: Option<String>,
    #[server(default)] days: Option<String>,
    outcome: String,
    #[server(default)] active: Option<String>,
) -> Result<RetentionRuleId, AppError> {
    crate::auth::access::serve("retention_rule_save", |caller| async move {
        use super::model::{check_period, RetentionOutcome, RetentionScope};
        let mut checks = crate::domain::text::TextChecks::default();
        let name = checks.line("name", &name, 200, true);
        let number = |field: &'static str,
                      value: &Option<String>,
                      checks: &mut crate::domain::text::TextChecks| {
            match value.as_deref().map(str::trim) {
                None | Some("") => 0,
                Some(v) => v.parse::<i64>().unwrap_or_else(|_| {
                    checks.push(field, Msg::ErrNotANumber);
                    0
                }),
            }
        };
        let months = number("months", &months, &mut checks);
        let days = number("days", &days, &mut checks);
        let scope = RetentionScope::parse(&scope);
        match scope {
            None => checks.push("scope", Msg::ErrBadRequest),
            Some(scope) if checks.errors.is_empty() => {
                if let Err(msg) = check_period(scope, months, days) {
                    checks.push("months", msg);
                }
            }
            Some(_) => {}
        }
        let outcome = RetentionOutcome::parse(&outcome);
        if outcome.is_none() {
            checks.push("outcome", Msg::ErrBadRequest);
        }
        let id_of = |field: &'static str,
                     value: &Option<String>,
                     checks: &mut crate::domain::text::TextChecks| {
            match value.as_deref().map(str::trim) {
                None | Some("") => {
                    checks.push(field, Msg::ErrRequired);
                    None
                }
                Some(v) => v.parse::<i64>().ok().or_else(|| {
                    checks.push(field, Msg::ErrBadRequest);
                    None
                }),
            }
        };
        let (definition_id, source_id) = match scope {
            Some(RetentionScope::Consent) => (
                id_of("definition_id", &definition_id, &mut checks).map(crate::ids::DefinitionId),
                None,
            ),
            Some(RetentionScope::Source) => (
                None,
                id_of("source_id", &source_id, &mut checks).map(crate::ids::SourceId),
            ),
            _ => (None, None),
        };
        if !checks.errors.is_empty() {
            return Err(AppError::Validation(checks.errors));
        }
        let rule = RetentionRule {
            id: id.unwrap_or_default(),
            name,
            scope: scope.unwrap_or_default(),
            definition_id,
            source_id,
            months,
            days,
            outcome: outcome.unwrap_or_default(),
            active: active.is_some(),
        };
        let mut tx = caller.state.db.begin_write().await?;
        let saved = super::store::save_rule(&mut tx, caller.user_id(), &rule).await?;
        caller
            .audit_in(
                &mut tx,
                "retention_rule.saved",
                format!("retention_rule:{saved}"),
            )
            .await?;
        tx.commit().await?;
        Ok(saved)
    })
    .await
}

/// What the job would do now, without doing it: the contacts whose every purpose has
/// ended (the first 200, each with the rules that ended its purposes and the outcome),
/// and how many in all.
#[server(endpoint = "retention_preview", output = crate::codec::JsonText)]
pub async fn retention_preview() -> Result<Preview, AppError> {
    crate::auth::access::serve("retention_preview", |caller| async move {
        const SHOWN: usize = 200;
        let mut conn = caller.state.db.pool().acquire().await?;
        let rules = super::store::rules(&mut conn).await?;
        let now = crate::db::now_ms();
        let mut preview = Preview::default();
        let mut after = crate::ids::ContactId::default();
        loop {
            let scan = super::store::scan(&mut conn, &rules, now, after, super::job::BATCH).await?;
            let Some(last) = scan.last else { break };
            preview.examined += scan.examined;
            preview.total += scan.due.len() as i64;
            for id in scan.due {
                if preview.contacts.len() < SHOWN {
                    preview
                        .contacts
                        .push(super::store::explain(&mut conn, &rules, id).await?);
                }
            }
            after = last;
        }
        caller
            .audit("retention.previewed", "retention".into())
            .await?;
        Ok(preview)
    })
    .await
}

/// Runs the job now (on whichever node holds its claim); an open run is answered instead
/// of a second one. Answers the run's id.
#[server(endpoint = "retention_run_now", output = crate::codec::JsonText)]
pub async fn retention_run_now() -> Result<i64, AppError> {
    crate::auth::access::serve("retention_run_now", |caller| async move {
        let mut tx = caller.state.db.begin_write().await?;
        let run = super::store::request_run(
            &mut tx,
            super::model::RunTrigger::Manual,
            Some(caller.user_id()),
        )
        .await?;
        crate::jobs::store::run_now(
            &mut tx,
            crate::jobs::JobKind::Retention,
            crate::db::now_ms(),
        )
        .await?;
        caller
            .audit_in(
                &mut tx,
                "retention.run_requested",
                format!("retention_run:{run}"),
            )
            .await?;
        tx.commit().await?;
        caller.state.jobs_wake.notify_one();
        Ok(run)
    })
    .await
}

/// The latest runs with what each did under each rule.
#[server(endpoint = "retention_runs", output = crate::codec::JsonText)]
pub async fn retention_runs() -> Result<Vec<Run>, AppError> {
    crate::auth::access::serve("retention_runs", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::runs(&mut conn, 30)
            .await
            .map_err(AppError::from)
    })
    .await
}
