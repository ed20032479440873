//! API tokens on both databases: an administrator creates one and sees it once; it works
//! with no cookie and no Origin on the integrator endpoints its role and its own list
//! allow, from its allowed addresses, at its rate; a revoked or expired one does not;
//! what it reads and changes is recorded as the integration.

use crate::common;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Creates a token through the administrators' endpoint; returns the answer.
async fn create(admin: &common::Client, fields: &[(&str, &str)]) -> (StatusCode, Value) {
    admin.call("api_token_create", fields).await
}

async fn token(admin: &common::Client, fields: &[(&str, &str)]) -> (i64, String) {
    let (status, body) = create(admin, fields).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("zgk_"), "{token}");
    (body["id"].as_i64().unwrap(), token)
}

async fn person(app: &common::TestApp) -> i64 {
    app.signed_in("konsultant", Role::Consultant)
        .await
        .contact_save(
            json!({"data": {"first_name": "Jan", "last_name": "Brzęczyszczykiewicz",
            "phones": [{"value": "600 700 800", "for_call": true}]}}),
        )
        .await
}

both_backends!(
    a_token_is_shown_once_and_only_its_hash_is_kept,
    |app| async move {
        let admin = app.signed_in("admin", Role::Administrator).await;
        let (_, token) = token(&admin, &[("name", "Dialer Avaya"), ("role", "consultant")]).await;
        let (status, list) = admin.call("api_tokens_list", &[]).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let row = &list[0];
        assert_eq!(row["name"], "Dialer Avaya");
        assert_eq!(row["state"], "active");
        assert!(token.starts_with(row["prefix"].as_str().unwrap()));
        assert!(
            !list.to_string().contains(&token),
            "the list never holds the token"
        );
        let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert_ne!(stored[0], token);
        // Managers and consultants do not administer tokens.
        let manager = app.signed_in("kierownik", Role::Manager).await;
        let (status, _) = create(&manager, &[("name", "x"), ("role", "consultant")]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = manager.call("api_tokens_list", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);

both_backends!(
    bad_token_fields_get_messages_beside_them,
    |app| async move {
        let admin = app.signed_in("admin", Role::Administrator).await;
        let (status, body) = create(
            &admin,
            &[
                ("name", ""),
                ("role", "consultant"),
                ("endpoints", "users_list"),
                ("allowed_addresses", "10.0.0.300"),
                ("valid_days", "0"),
                ("rate_per_sec", "dużo"),
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
        assert_eq!(
            fields,
            [
                "name",
                "endpoints",
                "allowed_addresses",
                "valid_days",
                "rate_per_sec"
            ]
        );
    }
);

both_backends!(
    a_token_works_without_cookie_or_origin_on_integrator_endpoints_only,
    |app| async move {
        let id = person(&app).await;
        let admin = app.signed_in("admin", Role::Administrator).await;
        let (_, raw) = token(&admin, &[("name", "CRM"), ("role", "consultant")]).await;
        let crm = app.token_client(&raw);
        let (status, card) = crm.call("contact_get", &[("id", &id.to_string())]).await;
        assert_eq!(status, StatusCode::OK, "{card}");
        assert_eq!(card["data"]["last_name"], "Brzęczyszczykiewicz");
        let (status, body) = crm
            .call(
                "can_contact",
                &[
                    ("contact_id", &id.to_string()),
                    ("channel", "call"),
                    ("purpose", "service"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // Its role still applies: a consultant's token cannot record a disclosure.
        let (status, _) = crm
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
        // People's endpoints refuse a token whatever its role.
        let (_, root) = token(&admin, &[("name", "Root"), ("role", "administrator")]).await;
        let root = app.token_client(&root);
        for endpoint in [
            "users_list",
            "current_user",
            "api_tokens_list",
            "erasure_queue",
        ] {
            let (status, _) = root.call(endpoint, &[]).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{endpoint}");
        }
        // Pages and files are for people.
        let res = root
            .http
            .get(format!("{}/menedzer", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        // A token does not sign anyone in: no cookie comes back.
        let res = crm
            .http
            .post(format!("{}/api/contact_get", app.base))
            .form(&[("id", id.to_string())])
            .send()
            .await
            .unwrap();
        assert!(res.headers().get("set-cookie").is_none());
    }
);

both_backends!(
    a_token_narrowed_to_endpoints_calls_only_those,
    |app| async move {
        let id = person(&app).await;
        let admin = app.signed_in("admin", Role::Administrator).await;
        let (_, raw) = token(
            &admin,
            &[
                ("name", "Dialer"),
                ("role", "consultant"),
                ("endpoints", "can_contact"),
            ],
        )
        .await;
        let dialer = app.token_client(&raw);
        let (status, _) = dialer
            .call(
                "can_contact",
                &[
                    ("contact_id", &id.to_string()),
                    ("channel", "call"),
                    ("purpose", "marketing"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = dialer.call("contact_get", &[("id", &id.to_string())]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);

both_backends!(
    revoked_expired_and_unknown_tokens_are_refused,
    |app| async move {
        let admin = app.signed_in("admin", Role::Administrator).await;
        let (id, raw) = token(&admin, &[("name", "Stary CRM"), ("role", "consultant")]).await;
        let crm = app.token_client(&raw);
        let (status, _) = crm.call("data_sources", &[]).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = admin
            .call("api_token_revoke", &[("id", &id.to_string())])
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = crm.call("data_sources", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (_, list) = admin.call("api_tokens_list", &[]).await;
        assert_eq!(list[0]["state"], "revoked");
        // Revoking twice is a "not found", not a second record.
        let (status, _) = admin
            .call("api_token_revoke", &[("id", &id.to_string())])
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let (_, raw) = token(
            &admin,
            &[
                ("name", "Kampania"),
                ("role", "consultant"),
                ("valid_days", "1"),
            ],
        )
        .await;
        sqlx::query("UPDATE api_tokens SET expires_at = 1 WHERE name = 'Kampania'")
            .execute(app.db.pool())
            .await
            .unwrap();
        let (status, _) = app.token_client(&raw).call("data_sources", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (_, list) = admin.call("api_tokens_list", &[]).await;
        assert_eq!(list[0]["state"], "expired");

        for bogus in ["zgk_nothing", "", "Basic abc", &"x".repeat(4000)] {
            let (status, _) = app.token_client(bogus).call("data_sources", &[]).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{bogus:.20}");
        }
        // The integration account never signs in at the form.
        let login: String =
            sqlx::query_scalar("SELECT login FROM users WHERE kind = 'integration' LIMIT 1")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        let (status, _) = app
            .client()
            .call("login", &[("login", &login), ("password", "!")])
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        // Nor does it appear among users, assignees or administrators.
        let (_, users) = admin.call("users_list", &[]).await;
        assert!(!users.to_string().contains("api:"), "{users}");
    }
);

both_backends!(
    a_token_is_refused_from_an_address_it_does_not_allow,
    |app| async move {
        let admin = app.signed_in("admin", Role::Administrator).await;
        let (_, far) = token(
            &admin,
            &[
                ("name", "Biuro"),
                ("role", "consultant"),
                ("allowed_addresses", "10.0.0.0/8"),
            ],
        )
        .await;
        let (status, _) = app.token_client(&far).call("data_sources", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, near) = token(
            &admin,
            &[
                ("name", "Serwer"),
                ("role", "consultant"),
                ("allowed_addresses", "127.0.0.1 ::1"),
            ],
        )
        .await;
        let (status, _) = app.token_client(&near).call("data_sources", &[]).await;
        assert_eq!(status, StatusCode::OK);
    }
);

both_backends!(
    a_token_over_its_rate_gets_429_with_retry_after,
    |app| async move {
        let admin = app.signed_in("admin", Role::Administrator).await;
        let (_, raw) = token(
            &admin,
            &[
                ("name", "Wolny"),
                ("role", "consultant"),
                ("rate_per_sec", "1"),
            ],
        )
        .await;
        let slow = app.token_client(&raw);
        // A rate of 1 a second allows a burst of 2.
        let mut statuses = Vec::new();
        let mut retry_after = None;
        for _ in 0..4 {
            let res = slow
                .http
                .post(format!("{}/api/data_sources", app.base))
                .send()
                .await
                .unwrap();
            if res.status() == StatusCode::TOO_MANY_REQUESTS {
                retry_after = res
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_string());
            }
            statuses.push(res.status());
        }
        assert_eq!(statuses[..2], [StatusCode::OK, StatusCode::OK]);
        assert!(statuses[2..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(retry_after.as_deref(), Some("1"));
        // Another token is not held up by this one.
        let (_, other) = token(&admin, &[("name", "Szybki"), ("role", "consultant")]).await;
        let (status, _) = app.token_client(&other).call("data_sources", &[]).await;
        assert_eq!(status, StatusCode::OK);
    }
);

both_backends!(
    what_a_token_reads_and_changes_is_recorded_as_the_integration,
    |app| async move {
        let id = person(&app).await;
        let admin = app.signed_in("admin", Role::Administrator).await;
        let (_, raw) = token(
            &admin,
            &[("name", "CRM Salesforce"), ("role", "consultant")],
        )
        .await;
        let crm = app.token_client(&raw);
        let (status, _) = crm.call("contact_get", &[("id", &id.to_string())]).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = crm
            .call_json(
                "contact_save",
                // An address sent without channel flags serves e-mail.
                json!({"input": {"data": {"first_name": "Ewa", "last_name": "Łęcka",
                "emails": [{"value": "ewa@example.pl"}]}}}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, check) = crm
            .call(
                "can_contact",
                &[
                    ("contact_id", &body.to_string()),
                    ("channel", "email"),
                    ("purpose", "service"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{check}");
        assert_ne!(check["reason"], "no_channel", "{check}");
        app.state.reads.flush(&app.db).await.unwrap();
        let reader: String = sqlx::query_scalar(
            "SELECT u.display_name FROM card_reads r JOIN users u ON u.id = r.user_id \
         WHERE r.contact_id = $1 AND u.kind = 'integration'",
        )
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(reader, "CRM Salesforce");
        let actors: Vec<String> = sqlx::query_scalar(
            "SELECT actor_login FROM audit_log WHERE action = 'contact.created' ORDER BY id",
        )
        .fetch_all(app.db.pool())
        .await
        .unwrap();
        assert!(actors.last().unwrap().starts_with("api:"), "{actors:?}");
        // The list shows the last use and where it came from.
        let mut used = Value::Null;
        for _ in 0..50 {
            let (_, list) = admin.call("api_tokens_list", &[]).await;
            used = list[0].clone();
            if !used["last_used_at"].is_null() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(used["last_used_from"], "127.0.0.1", "{used}");
    }
);
