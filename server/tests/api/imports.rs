//! Import of records on both databases, through the wizard's endpoints with a
//! Windows-1250 file from a fair: the file is recognised and its preview follows the code
//! page the manager picks; the report counts the rows, keeps the name given in the wizard
//! and names each rejected row's column and reason; the people are found by their repaired
//! phones and carry their source, batch consents and history; the rejected rows download
//! in Windows-1250 with formulas neutralised, and are destroyed after the keeping period
//! while the report stays; a described and confirmed import shows so in the list; a
//! started import cannot be started again; consultants do not import. An import whose node
//! died after its first batch keeps that batch counted, and a live node takes it over and
//! finishes it without half-imported records and without its uploaded file.
//!
//! Duplicates and people erased before are in `imports_duplicates`; malformed files in
//! `imports_malformed`.

use crate::common;

use app::auth::Role;
use app::imports::encoding::encode;
use app::imports::model::TextEncoding;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Settings as the wizard sends them, from the preview the upload returned.
pub(crate) fn settings(
    loaded: &Value,
    source: i64,
    consents: &[i64],
    mapping: Value,
    duplicates: &str,
) -> Value {
    let p = &loaded["preview"];
    json!({
        "file_name": loaded["file_name"],
        "name": "Baza z targów 2026",
        "description": "",
        "source_id": source,
        "consents": consents,
        "encoding": p["encoding"],
        "delimiter": p["delimiter"],
        "quote": p["quote"],
        "has_header": p["has_header"],
        "mapping": mapping,
        "duplicates": duplicates,
        "phone": {"strip_separators": true, "international_prefix": true, "leading_zero": true,
                  "default_country": "48", "validate": true, "invalid": "drop"}
    })
}

pub(crate) async fn start(client: &common::Client, id: i64, settings: Value) -> Value {
    let (status, body) = client
        .call_json("import_start", json!({"id": id, "settings": settings}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    client.import_report(id, 600).await
}

pub(crate) async fn find(client: &common::Client, q: &str) -> Vec<Value> {
    let (status, body) = client.call("contact_search", &[("q", q)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["rows"].as_array().unwrap().clone()
}

const FAIR_FILE: &str = "Imię;Nazwisko;Telefon;E-mail;Miasto\r\n\
Łucja;Żółkiewska;0048 601-234-567;Lucja@Example.pl;Łódź\r\n\
Grzegorz;Brzęczyszczykiewicz;(22) 628 12 34;;Chrząszczyżewoszyce\r\n\
Anna;Nowak;601234567;;Kraków\r\n\
Jan;Kowalski;12;jan@example.pl;Kielce\r\n\
Ewa;=1+1;601000001;zly-mail;Gdańsk\r\n\
;;;;\r\n\
Piotr;Zieliński;601 000 003;;Poznań;nadmiar\r\n";

/// The fair's file, in Windows-1250, uploaded by a manager who has its source and two
/// consents ready; not started yet.
struct FairUpload {
    manager: common::Client,
    source: i64,
    processing: i64,
    marketing: i64,
    loaded: Value,
    id: i64,
}

async fn fair_upload(app: &common::TestApp) -> FairUpload {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let source = manager.import_source("Targi Poznań 2026").await;
    let processing = manager
        .define_consent("Przetwarzanie danych", "any", false)
        .await;
    let marketing = manager
        .define_consent("Marketing e-mail", "email", true)
        .await;

    let bytes = encode(TextEncoding::Windows1250, FAIR_FILE);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "a real single-byte file"
    );
    let (status, loaded) = manager.upload_import("targi.csv", bytes).await;
    assert_eq!(status, StatusCode::OK, "{loaded}");
    let id = loaded["id"].as_i64().unwrap();
    FairUpload {
        manager,
        source,
        processing,
        marketing,
        loaded,
        id,
    }
}

/// The fair's file imported with both consents, renamed in the wizard, duplicates skipped.
struct FairImport {
    manager: common::Client,
    source: i64,
    loaded: Value,
    id: i64,
    report: Value,
}

async fn fair_import(app: &common::TestApp) -> FairImport {
    let FairUpload {
        manager,
        source,
        processing,
        marketing,
        loaded,
        id,
    } = fair_upload(app).await;
    let mut s = settings(
        &loaded,
        source,
        &[processing, marketing],
        loaded["preview"]["suggested"].clone(),
        "skip",
    );
    s["file_name"] = json!("targi-poznan.csv");
    let report = start(&manager, id, s).await;
    assert_eq!(report["status"], "done", "{report}");
    FairImport {
        manager,
        source,
        loaded,
        id,
        report,
    }
}

both_backends!(
    a_windows_1250_file_is_recognised_and_its_columns_suggested,
    |app| async move {
        let FairUpload { loaded, .. } = fair_upload(&app).await;
        let preview = &loaded["preview"];
        assert_eq!(preview["encoding"], "windows1250");
        assert_eq!(preview["encoding_certain"], true);
        assert_eq!(preview["delimiter"], ";");
        assert_eq!(preview["has_header"], true);
        assert_eq!(preview["headers"][0], "Imię");
        assert_eq!(preview["rows"][0][1], "Żółkiewska");
        assert_eq!(
            preview["suggested"],
            json!(["first_name", "last_name", "phone", "email", "city"])
        );
    }
);

both_backends!(
    the_preview_follows_the_code_page_the_manager_picks,
    |app| async move {
        let FairUpload { manager, id, .. } = fair_upload(&app).await;
        // The manager may read it in another code page: the preview follows.
        let (status, other) = manager
            .call(
                "import_preview",
                &[("id", &id.to_string()), ("encoding", "cp852")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{other}");
        assert_ne!(other["rows"][0][1], "Żółkiewska");
    }
);

both_backends!(
    the_report_counts_added_duplicate_rejected_and_repaired_rows,
    |app| async move {
        let FairImport { report, .. } = fair_import(&app).await;
        let c = &report["counters"];
        assert_eq!(c["rows_read"], 6, "{report}");
        assert_eq!(c["added"], 3, "{report}");
        assert_eq!(c["duplicates"], 1, "{report}");
        assert_eq!(c["rejected"], 2, "{report}");
        assert_eq!(c["phones_repaired"], 2, "{report}");
        assert_eq!(c["phones_flagged"], 1, "{report}");
        assert_eq!(c["consents"], 6, "{report}");
    }
);

both_backends!(
    the_report_keeps_the_file_name_given_in_the_wizard,
    |app| async move {
        let FairImport { report, .. } = fair_import(&app).await;
        assert_eq!(report["file_name"], "targi-poznan.csv");
    }
);

both_backends!(
    each_rejection_names_its_row_column_and_reason,
    |app| async move {
        let FairImport { report, .. } = fair_import(&app).await;
        let rejections: Vec<(i64, String, String)> = report["rejections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["row"].as_i64().unwrap(),
                    r["column"].as_str().unwrap().to_string(),
                    r["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert!(
            rejections.contains(&(5, "Telefon".into(), "ErrImportPhoneDropped".into())),
            "{rejections:?}"
        );
        assert!(
            rejections.contains(&(6, "E-mail".into(), "ErrEmailInvalid".into())),
            "{rejections:?}"
        );
        assert!(
            rejections.contains(&(8, "#6".into(), "ErrImportRaggedRow".into())),
            "{rejections:?}"
        );
    }
);

both_backends!(
    imported_people_are_found_by_their_repaired_phones,
    |app| async move {
        let FairImport { manager, .. } = fair_import(&app).await;
        assert_eq!(find(&manager, "+48601234567").await.len(), 1);
        assert_eq!(find(&manager, "+48226281234").await.len(), 1);
    }
);

both_backends!(
    imported_people_carry_their_source_batch_consents_and_history,
    |app| async move {
        let FairImport { manager, id, .. } = fair_import(&app).await;
        // The people are there, with their source, batch consents and history.
        let found = find(&manager, "+48601234567").await;
        assert_eq!(found.len(), 1, "{found:?}");
        let card = manager.contact_card(found[0]["id"].as_i64().unwrap()).await;
        assert_eq!(card["data"]["first_name"], "Łucja");
        assert_eq!(card["data"]["city"], "Łódź");
        assert_eq!(card["data"]["emails"][0]["value"], "lucja@example.pl");
        assert_eq!(card["source"], "Targi Poznań 2026");
        let consents = card["consents"].as_array().unwrap();
        assert!(
            consents.iter().all(|s| s["decision"] == "granted"),
            "{card}"
        );
        let event = &consents[0]["history"][0];
        assert_eq!(event["method"], "import");
        assert_eq!(event["import"], json!([id, "Baza z targów 2026"]));
        let (_, history) = manager
            .call(
                "contact_history",
                &[("contact_id", &card["id"].to_string())],
            )
            .await;
        let first = history["changes"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_eq!(first["field"], "import", "{history}");
        assert_eq!(first["source"], "Targi Poznań 2026");
    }
);

both_backends!(
    rejected_rows_download_in_windows_1250_with_formulas_neutralised,
    |app| async move {
        let FairImport { manager, id, .. } = fair_import(&app).await;
        // The rejected rows, in Windows-1250, with the header and formulas neutralised.
        let response = manager
            .get(&format!("/menedzer/import/{id}/odrzucone.csv"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.bytes().await.unwrap().to_vec();
        let text = app::imports::encoding::decode_all(TextEncoding::Windows1250, &bytes);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Imię;Nazwisko;Telefon;E-mail;Miasto");
        assert_eq!(lines[1], "Ewa;'=1+1;601000001;zly-mail;Gdańsk");
        assert_eq!(lines[2], "Piotr;Zieliński;601 000 003;;Poznań;nadmiar");
        assert_eq!(lines.len(), 3, "{text}");
        assert!(bytes.contains(&0xea), "ę in Windows-1250");
    }
);

both_backends!(
    a_described_and_confirmed_import_shows_so_in_the_list,
    |app| async move {
        let FairImport { manager, id, .. } = fair_import(&app).await;
        // "Edycja" and "OK"; the list shows the import with its report.
        let (status, _) = manager
            .call(
                "import_describe",
                &[("id", &id.to_string()), ("description", "Uzupełniony opis")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = manager
            .call("import_confirm", &[("id", &id.to_string())])
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, list) = manager.call("import_list", &[]).await;
        assert_eq!(list[0]["id"], id);
        assert_eq!(list[0]["description"], "Uzupełniony opis");
        assert_eq!(list[0]["confirmed"], true);
    }
);

both_backends!(a_queued_import_cannot_be_started_twice, |app| async move {
    let FairImport {
        manager,
        source,
        loaded,
        id,
        ..
    } = fair_import(&app).await;
    // A queued import cannot be started twice.
    let (status, _) = manager
        .call_json("import_start", json!({"id": id, "settings": settings(&loaded, source, &[], loaded["preview"]["suggested"].clone(), "skip")}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
});

both_backends!(
    rejected_rows_are_destroyed_after_the_keeping_period_and_the_report_stays,
    |app| async move {
        let FairImport {
            manager,
            id,
            report,
            ..
        } = fair_import(&app).await;
        // After the keeping period the rejected rows are destroyed; the report stays.
        let later = app::db::now_ms() + 1;
        assert_eq!(
            app::imports::store::purge(&app.db, later, later)
                .await
                .unwrap(),
            1
        );
        let response = manager
            .get(&format!("/menedzer/import/{id}/odrzucone.csv"))
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let (_, after) = manager
            .call("import_status", &[("id", &id.to_string())])
            .await;
        assert_eq!(after["rejects_available"], false);
        assert_eq!(after["rejections"], report["rejections"]);
        let raw: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM import_rejects WHERE raw IS NOT NULL")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(raw, 0);
    }
);

both_backends!(consultants_cannot_import, |app| async move {
    // Consultants do not import.
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let (status, _) = consultant.upload_import("x.csv", b"a;b\n".to_vec()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
});

/// A file of two batches and a half, queued and claimed by a node that dies after its
/// first batch.
struct Interrupted {
    manager: common::Client,
    id: i64,
    rows: usize,
}

async fn interrupted_import(app: &common::TestApp) -> Interrupted {
    interrupted_import_with(app, &[]).await
}

/// The same, with `more` lines at the end of the file.
async fn interrupted_import_with(app: &common::TestApp, more: &[&str]) -> Interrupted {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let source = manager.import_source("Duża baza").await;
    let mut file = String::from("Imię;Nazwisko;Telefon\n");
    let rows = app::imports::engine::BATCH_ROWS * 2 + 500;
    for i in 0..rows {
        file.push_str(&format!("Osoba{i};Testowa;60{:07}\n", i));
    }
    for line in more {
        file.push_str(line);
        file.push('\n');
    }
    let (status, loaded) = manager.upload_import("duza.csv", file.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{loaded}");
    let id = loaded["id"].as_i64().unwrap();
    let s = settings(
        &loaded,
        source,
        &[],
        loaded["preview"]["suggested"].clone(),
        "skip",
    );
    // Queued and claimed by a node that dies after its first batch: its job's lease
    // keeps the live node away until the test lets it run out.
    let now = app::db::now_ms();
    app.exec(&format!(
        "UPDATE imports SET status = 'running', owner = 'dead-node', heartbeat_at = {now}, \
         settings = '{}', name = 'Duża', source_id = {source} WHERE id = {id}",
        s.to_string().replace('\'', "''")
    ))
    .await;
    app.exec(&format!(
        "INSERT INTO jobs (kind, subject, status, run_at, attempts, max_attempts, lease_owner, \
         lease_until, created_at, updated_at) \
         VALUES ('import', {id}, 'running', {now}, 1, 10, 'dead-node', {}, {now}, {now})",
        now + 3_600_000
    ))
    .await;
    app::imports::engine::run_batches(
        &app.db,
        &app.state.vault,
        app::ids::ImportId(id),
        "dead-node",
        Some(1),
    )
    .await
    .unwrap();
    Interrupted { manager, id, rows }
}

/// Its job's lease runs out: a live node takes the import over and carries on; returns
/// the report once finished.
async fn taken_over(app: &common::TestApp, interrupted: &Interrupted) -> Value {
    let id = interrupted.id;
    app.exec(&format!(
        "UPDATE jobs SET lease_until = 0 WHERE kind = 'import' AND subject = {id}"
    ))
    .await;
    interrupted.manager.import_report(id, 600).await
}

both_backends!(
    an_import_whose_node_died_keeps_its_finished_batch_counted,
    |app| async move {
        let Interrupted { manager, id, .. } = interrupted_import(&app).await;
        let (_, partial) = manager
            .call("import_status", &[("id", &id.to_string())])
            .await;
        assert_eq!(partial["status"], "running");
        assert_eq!(
            partial["counters"]["added"],
            app::imports::engine::BATCH_ROWS as i64
        );
    }
);

both_backends!(
    a_live_node_finishes_a_stale_import_without_half_records,
    |app| async move {
        let interrupted = interrupted_import(&app).await;
        let report = taken_over(&app, &interrupted).await;
        let Interrupted { manager, id, rows } = interrupted;
        assert_eq!(report["status"], "done", "{report}");
        assert_eq!(report["counters"]["added"], rows as i64, "{report}");
        assert_eq!(report["counters"]["duplicates"], 0, "{report}");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE import_id = $1")
            .bind(id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(count, rows as i64);
        assert_eq!(
            find(&manager, &format!("+4860{:07}", rows - 1)).await.len(),
            1
        );
    }
);

both_backends!(
    a_resumed_import_still_knows_the_phones_its_first_run_added,
    |app| async move {
        // Row 6's number again, after the batch the dead node committed: the resumed
        // run finds it among the tokens that run staged (not yet in the index).
        let interrupted =
            interrupted_import_with(&app, &["Grzegorz;Brzęczyszczykiewicz;600000005"]).await;
        let staged: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM staged_tokens WHERE import_id = $1")
                .bind(interrupted.id)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert!(staged > 0, "the first run's tokens wait in staged_tokens");
        let report = taken_over(&app, &interrupted).await;
        assert_eq!(report["status"], "done", "{report}");
        assert_eq!(
            report["counters"]["added"], interrupted.rows as i64,
            "{report}"
        );
        assert_eq!(report["counters"]["duplicates"], 1, "{report}");
        let staged: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM staged_tokens WHERE import_id = $1")
                .bind(interrupted.id)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(staged, 0, "every token moved into the index at the end");
        let found = find(&interrupted.manager, "+48600000005").await;
        assert_eq!(found.len(), 1, "{found:?}");
    }
);

both_backends!(
    a_row_matching_a_contact_restricted_since_its_import_began_is_refused,
    |app| async move {
        let interrupted =
            interrupted_import_with(&app, &["Grzegorz;Brzęczyszczykiewicz;600000005"]).await;
        // Row 6 of the file (Osoba5) was added by the first run, then restricted.
        app.exec(&format!(
            "UPDATE contacts SET state = 'restricted' WHERE id = (SELECT id FROM contacts \
             WHERE import_id = {} ORDER BY id LIMIT 1 OFFSET 5)",
            interrupted.id
        ))
        .await;
        let report = taken_over(&app, &interrupted).await;
        assert_eq!(report["status"], "done", "{report}");
        assert_eq!(report["counters"]["duplicates"], 0, "{report}");
        assert_eq!(report["counters"]["erased_skipped"], 1, "{report}");
        assert_eq!(
            report["counters"]["added"], interrupted.rows as i64,
            "{report}"
        );
    }
);

both_backends!(
    the_uploaded_file_is_gone_once_a_resumed_import_finishes,
    |app| async move {
        let interrupted = interrupted_import(&app).await;
        let report = taken_over(&app, &interrupted).await;
        assert_eq!(report["status"], "done", "{report}");
        let chunks: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM import_chunks WHERE import_id = $1")
                .bind(interrupted.id)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(chunks, 0, "the uploaded file is gone once imported");
    }
);
