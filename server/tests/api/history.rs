//! Personal-data history, sources, recipients with agreements, the disclosure log,
//! activities and card reads, on both databases.

use crate::common;

use app::auth::Role;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn save(client: &common::Client, input: Value) -> i64 {
    client.contact_save(input).await
}

async fn card(client: &common::Client, id: i64) -> Value {
    client.contact_card(id).await
}

async fn history(client: &common::Client, id: i64) -> Value {
    let (status, body) = client
        .call("contact_history", &[("contact_id", &id.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn edit(client: &common::Client, id: i64, change: impl Fn(&mut Value), reason: &str) {
    let current = card(client, id).await;
    let mut data = current["data"].clone();
    change(&mut data);
    save(
        client,
        json!({"id": id, "version": current["version"], "data": data, "reason": reason}),
    )
    .await;
}

both_backends!(every_edit_leaves_its_history, |app| async move {
    let client = app.signed_in("konsultant", Role::Consultant).await;
    let id = save(
        &client,
        json!({"data": {"first_name": "Jan", "last_name": "Historyczny", "phones": [{"value": "600100200", "for_call": true, "for_sms": false}]}}),
    )
    .await;
    edit(
        &client,
        id,
        |d| d["phones"][0]["value"] = json!("601 000 111"),
        "Klient podał nowy numer",
    )
    .await;
    edit(&client, id, |d| d["city"] = json!("Gdańsk"), "").await;
    edit(
        &client,
        id,
        |d| d["phones"][0]["value"] = json!("602 000 222"),
        "Pomyłka w numerze",
    )
    .await;
    let h = history(&client, id).await;
    let phones: Vec<&Value> = h["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["field"] == "phones")
        .collect();
    assert_eq!(phones.len(), 3, "{h}");
    assert_eq!(phones[0]["old_value"], "+48601000111 [call]");
    assert_eq!(phones[0]["new_value"], "+48602000222 [call]");
    assert_eq!(phones[0]["reason"], "Pomyłka w numerze");
    assert_eq!(phones[0]["changed_by"], "Test User");
    assert_eq!(phones[0]["source"], "Konsultant (rozmowa z osobą)");
    assert_eq!(phones[2]["old_value"], Value::Null, "created");
    let city: Vec<&Value> = h["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["field"] == "city")
        .collect();
    assert_eq!(city.len(), 1);
    assert_eq!(city[0]["reason"], Value::Null);
    // Sealed, and not editable; erasing (setting to NULL) is the only change allowed.
    let sealed: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT new_value FROM field_history WHERE new_value IS NOT NULL")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert!(sealed
        .iter()
        .all(|v| !String::from_utf8_lossy(v).contains("602000222")));
    assert!(
        sqlx::query("UPDATE field_history SET new_value = old_value")
            .execute(app.db.pool())
            .await
            .is_err()
    );
    assert!(sqlx::query("UPDATE field_history SET field = 'notes'")
        .execute(app.db.pool())
        .await
        .is_err());
    sqlx::query("UPDATE field_history SET old_value = NULL, new_value = NULL, reason = NULL")
        .execute(app.db.pool())
        .await
        .expect("erasing history values is allowed");
    // The activities group each save's fields.
    let kinds: Vec<&str> = h["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["detail"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["fields_changed"; 4]);
});

both_backends!(sources_are_registered_and_recorded, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let (status, body) = manager
        .call(
            "data_source_save",
            &[
                ("name", "Baza z targów"),
                ("kind", "purchased"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["seller", "acquired_on", "acquisition_basis"]);
    let (status, body) = manager
        .call(
            "data_source_save",
            &[
                ("name", "Baza z targów"),
                ("kind", "purchased"),
                ("seller", "Data Sp. z o.o."),
                ("acquired_on", "2026-03-01"),
                ("acquisition_basis", "umowa sprzedaży"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let source = body.as_i64().unwrap();
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let id = save(
        &consultant,
        json!({"data": {"last_name": "Kupiony"}, "source_id": source}),
    )
    .await;
    assert_eq!(card(&consultant, id).await["source"], "Baza z targów");
    let h = history(&consultant, id).await;
    assert_eq!(h["changes"][0]["source"], "Baza z targów");
    manager
        .call(
            "data_source_save",
            &[
                ("id", &source.to_string()),
                ("name", "Baza z targów"),
                ("kind", "purchased"),
                ("seller", "Data Sp. z o.o."),
                ("acquired_on", "2026-03-01"),
                ("acquisition_basis", "umowa sprzedaży"),
            ],
        )
        .await;
    let (status, body) = consultant
        .call_json(
            "contact_save",
            json!({"input": {"data": {"last_name": "Nieaktywne"}, "source_id": source}}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0]["field"], "source_id");
    let (status, _) = consultant
        .call("data_source_save", &[("name", "x"), ("kind", "partner")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
});

async fn processor(manager: &common::Client) -> i64 {
    let (status, body) = manager
        .call(
            "recipient_save",
            &[
                ("name", "Kurier Sp. z o.o."),
                ("nip", "526-000-12-46"),
                ("role", "processor"),
                ("active", "on"),
                ("scope[phones]", "contract"),
                ("scope[street]", "contract"),
                ("scope[city]", "contract"),
                ("scope[last_name]", "contract"),
                ("scope[pesel]", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().unwrap()
}

async fn sign_agreement(manager: &common::Client, recipient: i64, signed_on: &str) {
    let form = Form::new()
        .text("recipient_id", recipient.to_string())
        .text("subject_duration", "Doręczanie przesyłek, 2026–2027")
        .text("nature_purpose", "Doręczenie zamówień")
        .text("data_types", "imię, nazwisko, adres, telefon")
        .text("subject_categories", "klienci")
        .text("obligations_rights", "Art. 28 ust. 3 RODO")
        .text("signed_on", signed_on.to_string());
    let (status, body) = manager.call_multipart("agreement_add", form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

both_backends!(disclosures_stay_within_scope, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let recipient = processor(&manager).await;
    let (_, list) = manager.call("recipients_list", &[]).await;
    assert_eq!(list[0]["nip"], "5260001246");
    assert_eq!(
        list[0]["scope"].as_array().unwrap().len(),
        4,
        "an empty basis is not shared"
    );
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let a = save(
        &consultant,
        json!({"data": {"last_name": "Odbiorca", "phones": [{"value": "600100200"}]}}),
    )
    .await;
    let b = save(&consultant, json!({"data": {"last_name": "Drugi"}})).await;
    let ids = format!("{a}, {b}");
    let disclose = |fields: Vec<(&'static str, &'static str)>| {
        let manager = &manager;
        let ids = ids.clone();
        async move {
            let r = recipient.to_string();
            let mut form = vec![
                ("recipient_id", r.as_str()),
                ("contact_ids", ids.as_str()),
                ("purpose", "Doręczenie przesyłki"),
            ];
            form.extend(fields);
            manager.call("disclosure_record", &form).await
        }
    };
    // A processor receives nothing before its agreement is signed (Art. 28).
    let (status, body) = disclose(vec![("fields[phones]", "on")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0]["field"], "recipient_id", "{body}");
    assert_eq!(body["detail"][0]["msg"], "ErrNoAgreementInForce", "{body}");
    sign_agreement(&manager, recipient, "2999-01-01").await;
    let (status, body) = disclose(vec![("fields[phones]", "on")]).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not yet signed: {body}"
    );
    sign_agreement(&manager, recipient, "2026-01-15").await;
    let (status, body) = disclose(vec![("fields[phones]", "on"), ("fields[pesel]", "on")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["kind"], "outside_scope");
    assert_eq!(body["detail"], "pesel");
    let (status, body) = disclose(vec![("fields[phones]", "on"), ("fields[city]", "on")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, log) = manager
        .call(
            "disclosures_list",
            &[("recipient_id", &recipient.to_string())],
        )
        .await;
    assert_eq!(
        log.as_array().unwrap().len(),
        1,
        "the refused one left nothing"
    );
    assert_eq!(log[0]["contact_ids"], json!([a, b]));
    assert_eq!(log[0]["fields"], json!(["phones", "city"]));
    assert_eq!(log[0]["legal_basis"], "contract");
    let (_, none) = manager
        .call("disclosures_list", &[("from", "2999-01-01")])
        .await;
    assert_eq!(none, json!([]));
    let (status, _) = manager
        .call("disclosures_list", &[("from", "1.01.2026")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Shown on the contact card's activities.
    let h = history(&consultant, a).await;
    assert_eq!(h["activities"][0]["detail"]["kind"], "disclosure");
    assert_eq!(
        h["activities"][0]["detail"]["recipient"],
        "Kurier Sp. z o.o."
    );
    let (status, _) = consultant
        .call(
            "disclosure_record",
            &[
                ("recipient_id", "1"),
                ("contact_ids", "1"),
                ("purpose", "x"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = manager
        .call(
            "disclosure_record",
            &[
                ("recipient_id", &recipient.to_string()),
                ("contact_ids", "999999"),
                ("fields[phones]", "on"),
                ("purpose", "x"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0]["field"], "contact_ids");
});

both_backends!(processor_agreements_keep_their_document, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let recipient = processor(&manager).await;
    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF".to_vec();
    let form = |doc: Vec<u8>, recipient: i64| {
        Form::new()
            .text("recipient_id", recipient.to_string())
            .text("subject_duration", "Doręczanie przesyłek, 2026–2027")
            .text("nature_purpose", "Doręczenie zamówień")
            .text("data_types", "imię, nazwisko, adres, telefon")
            .text("subject_categories", "klienci")
            .text("obligations_rights", "Art. 28 ust. 3 RODO")
            .text("signed_on", "2026-01-15")
            .part("document", Part::bytes(doc).file_name("umowa.pdf"))
    };
    let (status, body) = manager
        .call_multipart("agreement_add", form(pdf.clone(), recipient))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let agreement = body.as_i64().unwrap();
    let (_, list) = manager.call("recipients_list", &[]).await;
    assert_eq!(list[0]["agreements"][0]["signed_on"], "2026-01-15");
    assert_eq!(list[0]["agreements"][0]["document_type"], "application/pdf");
    let res = manager.get(&format!("/umowy/{agreement}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    assert_eq!(
        consultant
            .get(&format!("/umowy/{agreement}"))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let (status, body) = manager
        .call_multipart("agreement_add", form(b"not a pdf".to_vec(), recipient))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0]["field"], "document");
    let (_, controller) = manager
        .call(
            "recipient_save",
            &[
                ("name", "Urząd Skarbowy"),
                ("role", "public_authority"),
                ("active", "on"),
            ],
        )
        .await;
    let (status, body) = manager
        .call_multipart(
            "agreement_add",
            form(b"%PDF-1.4".to_vec(), controller.as_i64().unwrap()),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0]["field"], "recipient_id");
});

both_backends!(card_reads_answer_who_has_seen_the_data, |app| async move {
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let id = save(&consultant, json!({"data": {"last_name": "Czytany"}})).await;
    card(&consultant, id).await;
    card(&consultant, id).await;
    let manager = app.signed_in("menedzer", Role::Manager).await;
    card(&manager, id).await;
    let h = history(&consultant, id).await;
    let readers = h["readers"].as_array().unwrap();
    assert_eq!(readers.len(), 2, "{h}");
    let total: i64 = readers.iter().map(|r| r["reads"].as_i64().unwrap()).sum();
    // Three card openings, and the history tab that shows this list is a read too.
    assert_eq!(total, 4);
});
