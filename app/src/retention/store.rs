//! Retention rules, the scan that finds contacts whose every purpose ended, and the runs
//! of the job, in the database.
//!
//! A rule is turned into two SQL conditions over `contacts c`: whether it applies to the
//! contact and whether its purpose still holds. Every value inlined in them is a number
//! Zgoda computed (a cutoff in UTC ms) or an id read from its own tables, never text a
//! person typed. A contact is due when it is active, at least one rule applies and none
//! holds; one indexed pass over a batch of ids answers that for thousands at once.

use std::collections::HashMap;

use crate::ids::{ContactId, DefinitionId, RetentionRuleId, SourceId, UserId};
use crate::store_error::{Refusal, StoreError};
use sqlx::{AnyConnection, Row};

use super::model::{
    DueContact, RetentionOutcome, RetentionRule, RetentionScope, Run, RunState, RunTrigger,
};
use crate::db::now_ms;
use crate::time_fmt::add_months;

const DAY_MS: i64 = 86_400_000;

pub async fn rules(conn: &mut AnyConnection) -> Result<Vec<RetentionRule>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, name, scope, definition_id, source_id, months, days, outcome, active \
         FROM retention_rules ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(RetentionRule {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                scope: RetentionScope::parse(&r.try_get::<String, _>("scope")?).unwrap_or_default(),
                definition_id: r.try_get("definition_id")?,
                source_id: r.try_get("source_id")?,
                months: r.try_get("months")?,
                days: r.try_get("days")?,
                outcome: RetentionOutcome::parse(&r.try_get::<String, _>("outcome")?)
                    .unwrap_or_default(),
                active: r.try_get::<i64, _>("active")? == 1,
            })
        })
        .collect()
}

/// Creates (no id) or edits a rule, already validated; the definition or source it names
/// must exist.
pub async fn save_rule(
    conn: &mut AnyConnection,
    user_id: UserId,
    rule: &RetentionRule,
) -> Result<RetentionRuleId, StoreError> {
    if let Some(id) = rule.definition_id {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM consent_definitions WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        if found.is_none() {
            return Err(StoreError::Refused(Refusal::Missing {
                field: "definition_id",
            }));
        }
    }
    if let Some(id) = rule.source_id {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM data_sources WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_none() {
            return Err(StoreError::Refused(Refusal::Missing { field: "source_id" }));
        }
    }
    let now = now_ms();
    if rule.id == RetentionRuleId::default() {
        return Ok(sqlx::query_scalar(
            "INSERT INTO retention_rules (name, scope, definition_id, source_id, months, days, \
             outcome, active, created_by, created_at, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(&rule.name)
        .bind(rule.scope.as_str())
        .bind(rule.definition_id)
        .bind(rule.source_id)
        .bind(rule.months)
        .bind(rule.days)
        .bind(rule.outcome.as_str())
        .bind(i64::from(rule.active))
        .bind(user_id)
        .bind(now)
        .bind(user_id)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?);
    }
    let done = sqlx::query(
        "UPDATE retention_rules SET name = $1, scope = $2, definition_id = $3, source_id = $4, \
         months = $5, days = $6, outcome = $7, active = $8, updated_by = $9, updated_at = $10 \
         WHERE id = $11",
    )
    .bind(&rule.name)
    .bind(rule.scope.as_str())
    .bind(rule.definition_id)
    .bind(rule.source_id)
    .bind(rule.months)
    .bind(rule.days)
    .bind(rule.outcome.as_str())
    .bind(i64::from(rule.active))
    .bind(user_id)
    .bind(now)
    .bind(rule.id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(rule.id)
}

/// The moment before which a purpose measured from it has ended, at `now`.
fn cutoff(rule: &RetentionRule, now: i64) -> i64 {
    add_months(now, -rule.months) - rule.days * DAY_MS
}

/// When a purpose measured from `anchor` ends under this rule.
fn end_of(rule: &RetentionRule, anchor: i64) -> i64 {
    add_months(anchor, rule.months) + rule.days * DAY_MS
}

/// The rule as two conditions over `contacts c`: (applies, holds).
fn conditions(rule: &RetentionRule, now: i64) -> (String, String) {
    let cut = cutoff(rule, now);
    match rule.scope {
        RetentionScope::Consent => {
            let d = rule.definition_id.map_or(0, DefinitionId::get);
            (
                format!(
                    "EXISTS (SELECT 1 FROM consent_current cc WHERE cc.contact_id = c.id \
                     AND cc.definition_id = {d})"
                ),
                // A consent under a retired definition no longer serves its purpose:
                // the period runs from the later of the decision and the retirement.
                format!(
                    "EXISTS (SELECT 1 FROM consent_current cc JOIN consent_events e \
                     ON e.id = cc.event_id JOIN consent_definitions d ON d.id = cc.definition_id \
                     WHERE cc.contact_id = c.id AND cc.definition_id = {d} \
                     AND ((cc.decision = 'granted' AND d.active = 1) OR e.recorded_at >= {cut} \
                     OR (d.active = 0 AND d.updated_at >= {cut})))"
                ),
            )
        }
        // A closed case's last change is its closing (a closed case is not edited).
        RetentionScope::Cases => (
            "EXISTS (SELECT 1 FROM cases k WHERE k.contact_id = c.id)".into(),
            format!(
                "EXISTS (SELECT 1 FROM cases k WHERE k.contact_id = c.id \
                 AND (k.status <> 'closed' OR k.updated_at >= {cut}))"
            ),
        ),
        RetentionScope::Source => {
            let s = rule.source_id.map_or(0, SourceId::get);
            (
                // Never NULL: NOT over an unknown would leave a contact out of the scan.
                format!("COALESCE(c.source_id, 0) = {s}"),
                format!(
                    "(c.created_at >= {cut} \
                     OR EXISTS (SELECT 1 FROM communications m WHERE m.outcome = 'done' \
                     AND m.contact_id = c.id AND m.at >= {cut}) \
                     OR EXISTS (SELECT 1 FROM cases k WHERE k.contact_id = c.id \
                     AND k.updated_at >= {cut}))"
                ),
            )
        }
        RetentionScope::NoPurpose => ("1 = 1".into(), format!("c.created_at >= {cut}")),
    }
}

/// Active, at least one rule applies, and no rule that applies still holds.
fn due_condition(active: &[&RetentionRule], now: i64) -> String {
    let (applies, holds): (Vec<String>, Vec<String>) = active
        .iter()
        .map(|r| {
            let (applies, holds) = conditions(r, now);
            // A rule keeps only the contacts it applies to.
            let kept = format!("(({applies}) AND {holds})");
            (applies, kept)
        })
        .unzip();
    format!(
        "c.state = 'active' AND ({}) AND NOT ({})",
        applies.join(" OR "),
        holds.join(" OR ")
    )
}

/// Of these contacts, the ones due now: the scan's answer asked again inside the
/// transaction that acts on them.
pub async fn still_due(
    conn: &mut AnyConnection,
    rules: &[RetentionRule],
    now: i64,
    ids: &[ContactId],
) -> Result<Vec<ContactId>, StoreError> {
    let active: Vec<&RetentionRule> = rules.iter().filter(|r| r.active).collect();
    if active.is_empty() || ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids from our own scan: numbers, inlined.
    let list: Vec<String> = ids.iter().map(|id| id.get().to_string()).collect();
    let sql = format!(
        "SELECT c.id FROM contacts c WHERE c.id IN ({}) AND {} ORDER BY c.id",
        list.join(", "),
        due_condition(&active, now)
    );
    Ok(sqlx::query_scalar(&sql).fetch_all(&mut *conn).await?)
}

/// One batch of the scan: how many contacts it covered, the last id, and the due ones.
pub struct Scan {
    pub examined: i64,
    pub last: Option<ContactId>,
    pub due: Vec<ContactId>,
}

/// Contacts after `after`, at most `limit` of them by id: which are due at `now`.
pub async fn scan(
    conn: &mut AnyConnection,
    rules: &[RetentionRule],
    now: i64,
    after: ContactId,
    limit: i64,
) -> Result<Scan, StoreError> {
    let bounds = sqlx::query(
        "SELECT COUNT(*) AS n, MAX(id) AS last FROM \
         (SELECT id FROM contacts WHERE id > $1 ORDER BY id LIMIT $2) b",
    )
    .bind(after)
    .bind(limit)
    .fetch_one(&mut *conn)
    .await?;
    let examined: i64 = bounds.try_get("n")?;
    let last: Option<ContactId> = bounds.try_get("last")?;
    let Some(last) = last else {
        return Ok(Scan {
            examined: 0,
            last: None,
            due: Vec::new(),
        });
    };
    let active: Vec<&RetentionRule> = rules.iter().filter(|r| r.active).collect();
    if active.is_empty() {
        return Ok(Scan {
            examined,
            last: Some(last),
            due: Vec::new(),
        });
    }
    let sql = format!(
        "SELECT c.id FROM contacts c WHERE c.id > $1 AND c.id <= $2 AND {} ORDER BY c.id",
        due_condition(&active, now)
    );
    let due: Vec<ContactId> = sqlx::query_scalar(&sql)
        .bind(after)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Scan {
        examined,
        last: Some(last),
        due,
    })
}

/// When each rule that applies to a due contact ended its purpose, the outcome (the
/// managers' queue when any of those rules says so), and whether a legal hold keeps it.
pub async fn explain(
    conn: &mut AnyConnection,
    rules: &[RetentionRule],
    contact_id: ContactId,
) -> Result<DueContact, StoreError> {
    let contact = sqlx::query("SELECT created_at, source_id FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let created_at: i64 = contact.try_get("created_at")?;
    let source: Option<SourceId> = contact.try_get("source_id")?;
    let last_case: Option<i64> =
        sqlx::query_scalar("SELECT MAX(updated_at) FROM cases WHERE contact_id = $1")
            .bind(contact_id)
            .fetch_one(&mut *conn)
            .await?;
    let last_talk: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(at) FROM communications WHERE outcome = 'done' AND contact_id = $1",
    )
    .bind(contact_id)
    .fetch_one(&mut *conn)
    .await?;
    let mut ended = Vec::new();
    let mut outcome = RetentionOutcome::Erase;
    for rule in rules.iter().filter(|r| r.active) {
        let anchor = match rule.scope {
            RetentionScope::Consent => {
                let decided: Option<(i64, i64, i64)> = sqlx::query_as(
                    "SELECT e.recorded_at, d.active, d.updated_at FROM consent_current cc \
                     JOIN consent_events e ON e.id = cc.event_id \
                     JOIN consent_definitions d ON d.id = cc.definition_id \
                     WHERE cc.contact_id = $1 AND cc.definition_id = $2",
                )
                .bind(contact_id)
                .bind(rule.definition_id)
                .fetch_optional(&mut *conn)
                .await?;
                decided.map(|(at, active, retired)| if active == 1 { at } else { at.max(retired) })
            }
            RetentionScope::Cases => last_case,
            RetentionScope::Source if source.is_some() && source == rule.source_id => Some(
                created_at
                    .max(last_case.unwrap_or(0))
                    .max(last_talk.unwrap_or(0)),
            ),
            RetentionScope::Source => None,
            RetentionScope::NoPurpose => Some(created_at),
        };
        if let Some(anchor) = anchor {
            ended.push((rule.id, rule.name.clone(), end_of(rule, anchor)));
            if rule.outcome == RetentionOutcome::Queue {
                outcome = RetentionOutcome::Queue;
            }
        }
    }
    ended.sort_by_key(|(_, _, at)| std::cmp::Reverse(*at));
    let held = crate::erasure::store::active_hold(conn, contact_id)
        .await?
        .is_some();
    Ok(DueContact {
        contact_id,
        ended,
        outcome,
        held,
    })
}

/// Asks for a run; one still waiting to start is answered instead of a second. A run
/// already under way does not count: it read the rules before the caller changed them.
pub async fn request_run(
    conn: &mut AnyConnection,
    kind: RunTrigger,
    user_id: Option<UserId>,
) -> Result<i64, StoreError> {
    // One queued run at most (a partial unique index): two managers, or a manager and
    // the schedule, asking at once get the same run.
    sqlx::query(
        "INSERT INTO retention_runs (kind, requested_by, state, created_at) \
         VALUES ($1, $2, 'queued', $3) ON CONFLICT DO NOTHING",
    )
    .bind(kind.as_str())
    .bind(user_id)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_scalar(
        "SELECT id FROM retention_runs WHERE state = 'queued' ORDER BY id LIMIT 1",
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// The oldest open run and the last contact id it finished.
pub async fn open_run(conn: &mut AnyConnection) -> Result<Option<(i64, ContactId)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, done_through FROM retention_runs WHERE state IN ('queued', 'running') \
         ORDER BY id LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// When the last run was asked for (UTC ms, any kind: a manager's run counts for the
/// day), to schedule the next one a day later.
pub async fn last_requested(conn: &mut AnyConnection) -> Result<Option<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT MAX(created_at) FROM retention_runs")
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// Whether this node still works on the run (another may have taken it over).
pub async fn owns(conn: &mut AnyConnection, run_id: i64, owner: &str) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM retention_runs WHERE id = $1 AND owner = $2 AND state = 'running'",
    )
    .bind(run_id)
    .bind(owner)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Moves the run past a batch, only from where this node started it and while it is
/// still this node's: `false` otherwise (the caller rolls back and stops).
pub async fn advance(
    conn: &mut AnyConnection,
    run_id: i64,
    owner: &str,
    from: ContactId,
    to: ContactId,
    examined: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE retention_runs SET done_through = $1, examined = examined + $2 \
         WHERE id = $3 AND owner = $4 AND done_through = $5 AND state = 'running'",
    )
    .bind(to)
    .bind(examined)
    .bind(run_id)
    .bind(owner)
    .bind(from)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn start(conn: &mut AnyConnection, run_id: i64, owner: &str) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE retention_runs SET state = 'running', owner = $1, \
         started_at = COALESCE(started_at, $2) WHERE id = $3",
    )
    .bind(owner)
    .bind(now_ms())
    .bind(run_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What one chunk of a batch did, written in the chunk's own transaction with its
/// erasures.
#[derive(Debug, Default)]
pub struct Progress {
    pub queued: i64,
    pub erased: i64,
    pub held: i64,
    /// Per deciding rule: (queued, erased).
    pub by_rule: HashMap<RetentionRuleId, (i64, i64)>,
}

pub async fn progress(
    conn: &mut AnyConnection,
    run_id: i64,
    p: &Progress,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE retention_runs SET queued = queued + $1, erased = erased + $2, held = held + $3 \
         WHERE id = $4",
    )
    .bind(p.queued)
    .bind(p.erased)
    .bind(p.held)
    .bind(run_id)
    .execute(&mut *conn)
    .await?;
    for (rule, (queued, erased)) in &p.by_rule {
        sqlx::query(
            "INSERT INTO retention_outcomes (run_id, rule_id, queued, erased) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (run_id, rule_id) DO UPDATE SET queued = retention_outcomes.queued + $3, \
             erased = retention_outcomes.erased + $4",
        )
        .bind(run_id)
        .bind(*rule)
        .bind(*queued)
        .bind(*erased)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn finish(conn: &mut AnyConnection, run_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE retention_runs SET state = 'done', finished_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(run_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The latest runs, newest first, with what each did under each rule.
pub async fn runs(conn: &mut AnyConnection, limit: i64) -> Result<Vec<Run>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, kind, state, created_at, finished_at, examined, queued, erased, held \
         FROM retention_runs ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let by_rule: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT r.name, o.queued, o.erased FROM retention_outcomes o \
             JOIN retention_rules r ON r.id = o.rule_id WHERE o.run_id = $1 ORDER BY r.id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        out.push(Run {
            id,
            trigger: RunTrigger::parse(&r.try_get::<String, _>("kind")?).unwrap_or_default(),
            state: RunState::parse(&r.try_get::<String, _>("state")?).unwrap_or_default(),
            created_at: r.try_get("created_at")?,
            finished_at: r.try_get("finished_at")?,
            examined: r.try_get("examined")?,
            queued: r.try_get("queued")?,
            erased: r.try_get("erased")?,
            held: r.try_get("held")?,
            by_rule,
        });
    }
    Ok(out)
}

/// The active rules that apply to a contact now, each with the moment its purpose ends
/// (`None` while an event has yet to end it: a consent still granted, a case still open).
/// What a person's copy says about how long their data is kept (Art. 15(1)(d)).
pub async fn applying(
    conn: &mut AnyConnection,
    contact_id: ContactId,
) -> Result<Vec<(RetentionRule, Option<i64>)>, StoreError> {
    let all = rules(conn).await?;
    if !all.iter().any(|r| r.active) {
        return Ok(Vec::new());
    }
    let due = explain(conn, &all, contact_id).await?;
    let mut out = Vec::new();
    for rule in all.into_iter().filter(|r| r.active) {
        let Some(end) = due
            .ended
            .iter()
            .find(|(id, _, _)| *id == rule.id)
            .map(|(_, _, end)| *end)
        else {
            continue;
        };
        let still_held = match rule.scope {
            RetentionScope::Consent => {
                let decision: Option<String> = sqlx::query_scalar(
                    "SELECT cc.decision FROM consent_current cc JOIN consent_definitions d \
                     ON d.id = cc.definition_id WHERE cc.contact_id = $1 AND cc.definition_id = $2 \
                     AND d.active = 1",
                )
                .bind(contact_id)
                .bind(rule.definition_id)
                .fetch_optional(&mut *conn)
                .await?;
                decision.as_deref() == Some("granted")
            }
            RetentionScope::Cases => {
                let open: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM cases WHERE contact_id = $1 AND status <> 'closed' LIMIT 1",
                )
                .bind(contact_id)
                .fetch_optional(&mut *conn)
                .await?;
                open.is_some()
            }
            RetentionScope::Source | RetentionScope::NoPurpose => false,
        };
        out.push((rule, (!still_held).then_some(end)));
    }
    Ok(out)
}
