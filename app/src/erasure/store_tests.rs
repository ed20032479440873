//! The erasure store on its own, on both databases: what an approval changes, and what
//! stops it.

use super::model::Ground;
use super::store::{add_hold, approve, request};
use crate::contacts::model::{Channel, ContactData};
use crate::ids::{ContactId, ErasureRequestId, UserId};
use crate::store_error::{Refusal, StoreError};
use crate::test_db::{store_test, TestDb};

const MANAGER: UserId = UserId(1);

async fn pending(t: &TestDb, last_name: &str) -> (ContactId, ErasureRequestId) {
    t.exec(
        "INSERT INTO users (id, login, display_name, role, password_hash, password_changed_at, \
         created_at) VALUES (1, 'kierownik', 'Kierownik', 'manager', '-', 0, 0) \
         ON CONFLICT (id) DO NOTHING",
    )
    .await;
    let data = ContactData {
        first_name: "Ala".into(),
        last_name: last_name.into(),
        phones: vec![Channel {
            id: None,
            value: "600 700 800".into(),
            for_call: true,
            for_sms: false,
            for_email: false,
        }],
        ..ContactData::default()
    };
    let valid = crate::contacts::validate::validate(&data).expect("valid");
    let mut tx = t.db.begin_write().await.unwrap();
    let (contact, _) =
        crate::contacts::store::insert(&mut tx, &t.vault, Some(MANAGER), None, &valid)
            .await
            .unwrap();
    let request = request(&mut tx, MANAGER, contact, None, Ground::ConsentWithdrawn)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (contact, request)
}

async fn scalar(t: &TestDb, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(t.db.pool())
        .await
        .unwrap()
}

store_test!(an_approval_erases_and_is_registered, |t| async move {
    let (contact, req) = pending(&t, "Zapomniana").await;
    let mut tx = t.db.begin_write().await.unwrap();
    assert_eq!(
        approve(&mut tx, &t.vault, MANAGER, req).await.unwrap(),
        contact
    );
    tx.commit().await.unwrap();

    let keys =
        "SELECT COUNT(*) FROM contact_keys WHERE contact_id = $1 AND wrapped_key IS NOT NULL";
    assert_eq!(
        scalar(&t, keys, contact.get()).await,
        0,
        "the data key is destroyed"
    );
    let tokens = "SELECT COUNT(*) FROM contact_index WHERE contact_id = $1";
    assert_eq!(
        scalar(&t, tokens, contact.get()).await,
        0,
        "no blind index is left"
    );
    let erased = "SELECT COUNT(*) FROM contacts WHERE id = $1 AND state = 'erased' \
                  AND last_name IS NULL";
    assert_eq!(scalar(&t, erased, contact.get()).await, 1);
    let suppressed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM suppression")
        .fetch_one(t.db.pool())
        .await
        .unwrap();
    assert_eq!(suppressed, 1, "the phone's token is suppressed");
    let register = t
        .vault
        .erased_register()
        .expect("a register beside the keyring");
    let lines = std::fs::read_to_string(register).unwrap();
    assert!(lines.contains(&format!("erased {contact} ")), "{lines}");

    // Decided once: a second approval is a conflict, not a second erasure.
    let mut tx = t.db.begin_write().await.unwrap();
    assert!(matches!(
        approve(&mut tx, &t.vault, MANAGER, req).await,
        Err(StoreError::Refused(Refusal::ErasureDecided))
    ));
});

store_test!(a_legal_hold_stops_an_approval, |t| async move {
    let (contact, req) = pending(&t, "Wstrzymana").await;
    let mut tx = t.db.begin_write().await.unwrap();
    add_hold(
        &mut tx,
        MANAGER,
        contact,
        "Postępowanie sądowe",
        "2030-01-01",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut tx = t.db.begin_write().await.unwrap();
    assert!(matches!(
        approve(&mut tx, &t.vault, MANAGER, req).await,
        Err(StoreError::Refused(Refusal::LegalHold))
    ));
    drop(tx);
    let state = "SELECT COUNT(*) FROM erasure_requests WHERE id = $1 AND state = 'pending'";
    assert_eq!(scalar(&t, state, req.get()).await, 1, "the request waits");
    let keys =
        "SELECT COUNT(*) FROM contact_keys WHERE contact_id = $1 AND wrapped_key IS NOT NULL";
    assert_eq!(
        scalar(&t, keys, contact.get()).await,
        1,
        "nothing was erased"
    );
});
