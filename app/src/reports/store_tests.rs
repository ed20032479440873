//! Reports on both databases: every dataset with every grouping, the figures of the
//! ready-made reports, Warsaw periods, late erasure requests, unusual read volumes, and
//! saved reports.

use super::model::{Dataset, Grouping, ReportCell, ReportQuery};
use super::saved::{saved_delete, saved_insert, saved_list};
use super::store::{period, run};
use crate::ids::{ContactId, UserId};
use crate::store_error::StoreError;
use crate::test_db::{store_test, TestDb};
use crate::time_fmt::day_start_ms;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn at(date: &str, hour: i64) -> i64 {
    day_start_ms(date).unwrap() + hour * HOUR
}

async fn people(t: &TestDb, names: &[&str]) {
    for (i, name) in names.iter().enumerate() {
        let id = i + 1;
        t.exec(&format!(
            "INSERT INTO users (id, login, display_name, role, password_hash, \
             password_changed_at, created_at) VALUES ({id}, 'u{id}', '{name}', 'manager', '-', 0, 0)"
        ))
        .await;
    }
}

async fn contact(t: &TestDb) -> ContactId {
    t.person("Ewa", "Wąsowska").await
}

async fn report(t: &TestDb, query: &str, now: i64) -> super::model::ReportResult {
    let q = ReportQuery::from_query(query).unwrap();
    let mut conn = t.db.pool().acquire().await.unwrap();
    run(&mut conn, &q, now).await.unwrap()
}

fn labels(r: &super::model::ReportResult) -> Vec<(String, Vec<i64>)> {
    r.groups
        .iter()
        .map(|g| {
            let name = match &g.label {
                ReportCell::Text(s) => s.clone(),
                other => format!("{other:?}"),
            };
            (name, g.values.clone())
        })
        .collect()
}

/// One definition with one version, for consent events.
async fn definition(t: &TestDb, id: i64, name: &str, channel: &str) {
    t.exec(&format!(
        "INSERT INTO consent_definitions (id, name, purpose, legal_basis, channel, marketing, \
         created_at, updated_at) VALUES ({id}, '{name}', 'cel', 'consent', '{channel}', 1, 0, 0)"
    ))
    .await;
    t.exec(&format!(
        "INSERT INTO consent_versions (id, definition_id, version, statement, created_at) \
         VALUES ({id}, {id}, 1, 'treść', 0)"
    ))
    .await;
}

async fn decision(t: &TestDb, contact: ContactId, def: i64, decision: &str, when: i64, by: i64) {
    t.exec(&format!(
        "INSERT INTO consent_events (contact_id, definition_id, version_id, decision, method, \
         recorded_by, recorded_at) VALUES ({contact}, {def}, {def}, '{decision}', 'call', {by}, {when})"
    ))
    .await;
}

store_test!(
    consent_decisions_count_per_warsaw_month_and_by_channel,
    |t| async move {
        people(&t, &["Kierownik", "Konsultantka"]).await;
        let c = contact(&t).await;
        definition(&t, 1, "Newsletter e-mail", "email").await;
        definition(&t, 2, "Telefon marketing", "call").await;
        decision(&t, c, 1, "granted", at("2026-10-05", 10), 2).await;
        decision(&t, c, 2, "granted", at("2026-10-06", 10), 2).await;
        // 23:30 UTC on 31 October is 00:30 on 1 November in Warsaw (CET).
        decision(&t, c, 1, "withdrawn", at("2026-10-31", 23) + HOUR / 2, 1).await;
        decision(&t, c, 2, "refused", at("2026-11-20", 9), 2).await;

        let now = at("2026-11-30", 12);
        let r = report(&t, "zbior=zgody&grupuj=miesiac", now).await;
        assert_eq!(
            labels(&r),
            vec![
                ("2026-10".to_string(), vec![2, 0, 0]),
                ("2026-11".to_string(), vec![0, 1, 1]),
            ]
        );
        assert_eq!(r.total, 4);

        // Days with nothing in them are there, as zeros, between the first and the last.
        let r = report(&t, "zbior=zgody&grupuj=dzien&od=2026-11-01", now).await;
        let days = labels(&r);
        assert_eq!(days.len(), 20, "{days:?}");
        assert_eq!(days[0], ("2026-11-01".to_string(), vec![0, 0, 1]));
        assert_eq!(days[1], ("2026-11-02".to_string(), vec![0, 0, 0]));
        assert_eq!(days[19], ("2026-11-20".to_string(), vec![0, 1, 0]));
        let r = report(&t, "zbior=zgody&grupuj=tydzien", now).await;
        assert_eq!(
            r.groups.len(),
            7,
            "weeks 41 to 47 of 2026: {:?}",
            labels(&r)
        );
        assert_eq!(r.groups[1].values, vec![0, 0, 0]);

        let r = report(&t, "zbior=zgody&grupuj=miesiac&kanal=email", now).await;
        assert_eq!(
            labels(&r),
            vec![
                ("2026-10".to_string(), vec![1, 0, 0]),
                ("2026-11".to_string(), vec![0, 0, 1]),
            ]
        );

        let r = report(&t, "zbior=zgody&grupuj=zgoda", now).await;
        assert_eq!(
            labels(&r),
            vec![
                ("Newsletter e-mail".to_string(), vec![1, 0, 1]),
                ("Telefon marketing".to_string(), vec![1, 1, 0]),
            ]
        );

        let r = report(&t, "zbior=zgody&grupuj=uzytkownik&od=2026-11-01", now).await;
        assert_eq!(
            labels(&r),
            vec![
                ("Kierownik".to_string(), vec![0, 0, 1]),
                ("Konsultantka".to_string(), vec![0, 1, 0]),
            ]
        );

        // Lines: newest first, the chosen columns only, the contact as a link.
        let r = report(&t, "zbior=zgody&kol=czas&kol=kontakt&kol=decyzja", now).await;
        assert_eq!(r.total, 4);
        assert_eq!(r.columns.len(), 3);
        assert_eq!(r.lines[0][1], ReportCell::Contact(c));
        assert_eq!(
            r.lines[0][2],
            ReportCell::Label(crate::i18n::Msg::DecisionRefused)
        );
        assert_eq!(r.lines[0][0], ReportCell::Time(at("2026-11-20", 9)));
    }
);

store_test!(late_erasure_requests_are_counted, |t| async move {
    people(&t, &["Kierownik"]).await;
    let now = at("2026-11-30", 12);
    for (state, requested, deadline, decided) in [
        // Decided in time, decided late, open and overdue, open and in time.
        (
            "approved",
            now - 40 * DAY,
            now - 10 * DAY,
            Some(now - 20 * DAY),
        ),
        (
            "refused",
            now - 40 * DAY,
            now - 10 * DAY,
            Some(now - 5 * DAY),
        ),
        ("pending", now - 35 * DAY, now - DAY, None),
        ("pending", now - 3 * DAY, now + 27 * DAY, None),
    ] {
        let c = contact(&t).await;
        let decided = decided.map_or("NULL".to_string(), |d| d.to_string());
        t.exec(&format!(
            "INSERT INTO erasure_requests (contact_id, ground, state, previous_state, \
             requested_by, requested_at, deadline_at, decided_at, updated_at) VALUES \
             ({c}, 'objection', '{state}', 'active', 1, {requested}, {deadline}, {decided}, {requested})"
        ))
        .await;
    }
    let r = report(&t, "zbior=zapomnienie&grupuj=uzytkownik", now).await;
    // Requests, then pending / withdrawn / approved / refused, then late.
    assert_eq!(
        labels(&r),
        vec![("Kierownik".to_string(), vec![4, 2, 0, 1, 1, 2])]
    );
    let r = report(&t, "zbior=zapomnienie&kol=po-terminie&stan=pending", now).await;
    let late: Vec<_> = r.lines.iter().map(|l| l[0].clone()).collect();
    assert_eq!(
        late,
        vec![
            ReportCell::Label(crate::i18n::Msg::ReportNo),
            ReportCell::Label(crate::i18n::Msg::ReportYes),
        ]
    );
});

store_test!(card_reads_per_user_mark_an_unusual_volume, |t| async move {
    people(&t, &["Anna", "Bartek", "Celina", "Dawid"]).await;
    let c = contact(&t).await;
    let now = at("2026-11-30", 12);
    for (user, reads) in [(1, 3), (2, 4), (3, 2), (4, 40)] {
        for i in 0..reads {
            t.exec(&format!(
                "INSERT INTO card_reads (contact_id, user_id, read_at) VALUES ({c}, {user}, {})",
                now - i * HOUR
            ))
            .await;
        }
    }
    let r = report(&t, "zbior=odczyty&grupuj=uzytkownik", now).await;
    let unusual: Vec<bool> = r.groups.iter().map(|g| g.unusual).collect();
    assert_eq!(labels(&r)[0], ("Dawid".to_string(), vec![40, 1]));
    assert_eq!(unusual, vec![true, false, false, false]);
    assert_eq!(r.total, 49);
});

store_test!(imports_per_source_sum_their_rows, |t| async move {
    people(&t, &["Kierownik"]).await;
    t.exec(
        "INSERT INTO data_sources (id, name, kind, created_at) VALUES (7, 'Targi 2026', 'purchased', 0)",
    )
    .await;
    for (source, read, added, rejected, suppressed) in [
        ("7", 100, 90, 6, 4),
        ("7", 50, 50, 0, 0),
        ("NULL", 10, 9, 1, 0),
    ] {
        t.exec(&format!(
            "INSERT INTO imports (file_name, format, encoding, source_id, status, master_key_id, \
             rows_read, added, rejected, erased_skipped, created_by, created_at, updated_at) VALUES \
             ('baza.csv', 'delimited', 'utf-8', {source}, 'done', 1, {read}, {added}, {rejected}, \
             {suppressed}, 1, 1000, 1000)"
        ))
        .await;
    }
    let r = report(&t, "zbior=importy&grupuj=zrodlo", at("2026-11-30", 0)).await;
    assert_eq!(
        labels(&r)[0],
        ("Targi 2026".to_string(), vec![2, 150, 140, 6, 4])
    );
    assert_eq!(
        r.groups[1].label,
        ReportCell::Label(crate::i18n::Msg::ReportNoSource)
    );
    assert_eq!(r.groups[1].values, vec![1, 10, 9, 1, 0]);
});

store_test!(every_dataset_answers_every_grouping, |t| async move {
    people(&t, &["Kierownik"]).await;
    let c = contact(&t).await;
    definition(&t, 1, "Newsletter", "email").await;
    decision(&t, c, 1, "granted", 5_000, 1).await;
    t.exec(&format!(
        "INSERT INTO field_history (contact_id, field, row_ref, source_id, changed_by, changed_at) \
         VALUES ({c}, 'city', 0, 1, 1, 5000)"
    ))
    .await;
    t.exec(
        "INSERT INTO recipients (id, name, role, created_at) VALUES (3, 'Kurier sp. z o.o.', 'processor', 0)",
    )
    .await;
    t.exec(
        "INSERT INTO disclosures (id, recipient_id, fields, legal_basis, purpose, disclosed_by, \
         disclosed_at) VALUES (9, 3, 'city', 'contract', 'dostawa', 1, 5000)",
    )
    .await;
    t.exec(&format!(
        "INSERT INTO disclosure_contacts (disclosure_id, contact_id) VALUES (9, {c})"
    ))
    .await;
    t.exec(&format!(
        "INSERT INTO communications (contact_id, channel, purpose, outcome, reason, user_id, at) \
         VALUES ({c}, 'email', 'marketing', 'blocked', 'no_consent', 1, 5000)"
    ))
    .await;
    for dataset in Dataset::ALL {
        for grouping in dataset.groupings() {
            let q = format!("zbior={}&grupuj={}", dataset.as_str(), grouping.as_str());
            let r = report(&t, &q, 10_000).await;
            if grouping == Grouping::None {
                assert_eq!(r.columns, dataset.columns(), "{q}");
                assert!(r.lines.iter().all(|l| l.len() == r.columns.len()), "{q}");
            } else {
                assert!(
                    r.groups
                        .iter()
                        .all(|g| g.values.len() == dataset.measures_for(grouping).len()),
                    "{q}"
                );
            }
        }
    }
    let r = report(&t, "zbior=udostepnienia&grupuj=odbiorca", 10_000).await;
    assert_eq!(
        labels(&r),
        vec![("Kurier sp. z o.o.".to_string(), vec![1, 1])]
    );
    let r = report(&t, "zbior=komunikacja&grupuj=dzien", 10_000).await;
    assert_eq!(labels(&r), vec![("1970-01-01".to_string(), vec![0, 1])]);
    let r = report(&t, "zbior=komunikacja&kol=powod", 10_000).await;
    assert_eq!(
        r.lines,
        vec![vec![ReportCell::Label(crate::i18n::Msg::BlockNoConsent)]]
    );
    let r = report(&t, "zbior=kontakty&grupuj=zrodlo", 10_000).await;
    assert_eq!(r.total, 1);
});

store_test!(saved_reports_have_unique_names, |t| async move {
    people(&t, &["Kierownik"]).await;
    let mut conn = t.db.pool().acquire().await.unwrap();
    let id = saved_insert(
        &mut conn,
        UserId(1),
        "Zgody co miesiąc",
        "zbior=zgody&grupuj=miesiac",
    )
    .await
    .unwrap();
    let again = saved_insert(&mut conn, UserId(1), "Zgody co miesiąc", "zbior=zgody").await;
    assert!(matches!(again, Err(StoreError::Refused(_))), "{again:?}");
    let list = saved_list(&mut conn).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].created_by.as_deref(), Some("Kierownik"));
    saved_delete(&mut conn, id).await.unwrap();
    assert!(matches!(
        saved_delete(&mut conn, id).await,
        Err(StoreError::NotFound)
    ));
});

#[test]
fn periods_are_warsaw_days_iso_weeks_and_months() {
    // 2026-03-29 00:30 UTC is 01:30 CET, the day summer time starts.
    assert_eq!(
        period(Grouping::Day, at("2026-03-29", 0) + HOUR / 2),
        "2026-03-29"
    );
    // 22:30 UTC on 30 June is 00:30 on 1 July in summer time.
    assert_eq!(
        period(Grouping::Day, at("2026-06-30", 22) + HOUR / 2),
        "2026-07-01"
    );
    assert_eq!(
        period(Grouping::Month, at("2026-06-30", 22) + HOUR / 2),
        "2026-07"
    );
    // ISO weeks: 2026-01-01 is a Thursday (week 1); 2027-01-01 is a Friday (week 53 of 2026).
    assert_eq!(period(Grouping::Week, at("2026-01-01", 12)), "2026-W01");
    assert_eq!(period(Grouping::Week, at("2026-11-30", 12)), "2026-W49");
    assert_eq!(period(Grouping::Week, at("2027-01-01", 12)), "2026-W53");
    assert_eq!(period(Grouping::Week, at("2027-01-04", 12)), "2027-W01");
}

store_test!(the_managers_home_counts_what_needs_action, |t| async move {
    people(&t, &["Kierownik"]).await;
    let now = at("2026-11-30", 12);
    for (state, deadline) in [
        ("pending", now + 3 * DAY),
        ("pending", now - DAY),
        ("pending", now + 20 * DAY),
        ("approved", now - 5 * DAY),
    ] {
        let c = contact(&t).await;
        t.exec(&format!(
            "INSERT INTO erasure_requests (contact_id, ground, state, previous_state, \
             requested_by, requested_at, deadline_at, updated_at) VALUES \
             ({c}, 'objection', '{state}', 'active', 1, {now}, {deadline}, {now})"
        ))
        .await;
    }
    t.exec(
        "INSERT INTO recipients (id, name, role, internal, created_at) VALUES (4, 'Organizacja', 'controller', 1, 0)",
    )
    .await;
    for (id, status) in [(1, "running"), (2, "queued"), (3, "done"), (4, "streamed")] {
        t.exec(&format!(
            "INSERT INTO disclosures (id, recipient_id, fields, legal_basis, purpose, disclosed_by, \
             disclosed_at) VALUES ({id}, 4, 'city', 'legitimate_interest', 'analiza', 1, {now})"
        ))
        .await;
        t.exec(&format!(
            "INSERT INTO exports (disclosure_id, filter, columns, format, encoding, delimiter, \
             row_count, status, created_by, created_at) VALUES \
             ({id}, '', 'city', 'csv', 'utf-8', ';', 10, '{status}', 1, {now})"
        ))
        .await;
    }
    for (rejected, confirmed) in [(2, "NULL"), (0, "NULL"), (3, "5")] {
        t.exec(&format!(
            "INSERT INTO imports (file_name, format, encoding, status, master_key_id, rejected, \
             confirmed_at, created_at, updated_at) VALUES \
             ('baza.csv', 'delimited', 'utf-8', 'done', 1, {rejected}, {confirmed}, 1, 1)"
        ))
        .await;
    }
    for (deadline, delivered) in [(now - DAY, "NULL"), (now + DAY, "NULL"), (now - DAY, "5")] {
        let c = contact(&t).await;
        t.exec(&format!(
            "INSERT INTO access_requests (contact_id, kind, requested_at, deadline_at, delivered_at) \
             VALUES ({c}, 'access', {now}, {deadline}, {delivered})"
        ))
        .await;
    }
    let mut conn = t.db.pool().acquire().await.unwrap();
    let c = crate::reports::counters::counters(&mut conn, now)
        .await
        .unwrap();
    assert_eq!(
        c,
        crate::reports::model::ManagerCounters {
            erasure_waiting: 3,
            erasure_due_soon: 1,
            erasure_overdue: 1,
            exports_running: 2,
            imports_with_rejects: 1,
            access_waiting: 2,
            access_overdue: 1,
        }
    );
});
