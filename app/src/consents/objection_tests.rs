//! Objections (Art. 21(1)) and the purpose check on their own, on both databases.

use super::check::check_purpose;
use super::model::{BlockReason, ConsentChannel, Definition, LegalBasis, ObjectionLift, Purpose};
use super::objection::{history, in_force, lift, open_for, record};
use crate::contacts::model::{Channel, ContactData};
use crate::ids::{ContactId, DefinitionId, UserId};
use crate::store_error::{Refusal, StoreError};
use crate::test_db::{store_test, TestDb};

const CONSULTANT: UserId = UserId(1);

async fn consultant(t: &TestDb) {
    t.exec(
        "INSERT INTO users (id, login, display_name, role, password_hash, password_changed_at, \
         created_at) VALUES (1, 'konsultantka', 'Konsultantka Ola', 'consultant', '-', 0, 0) \
         ON CONFLICT (id) DO NOTHING",
    )
    .await;
}

async fn setup(t: &TestDb) -> (ContactId, DefinitionId, DefinitionId) {
    consultant(t).await;
    let data = ContactData {
        first_name: "Celina".into(),
        last_name: "Sprzeciwska".into(),
        phones: vec![Channel {
            value: "600100300".into(),
            for_call: true,
            ..Channel::default()
        }],
        ..ContactData::default()
    };
    let valid = crate::contacts::validate::validate(&data).expect("valid");
    let mut tx = t.db.begin_write().await.unwrap();
    let (id, _) = crate::contacts::store::insert(&mut tx, &t.vault, Some(CONSULTANT), None, &valid)
        .await
        .unwrap();
    let survey = Definition {
        name: "Badanie satysfakcji".into(),
        statement: "Możemy zadzwonić z pytaniem o ocenę obsługi.".into(),
        purpose: "Badanie satysfakcji".into(),
        legal_basis: LegalBasis::LegitimateInterest,
        balancing_note: "Krótka ankieta.".into(),
        channel: ConsentChannel::Call,
        active: true,
        ..Definition::default()
    };
    let survey = super::store::save_definition(&mut tx, CONSULTANT, &survey)
        .await
        .unwrap();
    let processing = Definition {
        name: "Przetwarzanie".into(),
        statement: "Wyrażam zgodę.".into(),
        purpose: "Obsługa".into(),
        legal_basis: LegalBasis::Consent,
        active: true,
        ..Definition::default()
    };
    let processing = super::store::save_definition(&mut tx, CONSULTANT, &processing)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (id, survey, processing)
}

store_test!(
    an_objection_opens_once_stops_its_purpose_and_closes_with_its_ground,
    |t| async move {
        let (id, survey, processing) = setup(&t).await;
        let mut conn = t.db.pool().acquire().await.unwrap();
        let (check, _) = check_purpose(
            &mut conn,
            id,
            ConsentChannel::Call,
            Purpose::Service,
            survey,
        )
        .await
        .unwrap();
        assert!(check.allowed, "{check:?}");
        assert!(record(&mut conn, CONSULTANT, id, survey).await.unwrap());
        assert!(
            !record(&mut conn, CONSULTANT, id, survey).await.unwrap(),
            "once"
        );
        assert!(in_force(&mut conn, id, survey).await.unwrap());
        assert_eq!(open_for(&mut conn, id).await.unwrap().len(), 1);
        let (check, _) = check_purpose(
            &mut conn,
            id,
            ConsentChannel::Call,
            Purpose::Service,
            survey,
        )
        .await
        .unwrap();
        assert_eq!(check.reason, Some(BlockReason::Objection));

        lift(&mut conn, CONSULTANT, id, survey, ObjectionLift::Withdrawn)
            .await
            .unwrap();
        assert!(!in_force(&mut conn, id, survey).await.unwrap());
        assert!(matches!(
            lift(&mut conn, CONSULTANT, id, survey, ObjectionLift::Withdrawn).await,
            Err(StoreError::Refused(Refusal::Field {
                field: "definition_id",
                ..
            }))
        ));
        let past = history(&mut conn, id).await.unwrap();
        assert_eq!(past.len(), 1);
        assert_eq!(past[0].recorded_by.as_deref(), Some("Konsultantka Ola"));
        assert_eq!(
            past[0].lifted.as_ref().map(|l| l.2),
            Some(ObjectionLift::Withdrawn)
        );
        // A second objection after the first was lifted opens a new row.
        assert!(record(&mut conn, CONSULTANT, id, survey).await.unwrap());
        let past = history(&mut conn, id).await.unwrap();
        assert_eq!(past.len(), 2);
        assert!(past[0].lifted.is_none(), "newest first");

        // A consent is withdrawn, not objected to; its purpose needs the grant.
        assert!(matches!(
            record(&mut conn, CONSULTANT, id, processing).await,
            Err(StoreError::Refused(Refusal::Field {
                field: "definition_id",
                ..
            }))
        ));
        let (check, _) = check_purpose(
            &mut conn,
            id,
            ConsentChannel::Call,
            Purpose::Service,
            processing,
        )
        .await
        .unwrap();
        assert_eq!(check.reason, Some(BlockReason::NoConsent));
        assert!(matches!(
            record(&mut conn, CONSULTANT, ContactId(999_999), survey).await,
            Err(StoreError::NotFound)
        ));
    }
);

store_test!(
    the_example_set_is_created_only_while_no_definition_exists,
    |t| async move {
        consultant(&t).await;
        let set = crate::consents::examples::examples();
        let mut tx = t.db.begin_write().await.unwrap();
        let ids = crate::consents::store::define_first(&mut tx, t.db.backend(), CONSULTANT, &set)
            .await
            .unwrap()
            .expect("an empty table takes the set");
        tx.commit().await.unwrap();
        assert_eq!(ids.len(), set.len());
        let mut tx = t.db.begin_write().await.unwrap();
        let again = crate::consents::store::define_first(&mut tx, t.db.backend(), CONSULTANT, &set)
            .await
            .unwrap();
        assert_eq!(again, None);
        let defs = crate::consents::store::definitions(&mut tx, false)
            .await
            .unwrap();
        assert_eq!(defs.len(), set.len());
        assert!(defs.iter().any(|d| d.sharing && d.name == set[4].name));
    }
);
