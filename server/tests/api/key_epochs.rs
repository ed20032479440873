//! Master-key epochs on both databases: the scheduled rotation replaces the current key
//! after its period, keeps the old one for the retirement window (recent backups stay
//! readable) and then removes it from the keyring, after which a backup from its epoch
//! cannot be opened; one node at a time runs it; and a rotation never retires a key that
//! an open transaction has just wrapped a data key under.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use app::auth::Role;
use app::db::Db;
use app::ids::{ContactId, MasterKeyId};
use app::vault::epochs::{self, Policy};
use app::vault::{keyring, KeySource, Vault};
use serde_json::json;

const DAY_MS: i64 = 86_400_000;

fn masters_in_file(app: &common::TestApp) -> Vec<i64> {
    let ring = keyring::read_file(&app.keyring).unwrap();
    ring.master_ids()
        .into_iter()
        .map(MasterKeyId::get)
        .collect()
}

async fn key_row(db: &Db, contact: impl Into<i64>) -> (i64, Vec<u8>) {
    let contact: i64 = contact.into();
    sqlx::query_as("SELECT master_key_id, wrapped_key FROM contact_keys WHERE contact_id = $1")
        .bind(contact)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

both_backends!(
    old_master_keys_leave_the_keyring_after_the_window,
    |app| async move {
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let id = consultant
            .contact_save(json!({"data": {"last_name": "Epokowa"}}))
            .await;
        // A backup made today: its data key is wrapped under master key 1.
        let backup = app.backup().await;
        let (master, old_wrapped) = key_row(&app.db, id).await;
        assert_eq!(master, 1);
        let vault = &app.state.vault;
        let policy = Policy::days(30, 35);
        let now = app::db::now_ms();

        let early = epochs::scheduled(&app.db, vault, policy, "node-a", now + 10 * DAY_MS)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(early, epochs::Scheduled::default(), "nothing is due yet");

        let month = epochs::scheduled(&app.db, vault, policy, "node-a", now + 31 * DAY_MS)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(month.rotated_to, Some(MasterKeyId(2)));
        assert!(month.retired.is_empty());
        assert_eq!(masters_in_file(&app), vec![1, 2]);
        assert_eq!(
            key_row(&app.db, id).await.0,
            2,
            "re-wrapped under the new key"
        );
        assert!(
            vault
                .unwrap(ContactId(id), MasterKeyId(1), 1, Some(&old_wrapped))
                .unwrap()
                .is_some(),
            "within the window, last month's backup still opens"
        );

        // Another node finds the job taken while this one holds it.
        assert!(
            epochs::claim(&app.db, epochs::ROTATION_JOB, "node-a", now + 36 * DAY_MS)
                .await
                .unwrap()
        );
        assert!(
            epochs::scheduled(&app.db, vault, policy, "node-b", now + 36 * DAY_MS)
                .await
                .unwrap()
                .is_none()
        );
        epochs::release(&app.db, epochs::ROTATION_JOB, "node-a")
            .await
            .unwrap();

        let window = epochs::scheduled(&app.db, vault, policy, "node-b", now + 36 * DAY_MS)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            window.rotated_to, None,
            "key 2 is only 36 days minus 31 old"
        );
        assert_eq!(window.retired, vec![MasterKeyId(1)]);
        assert_eq!(
            masters_in_file(&app),
            vec![2],
            "key 1 left the keyring file"
        );
        assert!(
            vault
                .unwrap(ContactId(id), MasterKeyId(1), 1, Some(&old_wrapped))
                .is_err(),
            "a data key wrapped only under the retired key cannot be opened"
        );
        // The live contact reads on; the old backup does not open at all.
        let card = consultant.contact_card(id).await;
        assert_eq!(card["data"]["last_name"], "Epokowa");
        let restored = Db::connect(&backup.url, 2).await.unwrap();
        restored.migrate().await.unwrap();
        let refused = Vault::open(KeySource::File(app.keyring.clone()), &restored).await;
        assert!(
            matches!(
                refused,
                Err(app::vault::VaultError::MasterMissing {
                    id: MasterKeyId(1),
                    ..
                })
            ),
            "{refused:?}"
        );
        restored.close().await;
    }
);

both_backends!(
    a_key_wrapped_in_an_open_transaction_survives_rotation,
    |app| async move {
        let valid = app::contacts::validate::validate(&app::contacts::sample::contact(1)).unwrap();
        // A writer wraps a new contact's key under master key 1 and has not committed.
        let mut tx = app.db.begin_write().await.unwrap();
        let (id, _) = app::contacts::store::insert(&mut tx, &app.state.vault, None, None, &valid)
            .await
            .unwrap();
        let (db, vault): (Db, Arc<Vault>) = (app.db.clone(), app.state.vault.clone());
        let rotation = tokio::spawn(async move { app::vault::rotate::rotate(&db, &vault).await });
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(
            !rotation.is_finished(),
            "the rotation must wait for the open transaction"
        );
        assert!(
            masters_in_file(&app).contains(&1),
            "key 1 is still in the keyring while a transaction may use it"
        );
        tx.commit().await.unwrap();
        let report = rotation.await.unwrap().unwrap();
        assert_eq!(report.master_id, MasterKeyId(2));
        assert_eq!(
            report.retired,
            vec![MasterKeyId(1)],
            "retired once the commit was swept"
        );
        assert_eq!(masters_in_file(&app), vec![2]);
        assert_eq!(key_row(&app.db, id).await.0, 2);
        let mut conn = app.db.pool().acquire().await.unwrap();
        let (card, key) = app::contacts::store::load(&mut conn, &app.state.vault, id)
            .await
            .unwrap();
        assert!(key.is_some());
        assert_eq!(card.data.last_name, valid.last_name);
    }
);

both_backends!(
    a_writer_with_a_stale_keyring_wraps_under_the_key_in_force,
    |app| async move {
        let before = keyring::read_file(&app.keyring).unwrap();
        let report = app::vault::rotate::rotate(&app.db, &app.state.vault)
            .await
            .unwrap();
        assert_eq!(report.retired, vec![MasterKeyId(1)]);
        // A node that read the keyring before the rotation and whose file stamp check
        // saw nothing change: it still takes key 1 for the current one (an import batch
        // sealed before the rotation is in the same position).
        let stale = Vault::with_keyring(KeySource::File(app.keyring.clone()), before);
        assert_eq!(stale.fresh_ring().current_master().0, MasterKeyId(1));
        let valid = app::contacts::validate::validate(&app::contacts::sample::contact(2)).unwrap();
        let mut tx = app.db.begin_write().await.unwrap();
        let (id, _) = app::contacts::store::insert(&mut tx, &stale, None, None, &valid)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(key_row(&app.db, id).await.0, 2, "not under the retired key");
        let mut conn = app.db.pool().acquire().await.unwrap();
        let (card, _) = app::contacts::store::load(&mut conn, &app.state.vault, id)
            .await
            .unwrap();
        assert_eq!(card.data.last_name, valid.last_name);
    }
);
