//! Import of records on both databases: a Windows-1250 file through the wizard's
//! endpoints to its report and rejected-rows download; duplicates updated without undoing
//! a withdrawal; people erased before kept out; malformed files answered with messages;
//! an import stopped mid-way resumed without half-imported records.

use crate::common;

use std::io::Write;

use app::auth::Role;
use app::imports::encoding::encode;
use app::imports::model::TextEncoding;
use reqwest::multipart::Form;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Settings as the wizard sends them, from the preview the upload returned.
fn settings(
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

async fn start(client: &common::Client, id: i64, settings: Value) -> Value {
    let (status, body) = client
        .call_json("import_start", json!({"id": id, "settings": settings}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    client.import_report(id, 600).await
}

async fn find(client: &common::Client, q: &str) -> Vec<Value> {
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

both_backends!(
    a_windows_1250_file_goes_through_the_wizard,
    |app| async move {
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
        let id = loaded["id"].as_i64().unwrap();

        // The manager may read it in another code page: the preview follows.
        let (status, other) = manager
            .call(
                "import_preview",
                &[("id", &id.to_string()), ("encoding", "cp852")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{other}");
        assert_ne!(other["rows"][0][1], "Żółkiewska");

        let mut s = settings(
            &loaded,
            source,
            &[processing, marketing],
            preview["suggested"].clone(),
            "skip",
        );
        s["file_name"] = json!("targi-poznan.csv");
        let report = start(&manager, id, s).await;
        assert_eq!(report["status"], "done", "{report}");
        let c = &report["counters"];
        assert_eq!(c["rows_read"], 6, "{report}");
        assert_eq!(c["added"], 3, "{report}");
        assert_eq!(c["duplicates"], 1, "{report}");
        assert_eq!(c["rejected"], 2, "{report}");
        assert_eq!(c["phones_repaired"], 2, "{report}");
        assert_eq!(c["phones_flagged"], 1, "{report}");
        assert_eq!(c["consents"], 6, "{report}");
        assert_eq!(report["file_name"], "targi-poznan.csv");
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
        assert_eq!(find(&manager, "+48226281234").await.len(), 1);

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
        // A queued import cannot be started twice.
        let (status, _) = manager
        .call_json("import_start", json!({"id": id, "settings": settings(&loaded, source, &[], preview["suggested"].clone(), "skip")}))
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
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
        // Consultants do not import.
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let (status, _) = consultant.upload_import("x.csv", b"a;b\n".to_vec()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);

both_backends!(
    duplicates_update_but_never_undo_a_withdrawal,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let source = manager.import_source("Partner").await;
        let processing = manager
            .define_consent("Przetwarzanie danych", "any", false)
            .await;
        let marketing = manager.define_consent("Marketing SMS", "sms", true).await;
        let anna = manager
            .contact_save(json!({"data": {"first_name": "Anna", "last_name": "Stara",
            "phones": [{"value": "602000001", "for_call": true}], "city": "Gdańsk"}}))
            .await;
        let form = Form::new()
            .text("contact_id", anna.to_string())
            .text("definition_id", processing.to_string())
            .text("decision", "withdrawn")
            .text("method", "call");
        let (status, body) = manager.call_multipart("consent_record", form).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // Zofia was forgotten at her request.
        let zofia = manager
            .contact_save(
                json!({"data": {"first_name": "Zofia", "last_name": "Zapomniana",
            "phones": [{"value": "602000002", "for_call": true}]}}),
            )
            .await;
        let (status, request) = manager
            .call(
                "erasure_request",
                &[
                    ("contact_id", &zofia.to_string()),
                    ("ground", "consent_withdrawn"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{request}");
        let (status, body) = manager
            .call(
                "erasure_approve",
                &[("request_ids[0]", &request["id"].to_string())],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let file = "Imię i nazwisko;Telefon;Miasto\nAnna Stara;602 000 001;Sopot\nZofia Zapomniana;602000002;Gdynia\nNowy Człowiek;602000003;Puck\n";
        let (status, loaded) = manager
            .upload_import("partner.csv", file.as_bytes().to_vec())
            .await;
        assert_eq!(status, StatusCode::OK, "{loaded}");
        assert_eq!(loaded["preview"]["encoding"], "utf8");
        let id = loaded["id"].as_i64().unwrap();
        let mapping = loaded["preview"]["suggested"].clone();
        assert_eq!(mapping, json!(["full_name", "phone", "city"]));
        let report = start(
            &manager,
            id,
            settings(&loaded, source, &[processing, marketing], mapping, "update"),
        )
        .await;
        let c = &report["counters"];
        assert_eq!(
            (
                c["added"].as_i64(),
                c["updated"].as_i64(),
                c["erased_skipped"].as_i64()
            ),
            (Some(1), Some(1), Some(1)),
            "{report}"
        );
        assert_eq!(
            c["consents"], 3,
            "2 for the new person, marketing only for Anna: {report}"
        );
        let skipped = &report["rejections"][0];
        assert_eq!(skipped["reason"], "ErrImportErasedBefore");
        assert_eq!(skipped["column"], "Telefon");

        let card = manager.contact_card(anna).await;
        assert_eq!(card["data"]["city"], "Sopot");
        let by_id = |id: i64| {
            card["consents"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["definition_id"] == id)
                .unwrap()
                .clone()
        };
        assert_eq!(
            by_id(processing)["decision"],
            "withdrawn",
            "a file never undoes a withdrawal"
        );
        assert_eq!(by_id(marketing)["decision"], "granted");
        let (_, history) = manager
            .call("contact_history", &[("contact_id", &anna.to_string())])
            .await;
        let city = history["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == "city")
            .unwrap()
            .clone();
        assert_eq!(city["old_value"], "Gdańsk");
        assert_eq!(city["new_value"], "Sopot");
        assert_eq!(city["source"], "Partner");
        // Nothing of Zofia came back: not as a contact, not in the rejected rows.
        assert!(find(&manager, "+48602000002").await.is_empty());
        let text = manager
            .get(&format!("/menedzer/import/{id}/odrzucone.csv"))
            .await
            .text()
            .await
            .unwrap();
        assert!(!text.contains("Zapomniana"), "{text}");
    }
);

fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut sheet = String::from("<worksheet><sheetData>");
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            sheet.push_str(&format!(
                "<c r=\"{}{}\" t=\"inlineStr\"><is><t>{cell}</t></is></c>",
                (b'A' + c as u8) as char,
                r + 1
            ));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("xl/workbook.xml", options).unwrap();
    zip.write_all(b"<workbook><sheets><sheet name=\"A\" r:id=\"rId1\"/></sheets></workbook>")
        .unwrap();
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    zip.write_all(sheet.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

both_backends!(
    malformed_files_get_a_message_not_a_crash,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        for (bytes, msg) in [
            (Vec::new(), "ErrImportEmpty"),
            (b"\xef\xbb\xbf".to_vec(), "ErrImportEmpty"),
            (
                b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec(),
                "ErrImportBinary",
            ),
            (b"PK\x03\x04 not really a zip".to_vec(), "ErrImportNotXlsx"),
        ] {
            let (status, body) = manager.upload_import("zly.csv", bytes).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert_eq!(body["detail"][0]["field"], "file", "{body}");
            assert_eq!(body["detail"][0]["msg"], msg, "{body}");
        }
        let (status, body) = manager
            .call_multipart("import_upload", Form::new().text("x", "y"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

        // A sheet imports like a CSV.
        let source = manager.import_source("Arkusz").await;
        let (status, loaded) = manager
            .upload_import(
                "lista.xlsx",
                xlsx(&[
                    &["Imię", "Nazwisko", "Telefon"],
                    &["Zażółć", "Gęślą", "600 700 800"],
                ]),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{loaded}");
        assert_eq!(loaded["preview"]["format"], "xlsx");
        assert_eq!(loaded["preview"]["rows"][0][0], "Zażółć");
        let mapping = loaded["preview"]["suggested"].clone();
        let report = start(
            &manager,
            loaded["id"].as_i64().unwrap(),
            settings(&loaded, source, &[], mapping, "skip"),
        )
        .await;
        assert_eq!(report["counters"]["added"], 1, "{report}");

        // Ragged rows, a runaway quote and a very long line: reported, the rest imported.
        let mut messy = String::from("Nazwisko;Telefon\nNowak;601000010\nKowal;\"601000011\n");
        messy.push_str(&"x".repeat(70_000));
        messy.push_str("\nLis;601000012;za dużo\nWilk;601000013\n");
        let (status, loaded) = manager.upload_import("messy.txt", messy.into_bytes()).await;
        assert_eq!(status, StatusCode::OK, "{loaded}");
        let mapping = json!(["last_name", "phone"]);
        let report = start(
            &manager,
            loaded["id"].as_i64().unwrap(),
            settings(&loaded, source, &[], mapping, "skip"),
        )
        .await;
        let c = &report["counters"];
        assert_eq!(
            (c["added"].as_i64(), c["rejected"].as_i64()),
            (Some(2), Some(2)),
            "{report}"
        );
        let reasons: Vec<&str> = report["rejections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["reason"].as_str().unwrap())
            .collect();
        assert!(reasons.contains(&"ErrImportRowTooLong"), "{reasons:?}");
        assert!(reasons.contains(&"ErrImportRaggedRow"), "{reasons:?}");

        // Settings the wizard would refuse are refused here too, naming the fields.
        let (_, loaded) = manager
            .upload_import("ok.csv", b"Nazwisko;Miasto\nNowak;Puck\n".to_vec())
            .await;
        let mut bad = settings(&loaded, 0, &[], json!(["city", "city"]), "skip");
        bad["name"] = json!("");
        let (status, body) = manager
            .call_json("import_start", json!({"id": loaded["id"], "settings": bad}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let fields: Vec<&str> = body["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        for f in ["name", "source_id", "mapping"] {
            assert!(fields.contains(&f), "{fields:?}");
        }
    }
);

both_backends!(
    an_interrupted_import_resumes_without_half_records,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let source = manager.import_source("Duża baza").await;
        let mut file = String::from("Imię;Nazwisko;Telefon\n");
        let rows = app::imports::engine::BATCH_ROWS * 2 + 500;
        for i in 0..rows {
            file.push_str(&format!("Osoba{i};Testowa;60{:07}\n", i));
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
        // Queued and claimed by a node that dies after its first batch.
        app.exec(&format!(
            "UPDATE imports SET status = 'running', owner = 'dead-node', heartbeat_at = {}, \
         settings = '{}', name = 'Duża', source_id = {source} WHERE id = {id}",
            app::db::now_ms(),
            s.to_string().replace('\'', "''")
        ))
        .await;
        app::imports::engine::run_batches(&app.db, &app.state.vault, id, "dead-node", Some(1))
            .await
            .unwrap();
        let (_, partial) = manager
            .call("import_status", &[("id", &id.to_string())])
            .await;
        assert_eq!(partial["status"], "running");
        assert_eq!(
            partial["counters"]["added"],
            app::imports::engine::BATCH_ROWS as i64
        );
        // Its heartbeat goes stale: a live node takes the import over and carries on.
        app.exec(&format!(
            "UPDATE imports SET heartbeat_at = 0 WHERE id = {id}"
        ))
        .await;
        let report = manager.import_report(id, 600).await;
        assert_eq!(report["status"], "done", "{report}");
        assert_eq!(report["counters"]["added"], rows as i64, "{report}");
        assert_eq!(report["counters"]["duplicates"], 0, "{report}");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE import_id = $1")
            .bind(id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(count, rows as i64);
        let chunks: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM import_chunks WHERE import_id = $1")
                .bind(id)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(chunks, 0, "the uploaded file is gone once imported");
        assert_eq!(
            find(&manager, &format!("+4860{:07}", rows - 1)).await.len(),
            1
        );
    }
);
