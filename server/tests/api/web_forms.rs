//! What web forms and mailing tools need, on both databases: a consent relayed from a
//! web form is recorded on the statement version the form showed, with the page's
//! address and the person's IP address as evidence; a withdrawal link opens a page that
//! names the consent but not the person, and one button withdraws it.

use crate::common;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A token for the form's server, acting as a consultant.
async fn form_server(app: &common::TestApp) -> common::Client {
    let admin = app.signed_in("admin", Role::Administrator).await;
    let (status, body) = admin
        .call(
            "api_token_create",
            &[("name", "Formularz WWW sklepu"), ("role", "consultant")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.token_client(body["token"].as_str().unwrap())
}

async fn newsletter(app: &common::TestApp) -> (common::Client, i64, i64) {
    let manager = app.signed_in("kierownik", Role::Manager).await;
    let definition = manager
        .define_consent("Newsletter e-mail", "email", true)
        .await;
    let contact = manager
        .contact_save(
            json!({"data": {"first_name": "Bożena", "last_name": "Żółkiewska-Kowalczyk",
            "emails": [{"value": "bozena.zolkiewska@example.pl"}]}}),
        )
        .await;
    (manager, definition, contact)
}

fn web_form(contact: i64, definition: i64) -> Value {
    json!({"form": {
        "contact_id": contact,
        "definition_id": definition,
        "decision": "granted",
        "statement_version": 1,
        "form_url": "https://sklep.example.pl/newsletter",
        "client_ip": "203.0.113.7",
        "user_agent": "Mozilla/5.0 (Android 14; Mobile)",
    }})
}

async fn marketing_email(client: &common::Client, contact: i64) -> Value {
    let (status, body) = client
        .call_json(
            "can_contact",
            json!({"contact_id": contact, "channel": "email", "purpose": "marketing"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

both_backends!(
    a_web_form_consent_keeps_the_page_the_address_and_the_statement_shown,
    |app| async move {
        let (manager, definition, contact) = newsletter(&app).await;
        let form = form_server(&app).await;
        let (status, consents) = form
            .call_json("consent_web_form", web_form(contact, definition))
            .await;
        assert_eq!(status, StatusCode::OK, "{consents}");
        let newsletter = consents
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["definition_id"] == definition)
            .unwrap();
        assert_eq!(newsletter["decision"], "granted");
        let event = &newsletter["history"][0];
        assert_eq!(event["method"], "web_form");
        assert_eq!(event["version"], 1);
        assert_eq!(marketing_email(&form, contact).await["allowed"], true);

        // The evidence, opened by a manager: what the form showed and where it came from.
        let evidence = event["evidence"]["id"].as_i64().expect("evidence");
        let res = manager.get(&format!("/dowody/{evidence}")).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"));
        let doc: Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        assert_eq!(doc["form_url"], "https://sklep.example.pl/newsletter");
        assert_eq!(doc["client_ip"], "203.0.113.7");
        assert_eq!(doc["statement"], "Wyrażam zgodę.");
        assert_eq!(doc["statement_version"], 1);
        assert_eq!(doc["relayed_by"], "Formularz WWW sklepu");
        // Sealed under the contact's key like any evidence: not in the clear in the table.
        let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT content FROM evidence_files")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
        assert!(stored
            .iter()
            .all(|c| !String::from_utf8_lossy(c).contains("203.0.113.7")));
    }
);

both_backends!(
    a_web_form_consent_with_wrong_proof_is_refused_by_field,
    |app| async move {
        let (_, definition, contact) = newsletter(&app).await;
        let form = form_server(&app).await;
        let mut unknown_version = web_form(contact, definition);
        unknown_version["form"]["statement_version"] = json!(7);
        let mut bad_proof = web_form(contact, definition);
        bad_proof["form"]["client_ip"] = json!("localhost");
        bad_proof["form"]["form_url"] = json!("javascript:alert(1)");
        let mut nobody = web_form(contact, definition);
        nobody["form"]["contact_id"] = json!(999_999);
        for (body, fields) in [
            (unknown_version, vec!["statement_version"]),
            (bad_proof, vec!["form_url", "client_ip"]),
        ] {
            let (status, answer) = form.call_json("consent_web_form", body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
            let named: Vec<&str> = answer["detail"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["field"].as_str().unwrap())
                .collect();
            assert_eq!(named, fields);
        }
        let (status, answer) = form.call_json("consent_web_form", nobody).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
        // Nothing was recorded by any of them.
        assert_eq!(
            marketing_email(&form, contact).await["reason"],
            "no_consent"
        );
    }
);

both_backends!(
    a_withdrawal_link_withdraws_with_one_button_and_names_no_one,
    |app| async move {
        let (manager, definition, contact) = newsletter(&app).await;
        manager.decide(contact, definition, "granted").await;
        let mailer = form_server(&app).await;
        let (status, link) = mailer
            .call_json(
                "consent_withdrawal_link",
                json!({"contact_id": contact, "definition_id": definition}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{link}");
        let path = link["path"].as_str().unwrap().to_string();
        assert!(path.starts_with("/wycofanie-zgody/"), "{path}");

        // Anyone with the link, signed in or not; opening it (a mail scanner does) changes nothing.
        let person = app.bare_client();
        for _ in 0..2 {
            let page = person.get(&path).await;
            assert_eq!(page.status(), StatusCode::OK);
            let html = page.text().await.unwrap();
            assert!(html.contains("Newsletter e-mail"));
            assert!(html.contains("Wycofuję zgodę"));
            assert!(
                !html.contains("Żółkiewska") && !html.contains("bozena"),
                "no personal data"
            );
        }
        assert_eq!(marketing_email(&mailer, contact).await["allowed"], true);

        // The button: a plain form post of the token, as the page sends it.
        let token = path.trim_start_matches("/wycofanie-zgody/");
        let (status, answer) = person.call("withdraw_by_link", &[("token", token)]).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["granted"], false);
        let check = marketing_email(&mailer, contact).await;
        assert_eq!(
            (check["allowed"].clone(), check["reason"].clone()),
            (json!(false), json!("withdrawn"))
        );
        let row: (String, String, Option<i64>) = sqlx::query_as(
            "SELECT decision, method, recorded_by FROM consent_events ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(row, ("withdrawn".to_string(), "email".to_string(), None));
        let page = person.get(&path).await.text().await.unwrap();
        assert!(page.contains("Ta zgoda jest wycofana"));

        // A link changed by one character opens nothing and withdraws nothing.
        let other = format!(
            "{}-{definition}-{}",
            contact + 1,
            token.rsplit('-').next().unwrap()
        );
        let (status, _) = person.call("withdraw_by_link", &[("token", &other)]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = person.call("withdrawal_page", &[("token", "1-1-00")]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let invalid = person
            .get("/wycofanie-zgody/1-1-00")
            .await
            .text()
            .await
            .unwrap();
        assert!(invalid.contains("Ten link jest nieprawidłowy"));
    }
);
