//! Retention on its own, on both databases: which contacts a set of rules finds, what
//! the job does with them, holds and restrictions, two nodes at once, and a run resumed
//! on another node.

use super::job::tick;
use super::model::{RetentionOutcome, RetentionRule, RetentionScope};
use super::store::{rules, save_rule, scan};
use crate::contacts::model::ContactData;
use crate::ids::{ContactId, RetentionRuleId, UserId};
use crate::test_db::{store_test, TestDb};

const MANAGER: UserId = UserId(1);
const DAY: i64 = 86_400_000;

async fn manager(t: &TestDb) {
    t.exec(
        "INSERT INTO users (id, login, display_name, role, password_hash, password_changed_at, \
         created_at) VALUES (1, 'kierownik', 'Kierownik', 'manager', '-', 0, 0) \
         ON CONFLICT (id) DO NOTHING",
    )
    .await;
}

/// A contact created `days_ago` days ago.
async fn contact(t: &TestDb, last_name: &str, days_ago: i64) -> ContactId {
    let data = ContactData {
        first_name: "Ewa".into(),
        last_name: last_name.into(),
        ..ContactData::default()
    };
    let valid = crate::contacts::validate::validate(&data).expect("valid");
    let mut tx = t.db.begin_write().await.unwrap();
    let (id, _) = crate::contacts::store::insert(&mut tx, &t.vault, Some(MANAGER), None, &valid)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let at = crate::db::now_ms() - days_ago * DAY;
    t.exec(&format!(
        "UPDATE contacts SET created_at = {at} WHERE id = {id}"
    ))
    .await;
    id
}

async fn case(t: &TestDb, contact: ContactId, status: &str, days_ago: i64) {
    let at = crate::db::now_ms() - days_ago * DAY;
    t.exec(&format!(
        "INSERT INTO cases (contact_id, status, channel, created_at, updated_at) \
         VALUES ({contact}, '{status}', 'phone', {at}, {at})"
    ))
    .await;
}

async fn rule(
    t: &TestDb,
    name: &str,
    scope: RetentionScope,
    months: i64,
    outcome: RetentionOutcome,
) -> RetentionRuleId {
    let mut tx = t.db.begin_write().await.unwrap();
    let id = save_rule(
        &mut tx,
        MANAGER,
        &RetentionRule {
            name: name.into(),
            scope,
            months,
            outcome,
            active: true,
            ..RetentionRule::default()
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn state(t: &TestDb, id: ContactId) -> String {
    sqlx::query_scalar("SELECT state FROM contacts WHERE id = $1")
        .bind(id)
        .fetch_one(t.db.pool())
        .await
        .unwrap()
}

store_test!(
    a_contact_is_due_only_when_every_purpose_that_applies_has_ended,
    |t| async move {
        manager(&t).await;
        let fresh = contact(&t, "Nowa", 10).await;
        let old = contact(&t, "Stara", 800).await;
        let open_case = contact(&t, "Zgłaszająca", 800).await;
        case(&t, open_case, "in_progress", 700).await;
        let closed_long_ago = contact(&t, "Dawna", 800).await;
        case(&t, closed_long_ago, "closed", 760).await;
        let closed_lately = contact(&t, "Niedawna", 800).await;
        case(&t, closed_lately, "closed", 30).await;
        let held = contact(&t, "Zatrzymana", 800).await;
        t.exec(&format!(
            "INSERT INTO legal_holds (contact_id, reason, until_date, created_at) \
             VALUES ({held}, 'Spór sądowy', '2999-12-31', 0)"
        ))
        .await;
        let restricted = contact(&t, "Ograniczona", 800).await;
        t.exec(&format!(
            "UPDATE contacts SET state = 'restricted' WHERE id = {restricted}"
        ))
        .await;

        rule(
            &t,
            "Brak celu: 6 miesięcy",
            RetentionScope::NoPurpose,
            6,
            RetentionOutcome::Erase,
        )
        .await;
        let cases = rule(
            &t,
            "Obsługa zgłoszeń: 24 miesiące",
            RetentionScope::Cases,
            24,
            RetentionOutcome::Queue,
        )
        .await;
        let all = {
            let mut conn = t.db.pool().acquire().await.unwrap();
            rules(&mut conn).await.unwrap()
        };
        let mut conn = t.db.pool().acquire().await.unwrap();
        let found = scan(
            &mut conn,
            &all,
            crate::db::now_ms(),
            ContactId::default(),
            1000,
        )
        .await
        .unwrap();
        assert_eq!(found.examined, 7);
        assert_eq!(
            found.due,
            vec![old, closed_long_ago, held],
            "fresh, open and recent cases hold; restricted is left alone"
        );
        drop(conn);

        let done = tick(&t.db, &t.vault, "node-a", 1000, None)
            .await
            .unwrap()
            .unwrap();
        assert!(done.finished);
        assert_eq!(done.examined, 7);
        // Only the no-purpose rule applied: erased. The case rule applied too: queued.
        assert_eq!(state(&t, old).await, "erased");
        assert_eq!(state(&t, closed_long_ago).await, "erasure_pending");
        assert_eq!(state(&t, held).await, "active", "a legal hold wins");
        assert_eq!(state(&t, fresh).await, "active");
        let ground: (String, Option<i64>) = sqlx::query_as(
            "SELECT ground, retention_rule_id FROM erasure_requests WHERE contact_id = $1",
        )
        .bind(closed_long_ago)
        .fetch_one(t.db.pool())
        .await
        .unwrap();
        assert_eq!(ground, ("no_longer_needed".into(), Some(cases.get())));
        let mut conn = t.db.pool().acquire().await.unwrap();
        let runs = crate::retention::store::runs(&mut conn, 5).await.unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!((runs[0].queued, runs[0].erased, runs[0].held), (1, 1, 1));
        assert_eq!(runs[0].by_rule.len(), 2);
        // The next tick the same day finds nothing to schedule.
        drop(conn);
        assert_eq!(
            tick(&t.db, &t.vault, "node-a", 1000, None).await.unwrap(),
            None
        );
    }
);

store_test!(
    two_nodes_at_once_do_the_work_once_and_a_run_resumes_elsewhere,
    |t| async move {
        manager(&t).await;
        let mut old = Vec::new();
        for n in 0..6 {
            old.push(contact(&t, &format!("Stara{n}"), 800).await);
        }
        rule(
            &t,
            "Brak celu",
            RetentionScope::NoPurpose,
            6,
            RetentionOutcome::Queue,
        )
        .await;
        // Node A stops after one batch of two contacts (its claim given back, as when
        // its time runs out); node B finishes the same run from where A stopped.
        let first = tick(&t.db, &t.vault, "node-a", 2, Some(1))
            .await
            .unwrap()
            .unwrap();
        assert!(!first.finished);
        assert_eq!(first.examined, 2);
        let (a, b) = tokio::join!(
            tick(&t.db, &t.vault, "node-b", 2, None),
            tick(&t.db, &t.vault, "node-c", 2, None)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        let worked: Vec<_> = [a, b].into_iter().flatten().collect();
        assert!(worked.len() <= 2);
        let rest: i64 = worked.iter().map(|w| w.examined).sum();
        assert_eq!(rest, 4, "the rest, once: {worked:?}");
        assert!(worked.iter().all(|w| w.run_id == first.run_id));
        for id in &old {
            assert_eq!(state(&t, *id).await, "erasure_pending");
        }
        let requests: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM erasure_requests")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        assert_eq!(requests, 6);
        let mut conn = t.db.pool().acquire().await.unwrap();
        let runs = crate::retention::store::runs(&mut conn, 5).await.unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!((runs[0].examined, runs[0].queued), (6, 6));
    }
);

store_test!(
    a_source_rule_keeps_only_its_own_contacts_and_a_retired_consent_ends,
    |t| async move {
        manager(&t).await;
        t.exec(
            "INSERT INTO data_sources (id, name, kind, created_at) \
             VALUES (901, 'Baza kupiona', 'purchased', 0)",
        )
        .await;
        let bought = contact(&t, "Kupiona", 800).await;
        t.exec(&format!(
            "UPDATE contacts SET source_id = 901 WHERE id = {bought}"
        ))
        .await;
        let recent_elsewhere = contact(&t, "Inna", 10).await;
        // A consent withdrawn at once ends the purpose (a zero period).
        let definition = crate::consents::store::save_definition(
            &mut t.db.pool().acquire().await.unwrap(),
            MANAGER,
            &crate::consents::model::Definition {
                name: "Newsletter".into(),
                statement: "Zgoda.".into(),
                purpose: "Newsletter".into(),
                active: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let version: i64 =
            sqlx::query_scalar("SELECT id FROM consent_versions WHERE definition_id = $1")
                .bind(definition)
                .fetch_one(t.db.pool())
                .await
                .unwrap();
        for (id, decision) in [(recent_elsewhere, "withdrawn"), (bought, "granted")] {
            let at = crate::db::now_ms() - DAY;
            t.exec(&format!(
                "INSERT INTO consent_events (contact_id, definition_id, version_id, decision, method, \
                 recorded_at) VALUES ({id}, {definition}, {version}, '{decision}', 'call', {at})"
            ))
            .await;
            t.exec(&format!(
                "INSERT INTO consent_current (contact_id, definition_id, decision, event_id) \
                 SELECT contact_id, definition_id, decision, id FROM consent_events \
                 WHERE contact_id = {id}"
            ))
            .await;
        }
        let mut tx = t.db.begin_write().await.unwrap();
        for (name, scope, months, definition_id, source_id) in [
            (
                "Kupiona baza: 12 miesięcy",
                RetentionScope::Source,
                12,
                None,
                Some(crate::ids::SourceId(901)),
            ),
            (
                "Newsletter: od razu",
                RetentionScope::Consent,
                0,
                Some(definition),
                None,
            ),
        ] {
            save_rule(
                &mut tx,
                MANAGER,
                &RetentionRule {
                    name: name.into(),
                    scope,
                    months,
                    definition_id,
                    source_id,
                    outcome: RetentionOutcome::Queue,
                    active: true,
                    ..RetentionRule::default()
                },
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        let mut conn = t.db.pool().acquire().await.unwrap();
        let all = rules(&mut conn).await.unwrap();
        let now = crate::db::now_ms();
        let found = scan(&mut conn, &all, now, ContactId::default(), 100)
            .await
            .unwrap();
        // The source rule does not keep a contact of another source; the granted consent
        // keeps the bought one although its source period ended.
        assert_eq!(found.due, vec![recent_elsewhere]);
        // Retiring the definition ends the purpose of its granted consents too.
        t.exec(&format!(
            "UPDATE consent_definitions SET active = 0, updated_at = {} WHERE id = {definition}",
            now - DAY
        ))
        .await;
        let found = scan(&mut conn, &all, now, ContactId::default(), 100)
            .await
            .unwrap();
        assert_eq!(found.due, vec![bought, recent_elsewhere]);
    }
);
