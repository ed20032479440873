//! The restriction store on its own, on both databases: the state it sets, the record
//! it keeps, what it refuses, and what an erasure leaves of it.

use super::model::RestrictionGround;
use super::store::{current, history, lift, restrict};
use crate::contacts::model::ContactData;
use crate::ids::{ContactId, UserId};
use crate::store_error::{Refusal, StoreError};
use crate::test_db::{store_test, TestDb};

const CONSULTANT: UserId = UserId(1);

async fn contact(t: &TestDb) -> ContactId {
    t.exec(
        "INSERT INTO users (id, login, display_name, role, password_hash, password_changed_at, \
         created_at) VALUES (1, 'konsultantka', 'Konsultantka Ola', 'consultant', '-', 0, 0) \
         ON CONFLICT (id) DO NOTHING",
    )
    .await;
    let data = ContactData {
        first_name: "Grzegorz".into(),
        last_name: "Brzęczyszczykiewicz".into(),
        ..ContactData::default()
    };
    let valid = crate::contacts::validate::validate(&data).expect("valid");
    let mut tx = t.db.begin_write().await.unwrap();
    let (id, _) = crate::contacts::store::insert(&mut tx, &t.vault, Some(CONSULTANT), None, &valid)
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
    a_restriction_sets_the_state_and_keeps_its_sealed_note,
    |t| async move {
        let id = contact(&t).await;
        let mut tx = t.db.begin_write().await.unwrap();
        restrict(
            &mut tx,
            &t.vault,
            CONSULTANT,
            id,
            RestrictionGround::Accuracy,
            "Kwestionuje numer PESEL",
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(state(&t, id).await, "restricted");

        let mut conn = t.db.pool().acquire().await.unwrap();
        let key = crate::vault::store::load_key(&mut conn, &t.vault, id)
            .await
            .unwrap();
        let status = current(&mut conn, key.as_ref(), id)
            .await
            .unwrap()
            .expect("in force");
        assert_eq!(status.ground, RestrictionGround::Accuracy);
        assert_eq!(status.note, "Kwestionuje numer PESEL");
        assert_eq!(status.restricted_by.as_deref(), Some("Konsultantka Ola"));
        // The note is sealed: its bytes in the row are not the text.
        let raw: Vec<u8> =
            sqlx::query_scalar("SELECT note FROM restrictions WHERE contact_id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert!(!raw.windows(10).any(|w| w == b"Kwestionuj"));
    }
);

store_test!(
    restricting_twice_or_lifting_what_is_not_restricted_is_refused,
    |t| async move {
        let id = contact(&t).await;
        let mut tx = t.db.begin_write().await.unwrap();
        let refused = lift(&mut tx, &t.vault, CONSULTANT, id, "")
            .await
            .unwrap_err();
        assert!(
            matches!(refused, StoreError::Refused(Refusal::NotRestricted)),
            "{refused:?}"
        );
        restrict(
            &mut tx,
            &t.vault,
            CONSULTANT,
            id,
            RestrictionGround::Objection,
            "",
        )
        .await
        .unwrap();
        let again = restrict(
            &mut tx,
            &t.vault,
            CONSULTANT,
            id,
            RestrictionGround::Unlawful,
            "",
        )
        .await
        .unwrap_err();
        assert!(
            matches!(again, StoreError::Refused(Refusal::AlreadyRestricted)),
            "{again:?}"
        );
        let missing = restrict(
            &mut tx,
            &t.vault,
            CONSULTANT,
            ContactId(999_999),
            RestrictionGround::Accuracy,
            "",
        )
        .await
        .unwrap_err();
        assert!(matches!(missing, StoreError::NotFound), "{missing:?}");
        tx.commit().await.unwrap();
    }
);

store_test!(
    lifting_makes_the_contact_active_and_both_steps_stay_on_record,
    |t| async move {
        let id = contact(&t).await;
        let mut tx = t.db.begin_write().await.unwrap();
        restrict(
            &mut tx,
            &t.vault,
            CONSULTANT,
            id,
            RestrictionGround::LegalClaims,
            "",
        )
        .await
        .unwrap();
        lift(
            &mut tx,
            &t.vault,
            CONSULTANT,
            id,
            "Poinformowana telefonicznie",
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(state(&t, id).await, "active");
        let mut conn = t.db.pool().acquire().await.unwrap();
        assert!(current(&mut conn, None, id).await.unwrap().is_none());
        let events = history(&mut conn, id).await.unwrap();
        assert_eq!(events.len(), 1);
        let (ground, _, by, lifted_at, lifted_by) = &events[0];
        assert_eq!(ground, "legal_claims");
        assert_eq!(by.as_deref(), Some("Konsultantka Ola"));
        assert!(lifted_at.is_some());
        assert_eq!(lifted_by.as_deref(), Some("Konsultantka Ola"));
        // A new restriction may follow the lifted one.
        drop(conn);
        let mut tx = t.db.begin_write().await.unwrap();
        restrict(
            &mut tx,
            &t.vault,
            CONSULTANT,
            id,
            RestrictionGround::Accuracy,
            "",
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(state(&t, id).await, "restricted");
    }
);

store_test!(
    a_contact_waiting_for_erasure_is_not_restricted,
    |t| async move {
        let id = contact(&t).await;
        let mut tx = t.db.begin_write().await.unwrap();
        crate::erasure::store::request(
            &mut tx,
            CONSULTANT,
            id,
            None,
            crate::erasure::model::Ground::NoLongerNeeded,
        )
        .await
        .unwrap();
        let refused = restrict(
            &mut tx,
            &t.vault,
            CONSULTANT,
            id,
            RestrictionGround::Accuracy,
            "",
        )
        .await
        .unwrap_err();
        assert!(
            matches!(
                refused,
                StoreError::Refused(Refusal::ErasurePendingNoRestriction)
            ),
            "{refused:?}"
        );
        tx.commit().await.unwrap();
    }
);

store_test!(
    an_erasure_empties_the_notes_and_keeps_the_dates,
    |t| async move {
        let id = contact(&t).await;
        let mut tx = t.db.begin_write().await.unwrap();
        restrict(
            &mut tx,
            &t.vault,
            CONSULTANT,
            id,
            RestrictionGround::Unlawful,
            "Pisała z adresu ala@example.pl",
        )
        .await
        .unwrap();
        crate::erasure::store::erase_contact(&mut tx, &t.vault, id)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let notes: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM restrictions WHERE contact_id = $1 AND note IS NOT NULL",
        )
        .bind(id)
        .fetch_one(t.db.pool())
        .await
        .unwrap();
        assert_eq!(notes, 0);
        let mut conn = t.db.pool().acquire().await.unwrap();
        // Nothing is left to restrict: the erased contact shows no restriction in force.
        assert!(current(&mut conn, None, id).await.unwrap().is_none());
        assert!(!crate::restriction::store::in_force(&mut conn, id)
            .await
            .unwrap());
        assert_eq!(history(&mut conn, id).await.unwrap().len(), 1);
    }
);
