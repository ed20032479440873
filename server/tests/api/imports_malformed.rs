//! Import of files that are not what they should be, on both databases: empty, binary and
//! broken XLSX files, or no file at all, get a message, not a crash; a sheet imports like a
//! CSV; ragged rows, a runaway quote and an overlong line are reported and the rest
//! imported; settings the wizard would refuse are refused naming their fields.

use crate::common;
use crate::imports::{settings, start};

use std::io::Write;

use app::auth::Role;
use reqwest::multipart::Form;
use reqwest::StatusCode;
use serde_json::json;

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
    empty_binary_and_broken_xlsx_files_get_a_message_on_the_file_field,
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
    }
);

both_backends!(an_upload_without_a_file_gets_a_message, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let (status, body) = manager
        .call_multipart("import_upload", Form::new().text("x", "y"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
});

both_backends!(a_sheet_imports_like_a_csv, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
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
});

both_backends!(
    ragged_runaway_and_overlong_rows_are_reported_and_the_rest_imported,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let source = manager.import_source("Arkusz").await;
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
    }
);

both_backends!(
    settings_the_wizard_would_refuse_are_refused_naming_the_fields,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
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
