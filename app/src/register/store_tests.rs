//! The register on both databases: generated from definitions, cases, recipients and
//! retention rules; completed by a manager; a saved version stays as it was.

use super::model::CASES_KEY;
use super::store::{generate, save_purpose, save_settings, save_version, version, versions};
use crate::ids::UserId;
use crate::store_error::StoreError;
use crate::test_db::{store_test, TestDb};

const MANAGER: UserId = UserId(1);

async fn seed(t: &TestDb) {
    t.exec(
        "INSERT INTO users (id, login, display_name, role, password_hash, password_changed_at, \
         created_at) VALUES (1, 'k', 'Kierownik', 'manager', '-', 0, 0)",
    )
    .await;
    t.exec(
        "INSERT INTO consent_definitions (id, name, purpose, legal_basis, channel, marketing, \
         created_at, updated_at) VALUES (5, 'Newsletter', 'wysyłka newslettera', 'consent', \
         'email', 1, 0, 0)",
    )
    .await;
    t.exec(
        "INSERT INTO consent_definitions (id, name, purpose, legal_basis, channel, marketing, \
         active, created_at, updated_at) VALUES (6, 'Stara promocja', 'promocja 2020', \
         'legitimate_interest', 'call', 1, 0, 0, 0)",
    )
    .await;
    t.exec(
        "INSERT INTO retention_rules (name, scope, definition_id, months, days, outcome, \
         created_at, updated_at) VALUES ('Newsletter po wycofaniu', 'consent', 5, 0, 30, 'erase', 0, 0)",
    )
    .await;
    t.exec(
        "INSERT INTO retention_rules (name, scope, months, outcome, created_at, updated_at) \
         VALUES ('Sprawy', 'cases', 24, 'queue', 0, 0)",
    )
    .await;
    t.exec(
        "INSERT INTO retention_rules (name, scope, months, outcome, created_at, updated_at) \
         VALUES ('Bez celu', 'no_purpose', 6, 'queue', 0, 0)",
    )
    .await;
    t.exec(
        "INSERT INTO recipients (id, name, role, transfer, created_at) VALUES \
         (2, 'Chmura Sp. z o.o.', 'processor', 'USA — standardowe klauzule umowne', 0)",
    )
    .await;
    t.exec(
        "INSERT INTO processor_agreements (recipient_id, subject_duration, nature_purpose, \
         data_types, subject_categories, obligations_rights, signed_on, created_at) VALUES \
         (2, 'hosting', 'przechowywanie', 'kontaktowe', 'klienci', 'art. 28', '2026-02-01', 0)",
    )
    .await;
}

/// Saves a version the way the endpoint does: in a write transaction.
async fn saved(t: &TestDb, now: i64) -> i64 {
    let mut tx = t.db.begin_write().await.unwrap();
    let v = save_version(&mut tx, t.db.backend(), MANAGER, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    v
}

store_test!(
    the_register_is_built_from_what_zgoda_knows,
    |t| async move {
        seed(&t).await;
        let mut conn = t.db.pool().acquire().await.unwrap();
        let doc = generate(&mut conn, 1_000).await.unwrap();
        let keys: Vec<&str> = doc.activities.iter().map(|a| a.key.as_str()).collect();
        // Active definitions first, the inactive one kept and marked, then cases.
        assert_eq!(keys, vec!["zgoda-5", "zgoda-6", CASES_KEY]);
        let newsletter = &doc.activities[0];
        assert_eq!(newsletter.legal_basis, "zgoda (art. 6 ust. 1 lit. a)");
        assert_eq!(newsletter.purpose, "wysyłka newslettera");
        assert_eq!(newsletter.data_categories, "imię i nazwisko, adres e-mail");
        assert!(newsletter.data_suggested && newsletter.people_suggested);
        assert_eq!(newsletter.retention.len(), 1);
        assert!(newsletter.retention[0].starts_with("Newsletter po wycofaniu: 0 mies., 30 dni"));
        assert!(!doc.activities[1].active);
        assert_eq!(
            doc.activities[1].data_categories,
            "imię i nazwisko, numer telefonu"
        );
        let cases = &doc.activities[2];
        assert_eq!(cases.retention.len(), 1);
        assert!(cases.retention[0].starts_with("Sprawy: 24 mies."));
        assert_eq!(doc.other_retention.len(), 1);
        assert!(doc.other_retention[0].starts_with("Bez celu: 6 mies."));
        assert_eq!(doc.recipients.len(), 1);
        assert_eq!(doc.recipients[0].agreement_signed_on, "2026-02-01");
        assert_eq!(
            doc.recipients[0].transfer,
            "USA — standardowe klauzule umowne"
        );
        assert_eq!(doc.recipients[0].role, "podmiot przetwarzający");
    }
);

store_test!(
    a_saved_version_keeps_the_register_as_it_stood,
    |t| async move {
        seed(&t).await;
        let mut conn = t.db.pool().acquire().await.unwrap();
        save_settings(
            &mut conn,
            MANAGER,
            "Call Center S.A., Łódź",
            "iod@example.pl",
            "szyfrowanie",
        )
        .await
        .unwrap();
        save_purpose(
            &mut conn,
            MANAGER,
            "zgoda-5",
            "adres e-mail",
            "subskrybenci",
        )
        .await
        .unwrap();
        let first = saved(&t, 2_000).await;
        assert_eq!(first, 1);

        // Later edits change the register, not the saved version.
        save_purpose(
            &mut conn,
            MANAGER,
            "zgoda-5",
            "adres e-mail, imię",
            "subskrybenci",
        )
        .await
        .unwrap();
        save_settings(&mut conn, MANAGER, "Call Center S.A.", "", "")
            .await
            .unwrap();
        let now = generate(&mut conn, 3_000).await.unwrap();
        assert_eq!(now.activities[0].data_categories, "adres e-mail, imię");
        assert!(!now.activities[0].data_suggested && !now.activities[0].people_suggested);
        assert_eq!(now.controller, "Call Center S.A.");

        let (v, doc) = version(&mut conn, 1).await.unwrap();
        assert_eq!((v.version, v.created_at), (1, 2_000));
        assert_eq!(v.created_by.as_deref(), Some("Kierownik"));
        assert_eq!(doc.controller, "Call Center S.A., Łódź");
        assert_eq!(doc.dpo, "iod@example.pl");
        assert_eq!(doc.activities[0].data_categories, "adres e-mail");
        assert_eq!(doc.activities[0].subject_categories, "subskrybenci");

        assert_eq!(saved(&t, 4_000).await, 2);
        let list = versions(&mut conn).await.unwrap();
        assert_eq!(
            list.iter().map(|v| v.version).collect::<Vec<_>>(),
            vec![2, 1]
        );
        assert!(matches!(
            version(&mut conn, 9).await,
            Err(StoreError::NotFound)
        ));
    }
);

store_test!(additions_only_for_purposes_that_exist, |t| async move {
    seed(&t).await;
    let mut conn = t.db.pool().acquire().await.unwrap();
    for key in ["zgoda-99", "zgoda-x", "cokolwiek", ""] {
        let r = save_purpose(&mut conn, MANAGER, key, "dane", "osoby").await;
        assert!(matches!(r, Err(StoreError::NotFound)), "{key}: {r:?}");
    }
    save_purpose(&mut conn, MANAGER, CASES_KEY, "dane", "osoby")
        .await
        .unwrap();
});
