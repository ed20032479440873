//! Erasure reaches what lies outside the live rows, on both databases. A database restored
//! from a backup made before an erasure is erased again at its next start from the register
//! beside the keyring: the register names the contact and nothing personal; the start
//! re-erases the contact, closes the pending request as carried out, touches nobody else
//! and audits the re-erasure; a second start, like the live database, has nothing left to
//! re-erase; torn and forged lines of the register are ignored. Free texts about the person
//! go with the erasure: the reasons of legal holds, refusals and extensions, and the purpose
//! of disclosures about the person alone. The suppression list keeps the day only. The WAL
//! checkpoint after an erasure is retried until readers let it finish.

use crate::common;

use app::auth::Role;
use app::db::Db;
use app::vault::{KeySource, Vault};
use reqwest::StatusCode;
use serde_json::json;

const NAME: &str = "Przywracalska";
const PHONE: &str = "600123987";
const DAY_MS: i64 = 86_400_000;

async fn person(client: &common::Client) -> i64 {
    client
        .contact_save(json!({"data": {"first_name": "Roksana", "last_name": NAME,
            "phones": [{"value": PHONE, "for_call": true}], "city": "Hel"}}))
        .await
}

async fn approve(client: &common::Client, request: i64) {
    let (status, body) = client.approve_erasure(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["approved"], json!([request]));
}

/// Roksana, asked to be forgotten and approved; returns her id.
async fn erased(app: &common::TestApp) -> i64 {
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let id = person(&consultant).await;
    let request = consultant.ask_erasure(id).await;
    approve(&manager, request).await;
    id
}

/// Roksana erased after last night's backup, and another Roksana kept; the backup restored
/// with the same keyring, not yet started on.
struct Restored {
    id: i64,
    kept: i64,
    restored: Db,
    vault: Vault,
    /// Holds the backup's file or database while the restored copy is used.
    _backup: common::Backup,
}

async fn restored_backup(app: &common::TestApp) -> Restored {
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let id = person(&consultant).await;
    let kept = person(&consultant).await;
    let request = consultant.ask_erasure(id).await;
    // Last night's backup: the request is there, the erasure is not.
    let backup = app.backup().await;
    approve(&manager, request).await;

    // The backup is restored and Zgoda started on it with the same keyring.
    let restored = Db::connect(&backup.url, 3).await.unwrap();
    restored.migrate().await.unwrap();
    let mut conn = restored.pool().acquire().await.unwrap();
    let (vault, _) = Vault::open(KeySource::File(app.keyring.clone()), &restored)
        .await
        .unwrap();
    let (before, _) = app::contacts::store::load(&mut conn, &vault, app::ids::ContactId(id))
        .await
        .unwrap();
    assert_eq!(
        before.data.last_name, NAME,
        "the backup holds the person until the start"
    );
    drop(conn);
    Restored {
        id,
        kept,
        restored,
        vault,
        _backup: backup,
    }
}

/// Zgoda starts on the restored database; returns how many contacts the start re-erased.
async fn start_on(r: &Restored) -> u64 {
    zgoda_server::startup::reapply_erasures(&r.restored, &r.vault)
        .await
        .unwrap()
}

both_backends!(
    the_register_beside_the_keyring_names_the_contact_and_nothing_personal,
    |app| async move {
        let id = erased(&app).await;
        // The register beside the keyring names the contact, and nothing personal.
        let register = std::fs::read_to_string(app.keyring.with_file_name("erased")).unwrap();
        let lines: Vec<&str> = register.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(lines.len(), 1, "{register}");
        assert!(lines[0].starts_with(&format!("erased {id} ")), "{register}");
        assert!(!register.contains(NAME) && !register.contains(PHONE));
    }
);

both_backends!(
    a_restored_backup_is_erased_again_at_start,
    |app| async move {
        let r = restored_backup(&app).await;
        let re_erased = start_on(&r).await;
        assert_eq!(re_erased, 1, "the start reports one contact re-erased");
        let mut conn = r.restored.pool().acquire().await.unwrap();
        let (after, key) =
            app::contacts::store::load(&mut conn, &r.vault, app::ids::ContactId(r.id))
                .await
                .unwrap();
        assert!(key.is_none(), "the data key is destroyed");
        assert_eq!(after.state, app::contacts::model::ContactState::Erased);
        assert_eq!(after.data.last_name, "");
        assert!(after.data.phones.is_empty());
        drop(conn);
        r.restored.close().await;
    }
);

both_backends!(
    the_start_closes_the_pending_request_as_carried_out,
    |app| async move {
        let r = restored_backup(&app).await;
        start_on(&r).await;
        let state: String =
            sqlx::query_scalar("SELECT state FROM erasure_requests WHERE contact_id = $1")
                .bind(r.id)
                .fetch_one(r.restored.pool())
                .await
                .unwrap();
        assert_eq!(
            state, "approved",
            "the pending request is closed as carried out"
        );
        r.restored.close().await;
    }
);

both_backends!(the_start_touches_nobody_else, |app| async move {
    let r = restored_backup(&app).await;
    start_on(&r).await;
    let mut conn = r.restored.pool().acquire().await.unwrap();
    let (other, _) = app::contacts::store::load(&mut conn, &r.vault, app::ids::ContactId(r.kept))
        .await
        .unwrap();
    assert_eq!(other.data.last_name, NAME, "nobody else is touched");
    drop(conn);
    r.restored.close().await;
});

both_backends!(the_start_audits_each_re_erasure, |app| async move {
    let r = restored_backup(&app).await;
    start_on(&r).await;
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'erasure.reapplied' AND subject = $1",
    )
    .bind(format!("contact:{}", r.id))
    .fetch_one(r.restored.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);
    r.restored.close().await;
});

both_backends!(
    a_second_start_has_nothing_left_to_re_erase,
    |app| async move {
        let r = restored_backup(&app).await;
        start_on(&r).await;
        // A second start has nothing left to do.
        assert_eq!(start_on(&r).await, 0);
        r.restored.close().await;
    }
);

both_backends!(
    the_live_database_has_nothing_to_re_erase,
    |app| async move {
        erased(&app).await;
        // Neither has the live database anything to re-erase.
        assert_eq!(
            zgoda_server::startup::reapply_erasures(&app.db, &app.state.vault)
                .await
                .unwrap(),
            0
        );
    }
);

both_backends!(
    the_register_ignores_torn_and_forged_lines,
    |app| async move {
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let victim = person(&consultant).await;
        let id = person(&consultant).await;
        let request = consultant.ask_erasure(id).await;
        let backup = app.backup().await;
        approve(&manager, request).await;
        // Someone without the keyring adds a line naming another contact, and a crash
        // tears the last line.
        let path = app.keyring.with_file_name("erased");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(&format!(
            "erased {victim} 1700000000000 00112233445566778899aabbccddeeff\nerased 12"
        ));
        std::fs::write(&path, text).unwrap();
        let restored = Db::connect(&backup.url, 3).await.unwrap();
        let (vault, _) = Vault::open(KeySource::File(app.keyring.clone()), &restored)
            .await
            .unwrap();
        let done = app::erasure::register::reapply(&restored, &vault)
            .await
            .unwrap();
        assert_eq!((done.erased, done.ignored), (1, 2), "{done:?}");
        let mut conn = restored.pool().acquire().await.unwrap();
        let (untouched, _) =
            app::contacts::store::load(&mut conn, &vault, app::ids::ContactId(victim))
                .await
                .unwrap();
        assert_eq!(untouched.data.last_name, NAME);
        drop(conn);
        restored.close().await;
    }
);

/// Roksana, beside another Roksana, with a released legal hold, a refused request and an
/// extended one, and two disclosures (one of her alone, one shared with the other), then
/// erased; returns her id.
async fn erased_after_holds_refusals_and_disclosures(app: &common::TestApp) -> i64 {
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let id = person(&consultant).await;
    let other = person(&consultant).await;
    let c = id.to_string();
    let (status, body) = manager
        .call(
            "legal_hold_add",
            &[
                ("contact_id", &c),
                ("reason", "Spór z Przywracalską o fakturę"),
                ("until", "2099-12-31"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    manager
        .call("legal_hold_release", &[("hold_id", &body.to_string())])
        .await;
    let first = consultant.ask_erasure(id).await;
    let (status, _) = manager
        .call(
            "erasure_refuse",
            &[
                ("request_id", &first.to_string()),
                ("reason", "Przywracalska ma zaległą płatność"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let second = consultant.ask_erasure(id).await;
    let (status, _) = manager
        .call(
            "erasure_extend",
            &[
                ("request_id", &second.to_string()),
                ("months", "1"),
                ("reason", "Przywracalska w szpitalu"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Two disclosures: one of this person alone, one shared with another.
    let (status, recipient) = manager
        .call(
            "recipient_save",
            &[
                ("name", "Kurier Sp. z o.o."),
                ("nip", "526-000-12-46"),
                ("role", "controller"),
                ("active", "on"),
                ("scope[city]", "contract"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{recipient}");
    let r = recipient.to_string();
    for ids in [c.clone(), format!("{id}, {other}")] {
        let (status, body) = manager
            .call(
                "disclosure_record",
                &[
                    ("recipient_id", r.as_str()),
                    ("contact_ids", ids.as_str()),
                    ("purpose", "Paczka dla Przywracalskiej"),
                    ("fields[city]", "on"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    approve(&manager, second).await;
    id
}

both_backends!(
    an_erasure_clears_the_reasons_of_legal_holds,
    |app| async move {
        let id = erased_after_holds_refusals_and_disclosures(&app).await;
        let holds: Vec<String> =
            sqlx::query_scalar("SELECT reason FROM legal_holds WHERE contact_id = $1")
                .bind(id)
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        assert_eq!(holds, vec![String::new()]);
    }
);

both_backends!(
    an_erasure_clears_the_reasons_of_refusals_and_extensions,
    |app| async move {
        let id = erased_after_holds_refusals_and_disclosures(&app).await;
        let reasons: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT refusal_reason, extension_reason FROM erasure_requests WHERE contact_id = $1",
        )
        .bind(id)
        .fetch_all(app.db.pool())
        .await
        .unwrap();
        assert_eq!(reasons, vec![(None, None), (None, None)]);
    }
);

both_backends!(
    an_erasure_clears_the_purpose_of_disclosures_about_the_person_alone,
    |app| async move {
        erased_after_holds_refusals_and_disclosures(&app).await;
        let purposes: Vec<String> =
            sqlx::query_scalar("SELECT purpose FROM disclosures ORDER BY id")
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        assert_eq!(
            purposes,
            vec![String::new(), "Paczka dla Przywracalskiej".to_string()],
            "a disclosure that still covers a living person keeps its purpose"
        );
    }
);

both_backends!(
    the_suppression_list_keeps_the_day_of_an_erasure_only,
    |app| async move {
        erased_after_holds_refusals_and_disclosures(&app).await;
        let times: Vec<i64> = sqlx::query_scalar("SELECT erased_at FROM suppression")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
        assert!(!times.is_empty());
        let now = app::db::now_ms();
        for t in times {
            assert_eq!(t % DAY_MS, 0, "the day only");
            assert!(now - t < DAY_MS && t <= now);
        }
    }
);

both_backends!(
    the_wal_checkpoint_is_retried_until_it_completes,
    |app| async move {
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let id = person(&consultant).await;
        let request = consultant.ask_erasure(id).await;
        let wrapped: Vec<u8> =
            sqlx::query_scalar("SELECT wrapped_key FROM contact_keys WHERE contact_id = $1")
                .bind(id)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        // A long report reads the database while the erasure is approved: its snapshot
        // holds the WAL, so the checkpoint cannot finish until it ends.
        let mut reader = app.db.pool().acquire().await.unwrap();
        sqlx::query("BEGIN").execute(&mut *reader).await.unwrap();
        let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts")
            .fetch_one(&mut *reader)
            .await
            .unwrap();
        approve(&manager, request).await;
        tokio::time::sleep(std::time::Duration::from_secs(6)).await;
        sqlx::query("COMMIT").execute(&mut *reader).await.unwrap();
        drop(reader);
        let Some(file) = &app.sqlite_file else {
            assert!(app::erasure::store::checkpoint_wal(&app.db).await);
            return;
        };
        let wal = file.with_extension("db-wal");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
            if size == 0 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the WAL still holds {size} bytes: the checkpoint was not retried"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        let bytes = std::fs::read(file).unwrap();
        let needle = &wrapped[1..25];
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "the destroyed data key is gone from the file"
        );
    }
);
