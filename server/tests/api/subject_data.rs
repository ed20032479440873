//! A person's own data (Art. 15 and 20) on both databases: the card's ZIP holds a
//! readable document and JSON with every value the card and the history show, nothing of
//! another contact and nothing of the staff; each copy is on record with the SHA-256 of
//! what left; files refuse tokens, the JSON endpoint serves them.

use std::io::Read;

use crate::common;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            (file.name().to_string(), text)
        })
        .collect()
}

both_backends!(
    the_cards_copy_holds_everything_about_the_person_and_nothing_else,
    |app| async move {
        let manager = app.signed_in("kierownik", Role::Manager).await;
        let definition = manager
            .define_consent("Newsletter e-mailem", "email", true)
            .await;
        let consultant = app.signed_in("konsultantka", Role::Consultant).await;
        let contact = consultant
            .contact_save(
                json!({"data": {"first_name": "Zofia", "last_name": "Źdźbło-Wąsowicz",
            "phones": [{"value": "600 100 200"}], "emails": [{"value": "zofia@example.pl"}],
            "street": "ul. Łąkowa 5", "postal_code": "00-950", "city": "Łódź",
            "pesel": "44051401458", "notes": "Woli kontakt po 17:00"}}),
            )
            .await;
        let card = consultant.contact_card(contact).await;
        let version = card["version"].as_i64().unwrap();
        let (status, body) = consultant
        .call_json(
            "contact_save",
            json!({"input": {"id": contact, "version": version, "reason": "Zmiana nazwiska po ślubie",
                "data": {"first_name": "Zofia", "last_name": "Nowak-Wąsowicz",
                "phones": [{"id": card["data"]["phones"][0]["id"], "value": "600 100 200",
                    "for_call": true, "for_sms": true, "for_email": false}],
                "emails": [{"id": card["data"]["emails"][0]["id"], "value": "zofia@example.pl",
                    "for_call": false, "for_sms": false, "for_email": true}],
                "street": "ul. Łąkowa 5", "postal_code": "00-950", "city": "Łódź",
                "pesel": "44051401458", "notes": "Woli kontakt po 17:00"}}}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        consultant.decide(contact, definition, "granted").await;
        let (status, body) = consultant
            .call_json(
                "case_save",
                json!({"input": {"contact_id": contact, "subject": "Reklamacja faktury 11/2026",
                "status": "new", "channel": "phone"}}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let other = consultant
            .contact_save(
                json!({"data": {"first_name": "Obcy", "last_name": "Kowalczyk",
            "phones": [{"value": "600 999 888"}]}}),
            )
            .await;
        assert_ne!(other, contact);

        let response = consultant
            .get(&format!("/kontakty/{contact}/dane-osoby"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "application/zip");
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(
            disposition,
            format!("attachment; filename=\"dane-osoby-{contact}.zip\"")
        );
        let bytes = response.bytes().await.unwrap();
        let files = unzip(&bytes);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                format!("dane-osoby-{contact}.html"),
                format!("dane-osoby-{contact}.json")
            ]
        );
        let (html, json_text) = (&files[0].1, &files[1].1);
        let data: Value = serde_json::from_str(json_text).unwrap();
        assert_eq!(data["format"], "zgoda.subject-data/1");
        assert_eq!(data["contact_id"], contact);

        // Every value the card shows, in both files.
        for value in [
            "Zofia",
            "Nowak-Wąsowicz",
            "zofia@example.pl",
            "ul. Łąkowa 5",
            "00-950",
            "Łódź",
            "44051401458",
            "Woli kontakt po 17:00",
            "Reklamacja faktury 11/2026",
            "Newsletter e-mailem",
        ] {
            assert!(json_text.contains(value), "JSON lacks {value}");
            assert!(html.contains(value), "the document lacks {value}");
        }
        assert!(
            json_text.contains("+48600100200") && html.contains("600"),
            "the phone"
        );
        // The history: the former name, the change's reason and source.
        assert!(json_text.contains("Źdźbło-Wąsowicz") && html.contains("Źdźbło-Wąsowicz"));
        assert!(html.contains("Zmiana nazwiska po ślubie"));
        assert_eq!(data["consents"][0]["decision"], "granted");
        assert!(!data["consents"][0]["decisions"][0]["statement"]
            .as_str()
            .unwrap()
            .is_empty());
        assert!(html.contains("Informacja o danych osobowych"));
        // Nothing of another contact, nothing of the staff.
        for foreign in ["Kowalczyk", "600999888", "konsultantka", "Test User"] {
            assert!(
                !json_text.contains(foreign) && !html.contains(foreign),
                "{foreign} leaked"
            );
        }

        // On record: the SHA-256 of exactly what left, and the person's activities say so.
        let recorded: String =
            sqlx::query_scalar("SELECT sha256 FROM subject_exports WHERE contact_id = $1")
                .bind(contact)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(recorded, hex::encode(Sha256::digest(&bytes)));
        let (_, history) = consultant
            .call("contact_history", &[("contact_id", &contact.to_string())])
            .await;
        assert!(
            history["activities"].to_string().contains("data_exported"),
            "{history}"
        );
    }
);

both_backends!(
    integrators_get_the_json_and_files_refuse_tokens,
    |app| async move {
        let admin = app.signed_in("admin", Role::Administrator).await;
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let contact = consultant
            .contact_save(
                json!({"data": {"first_name": "Jan", "last_name": "Brzęczyszczykiewicz"}}),
            )
            .await;
        let (status, issued) = admin
            .call(
                "api_token_create",
                &[("name", "CRM"), ("role", "consultant")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{issued}");
        let crm = app.token_client(issued["token"].as_str().unwrap());
        let (status, data) = crm
            .call_json("contact_data_export", json!({"contact_id": contact}))
            .await;
        assert_eq!(status, StatusCode::OK, "{data}");
        assert_eq!(data["data"]["last_name"], "Brzęczyszczykiewicz");
        let response = crm.get(&format!("/kontakty/{contact}/dane-osoby")).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let (status, _) = crm
            .call_json("contact_data_export", json!({"contact_id": 987_654}))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let forms: Vec<String> =
            sqlx::query_scalar("SELECT form FROM subject_exports WHERE contact_id = $1")
                .bind(contact)
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        assert_eq!(forms, ["json"]);
        // A link on another site does not make a copy in a consultant's name.
        let response = consultant
            .http
            .get(format!("{}/kontakty/{contact}/dane-osoby", consultant.base))
            .header("sec-fetch-site", "cross-site")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let copies: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM subject_exports WHERE contact_id = $1")
                .bind(contact)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(copies, 1, "the JSON above only");
        // Signed out: nothing.
        let stranger = app.bare_client();
        let response = stranger
            .get(&format!("/kontakty/{contact}/dane-osoby"))
            .await;
        assert!(
            matches!(
                response.status(),
                StatusCode::UNAUTHORIZED | StatusCode::SEE_OTHER | StatusCode::FOUND
            ),
            "{}",
            response.status()
        );
    }
);

both_backends!(
    a_request_for_a_copy_is_on_record_until_the_copy_answers_it,
    |app| async move {
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let contact = consultant
            .contact_save(json!({"data": {"first_name": "Zdzisław", "last_name": "Żółć"}}))
            .await;
        let id = contact.to_string();
        let (status, body) = consultant
            .call(
                "access_request_record",
                &[("contact_id", id.as_str()), ("kind", "portability")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = consultant
            .call(
                "access_request_record",
                &[("contact_id", id.as_str()), ("kind", "everything")],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["detail"][0]["field"], "kind");
        let (status, body) = consultant
            .call(
                "access_request_record",
                &[("contact_id", "987654"), ("kind", "access")],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

        let (status, list) = consultant
            .call("access_requests", &[("contact_id", id.as_str())])
            .await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list[0]["kind"], "portability");
        assert_eq!(list[0]["delivered_at"], Value::Null);
        let requested = list[0]["requested_at"].as_i64().unwrap();
        assert_eq!(
            list[0]["deadline_at"].as_i64().unwrap(),
            app::time_fmt::add_months(requested, 1)
        );

        // The card's ZIP answers it.
        let response = consultant
            .get(&format!("/kontakty/{contact}/dane-osoby"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let (_, list) = consultant
            .call("access_requests", &[("contact_id", id.as_str())])
            .await;
        assert!(list[0]["delivered_at"].as_i64().is_some(), "{list}");
    }
);
