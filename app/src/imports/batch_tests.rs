//! The import's batch builder on its own, on both databases: what a batch decides for
//! each row against what is stored and what the batches before it added.

use super::batch::{build, BatchContext, InFlight, Read};
use super::model::DuplicateMode;
use super::prepare::{Candidate, Note, Outcome};
use crate::contacts::model::{Channel, ContactData};
use crate::i18n::Msg;
use crate::test_db::{store_test, TestDb};

fn person(last_name: &str, phone: &str) -> Candidate {
    let data = ContactData {
        first_name: "Ala".into(),
        last_name: last_name.into(),
        phones: vec![Channel {
            id: None,
            value: phone.into(),
            for_call: true,
            ..Channel::default()
        }],
        ..ContactData::default()
    };
    Candidate {
        valid: crate::contacts::validate::validate(&data).expect("valid"),
        flagged: Vec::new(),
        notes: Vec::new(),
        repaired: 0,
        phone_columns: vec!["Telefon".into()],
        email_columns: Vec::new(),
    }
}

fn rows(people: &[(&str, &str)]) -> Vec<Read> {
    people
        .iter()
        .enumerate()
        .map(|(i, (name, phone))| Read {
            line: i as i64 + 2,
            raw: format!("Ala;{name};{phone}"),
            outcome: Outcome::Contact(Box::new(person(name, phone))),
        })
        .collect()
}

async fn stored(t: &TestDb, last_name: &str, phone: &str) -> crate::ids::ContactId {
    let valid = person(last_name, phone).valid;
    let mut tx = t.db.begin_write().await.unwrap();
    let (id, _) = crate::contacts::store::insert(&mut tx, &t.vault, None, None, &valid)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

fn context(t: &TestDb, duplicates: DuplicateMode) -> BatchContext<'_> {
    BatchContext {
        db: &t.db,
        vault: &t.vault,
        duplicates,
        consents: 1,
    }
}

store_test!(
    a_stored_phone_makes_the_row_an_update_of_that_contact,
    |t| async move {
        let known = stored(&t, "Stara", "600 100 200").await;
        let mut flight = InFlight::default();
        let batch = build(
            &context(&t, DuplicateMode::Update),
            rows(&[("Nowa", "601 000 001"), ("Stara-Nowa", "+48 600 100 200")]),
            &mut flight,
            3,
            100,
        )
        .await
        .unwrap();
        assert_eq!(batch.new.len(), 1);
        assert_eq!(batch.updates.len(), 1);
        assert_eq!(batch.updates[0].contact_id, known);
        assert_eq!(batch.updates[0].line, 3);
        assert_eq!(
            (batch.rows_done, batch.bytes_done),
            (3, 100),
            "the checkpoint"
        );
        let new = &batch.new[0];
        assert_ne!(new.id, known, "a reserved id of its own");
        assert_eq!(
            new.event_ids.len(),
            1,
            "one consent event per batch consent"
        );
        assert!(!new.wrapped_key.is_empty(), "its data key is sealed");
    }
);

store_test!(
    a_duplicate_is_skipped_when_the_manager_said_so,
    |t| async move {
        stored(&t, "Stara", "600 100 200").await;
        let batch = build(
            &context(&t, DuplicateMode::Skip),
            rows(&[("Stara", "600100200")]),
            &mut InFlight::default(),
            2,
            50,
        )
        .await
        .unwrap();
        assert!(batch.new.is_empty() && batch.updates.is_empty());
        assert_eq!(batch.counters.duplicates, 1);
    }
);

store_test!(
    a_row_repeating_an_earlier_row_of_the_file_updates_it,
    |t| async move {
        let mut flight = InFlight::default();
        let ctx = context(&t, DuplicateMode::Update);
        // The same person twice in one batch: added once, then updated.
        let first = build(
            &ctx,
            rows(&[("Nowak", "602 000 002"), ("Nowak-Kowalska", "602000002")]),
            &mut flight,
            3,
            60,
        )
        .await
        .unwrap();
        assert_eq!(first.new.len(), 1);
        assert_eq!(first.updates.len(), 1);
        assert_eq!(first.updates[0].contact_id, first.new[0].id);
        // And again in the next batch, before the writer committed the first one.
        let second = build(&ctx, rows(&[("Nowak", "602 000 002")]), &mut flight, 4, 80)
            .await
            .unwrap();
        assert!(second.new.is_empty());
        assert_eq!(second.updates[0].contact_id, first.new[0].id);
    }
);

store_test!(
    a_person_waiting_for_erasure_is_refused_and_nothing_kept,
    |t| async move {
        let waiting = stored(&t, "Zapomniana", "603 000 003").await;
        sqlx::query("UPDATE contacts SET state = 'erasure_pending' WHERE id = $1")
            .bind(waiting)
            .execute(t.db.pool())
            .await
            .unwrap();
        let batch = build(
            &context(&t, DuplicateMode::Update),
            rows(&[("Zapomniana", "603000003")]),
            &mut InFlight::default(),
            2,
            40,
        )
        .await
        .unwrap();
        assert!(batch.new.is_empty() && batch.updates.is_empty());
        assert_eq!(batch.counters.erased_skipped, 1);
        let reject = &batch.rejects[0];
        assert_eq!(reject.note.reason, Msg::ErrImportErasurePending);
        assert_eq!(reject.note.column, "Telefon");
        assert!(reject.raw.is_none(), "the row is not kept for the download");
    }
);

store_test!(
    a_restricted_person_is_not_updated_and_nothing_kept,
    |t| async move {
        let restricted = stored(&t, "Ograniczona", "604 000 004").await;
        sqlx::query("UPDATE contacts SET state = 'restricted' WHERE id = $1")
            .bind(restricted)
            .execute(t.db.pool())
            .await
            .unwrap();
        let batch = build(
            &context(&t, DuplicateMode::Update),
            rows(&[("Ograniczona", "604000004")]),
            &mut InFlight::default(),
            2,
            40,
        )
        .await
        .unwrap();
        assert!(batch.new.is_empty() && batch.updates.is_empty());
        let reject = &batch.rejects[0];
        assert_eq!(reject.note.reason, Msg::ErrImportRestricted);
        assert!(reject.raw.is_none(), "the row is not kept for the download");
    }
);

store_test!(
    rejected_rows_are_counted_and_kept_for_the_download,
    |t| async move {
        let note = Note {
            column: "E-mail".into(),
            reason: Msg::ErrEmailInvalid,
        };
        let batch = build(
            &context(&t, DuplicateMode::Update),
            vec![Read {
                line: 7,
                raw: "Ewa;zly-mail".into(),
                outcome: Outcome::Rejected(vec![note.clone()]),
            }],
            &mut InFlight::default(),
            7,
            90,
        )
        .await
        .unwrap();
        assert_eq!(batch.counters.rejected, 1);
        assert_eq!(batch.rejects.len(), 1);
        assert_eq!(batch.rejects[0].note, note);
        assert_eq!(batch.rejects[0].raw.as_deref(), Some("Ewa;zly-mail"));
    }
);
