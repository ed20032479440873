//! The integrator API's document on both databases: `/api/openapi.json` and `/api/docs`
//! are for tokens and signed-in people only, name exactly the integrator endpoints, and
//! each of those takes JSON as well as the form it took before.

use crate::common;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn token(app: &common::TestApp, role: &str) -> String {
    let admin = app.signed_in("admin", Role::Administrator).await;
    let (status, body) = admin
        .call(
            "api_token_create",
            &[
                ("name", "Formularz WWW"),
                ("role", role),
                ("endpoints", "can_contact"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["token"].as_str().unwrap().to_string()
}

both_backends!(
    the_document_is_for_tokens_and_people_signed_in,
    |app| async move {
        let anonymous = app.bare_client().get("/api/openapi.json").await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        let anonymous = app.bare_client().get("/api/docs").await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

        // A token narrowed to one endpoint still reads the whole document.
        let integrator = app.token_client(&token(&app, "consultant").await);
        let res = integrator.get("/api/openapi.json").await;
        assert_eq!(res.status(), StatusCode::OK);
        let doc: Value = res.json().await.unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        let mut paths: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
        paths.sort();
        let mut want: Vec<String> = app::auth::access::API
            .iter()
            .map(|e| format!("/api/{e}"))
            .collect();
        want.sort();
        assert_eq!(paths, want);
        let dialer = &doc["paths"]["/api/dialer_check"]["post"];
        assert!(dialer["description"].as_str().unwrap().contains("10,000"));
        assert_eq!(
            dialer["x-zgoda-roles"],
            json!(["consultant", "manager", "administrator"])
        );
        assert_eq!(
            doc["paths"]["/api/disclosure_record"]["post"]["x-zgoda-roles"],
            json!(["manager", "administrator"])
        );

        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let page = consultant.get("/api/docs").await;
        assert_eq!(page.status(), StatusCode::OK);
        let csp = page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains("default-src 'none'") && !csp.contains("script-src"),
            "{csp}"
        );
        let html = page.text().await.unwrap();
        assert!(html.contains("POST /api/dialer_check"));
        assert!(html.contains("id=\"schema-AppError\""));
        assert!(!html.contains("<script"));
    }
);

both_backends!(
    integrator_endpoints_take_json_and_forms_alike,
    |app| async move {
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let id = consultant
            .contact_save(
                json!({"data": {"first_name": "Grzegorz", "last_name": "Brzęczyszczykiewicz",
                "emails": [{"value": "g.brzeczyszczykiewicz@example.pl"}]}}),
            )
            .await;
        let form = consultant
            .call(
                "can_contact",
                &[
                    ("contact_id", &id.to_string()),
                    ("channel", "email"),
                    ("purpose", "service"),
                ],
            )
            .await;
        let json_answer = consultant
            .call_json(
                "can_contact",
                json!({"contact_id": id, "channel": "email", "purpose": "service"}),
            )
            .await;
        assert_eq!(form.0, StatusCode::OK, "{}", form.1);
        assert_eq!(form, json_answer);
        // An address sent without channel flags serves e-mail.
        assert_eq!(json_answer.1["allowed"], true, "{}", json_answer.1);

        let integrator = app.token_client(&token(&app, "consultant").await);
        let (status, body) = integrator
            .call_json(
                "can_contact",
                json!({"contact_id": id, "channel": "email", "purpose": "marketing"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["allowed"], false);

        // A malformed body is the caller's mistake in either encoding, never a 500.
        for bad in [r#"{"contact_id": "x"}"#, "{", "contact_id=x&channel=call"] {
            let res = integrator
                .http
                .post(format!("{}/api/can_contact", integrator.base))
                .header("content-type", "application/json")
                .body(bad)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        }
    }
);
