//! Import of records that meet people already there, on both databases: a UTF-8 file with
//! a full-name column gets its columns suggested; the report counts one added, one updated
//! and one erased before; a duplicate takes the file's city with the change in its history
//! naming the source; a file never undoes a withdrawal; a person erased before is reported
//! under the phone column and nothing of her comes back.

use crate::common;
use crate::imports::{find, settings, start};

use app::auth::Role;
use reqwest::multipart::Form;
use reqwest::StatusCode;
use serde_json::{json, Value};

const PARTNER_FILE: &str = "Imię i nazwisko;Telefon;Miasto\nAnna Stara;602 000 001;Sopot\nZofia Zapomniana;602000002;Gdynia\nNowy Człowiek;602000003;Puck\n";

/// A partner's file, imported updating duplicates, that names Anna (who withdrew her
/// consent to processing), Zofia (forgotten at her request) and one new person.
struct PartnerImport {
    manager: common::Client,
    processing: i64,
    marketing: i64,
    anna: i64,
    id: i64,
    report: Value,
}

async fn partner_import(app: &common::TestApp) -> PartnerImport {
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

    let (status, loaded) = manager
        .upload_import("partner.csv", PARTNER_FILE.as_bytes().to_vec())
        .await;
    assert_eq!(status, StatusCode::OK, "{loaded}");
    let id = loaded["id"].as_i64().unwrap();
    let mapping = loaded["preview"]["suggested"].clone();
    let report = start(
        &manager,
        id,
        settings(&loaded, source, &[processing, marketing], mapping, "update"),
    )
    .await;
    PartnerImport {
        manager,
        processing,
        marketing,
        anna,
        id,
        report,
    }
}

both_backends!(
    a_utf8_file_with_a_full_name_column_gets_its_columns_suggested,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let (status, loaded) = manager
            .upload_import("partner.csv", PARTNER_FILE.as_bytes().to_vec())
            .await;
        assert_eq!(status, StatusCode::OK, "{loaded}");
        assert_eq!(loaded["preview"]["encoding"], "utf8");
        let mapping = loaded["preview"]["suggested"].clone();
        assert_eq!(mapping, json!(["full_name", "phone", "city"]));
    }
);

both_backends!(
    the_report_counts_one_added_one_updated_and_one_erased_before,
    |app| async move {
        let PartnerImport { report, .. } = partner_import(&app).await;
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
    }
);

both_backends!(
    a_duplicate_takes_the_files_city_and_its_history_names_the_source,
    |app| async move {
        let PartnerImport { manager, anna, .. } = partner_import(&app).await;
        let card = manager.contact_card(anna).await;
        assert_eq!(card["data"]["city"], "Sopot");
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
    }
);

both_backends!(a_file_never_undoes_a_withdrawal, |app| async move {
    let PartnerImport {
        manager,
        processing,
        marketing,
        anna,
        report,
        ..
    } = partner_import(&app).await;
    let c = &report["counters"];
    assert_eq!(
        c["consents"], 3,
        "2 for the new person, marketing only for Anna: {report}"
    );
    let card = manager.contact_card(anna).await;
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
});

both_backends!(
    a_person_erased_before_is_reported_under_the_phone_column,
    |app| async move {
        let PartnerImport { report, .. } = partner_import(&app).await;
        let skipped = &report["rejections"][0];
        assert_eq!(skipped["reason"], "ErrImportErasedBefore");
        assert_eq!(skipped["column"], "Telefon");
    }
);

both_backends!(
    nothing_of_a_person_erased_before_comes_back,
    |app| async move {
        let PartnerImport { manager, id, .. } = partner_import(&app).await;
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
