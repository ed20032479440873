//! Accounts, sessions, the password policy, attacks and the audit trail, on both backends.

use crate::common;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::Value;

const PASSWORD: &str = "Test-Password-42";

fn kind(body: &Value) -> &str {
    body["kind"].as_str().unwrap_or("")
}

both_backends!(sign_in_and_out, |app| async move {
    app.add_user("anna", Role::Consultant, PASSWORD).await;
    let client = app.client();
    let (status, body) = client
        .call("login", &[("login", " Anna "), ("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["login"], "anna");
    assert_eq!(body["role"], "consultant");
    assert!(body.get("password_hash").is_none());
    let (_, me) = client.call("current_user", &[]).await;
    assert_eq!(me["login"], "anna");
    let (status, _) = client.call("logout", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, me) = client.call("current_user", &[]).await;
    assert_eq!(me, Value::Null);
});

both_backends!(
    unknown_login_and_wrong_password_look_the_same,
    |app| async move {
        app.add_user("anna", Role::Consultant, PASSWORD).await;
        let client = app.client();
        let (s1, wrong_password) = client
            .call(
                "login",
                &[("login", "anna"), ("password", "Wrong-Password-1")],
            )
            .await;
        let (s2, unknown_login) = client
            .call(
                "login",
                &[("login", "nobody"), ("password", "Wrong-Password-1")],
            )
            .await;
        assert_eq!(s1, StatusCode::UNAUTHORIZED);
        assert_eq!((s1, &wrong_password), (s2, &unknown_login));
        assert_eq!(kind(&wrong_password), "invalid_credentials");
    }
);

both_backends!(odd_input_gets_a_message_never_a_500, |app| async move {
    let client = app.client();
    let long = "x".repeat(5000);
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("login", ""), ("password", "")],
        vec![("login", long.as_str()), ("password", long.as_str())],
        vec![
            ("login", "\u{202e}\u{0}zgoda\u{fffd}"),
            ("password", "\u{1F600}\u{0}"),
        ],
        vec![("login", "anna")],
        vec![],
    ];
    for form in cases {
        let (status, body) = client.call("login", &form).await;
        assert!(status.is_client_error(), "{form:?} gave {status}: {body}");
    }
    let (status, body) = client
        .call("login", &[("login", ""), ("password", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["field"], "login");
});

both_backends!(
    failed_logins_lock_the_account_for_a_while_and_are_audited,
    |app| async move {
        app.add_user("anna", Role::Consultant, PASSWORD).await;
        let client = app.client();
        for _ in 0..5 {
            let (status, _) = client
                .call(
                    "login",
                    &[("login", "anna"), ("password", "Wrong-Password-1")],
                )
                .await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        // Even the right password is refused while the lock lasts.
        let (status, body) = client
            .call("login", &[("login", "anna"), ("password", PASSWORD)])
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert!(body["detail"]["retry_after_secs"].as_i64().unwrap() > 800);
        let locks: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'login.locked'")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert!(locks >= 1);
        // The lock ends by itself: it never shuts the user out for good.
        app.exec("UPDATE login_throttle SET locked_until = 1").await;
        let (status, _) = client
            .call("login", &[("login", "anna"), ("password", PASSWORD)])
            .await;
        assert_eq!(status, StatusCode::OK);
    }
);

both_backends!(
    an_expired_password_forces_the_change_page_and_api,
    |app| async move {
        let client = app.signed_in("anna", Role::Manager).await;
        let (status, _) = client.call("audit_list", &[]).await;
        assert_eq!(status, StatusCode::OK);
        // 31 days old under the default 30-day policy.
        app.exec("UPDATE users SET password_changed_at = password_changed_at - 2678400000")
            .await;
        let (status, body) = client.call("audit_list", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(kind(&body), "password_change_required");
        for page in ["/", "/menedzer", "/menedzer/audyt"] {
            let res = client.get(page).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{page}");
            assert_eq!(res.headers()["location"], "/zmiana-hasla");
        }
        assert_eq!(client.get("/zmiana-hasla").await.status(), StatusCode::OK);

        let form = |new: &'static str| {
            vec![
                ("current_password", PASSWORD),
                ("new_password", new),
                ("new_password_repeat", new),
            ]
        };
        let (status, body) = client.call("change_password", &form("short")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["detail"][0]["field"], "new_password");
        let (status, body) = client.call("change_password", &form(PASSWORD)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.to_string().contains("ErrPasswordReused"), "{body}");
        let (status, body) = client
            .call(
                "change_password",
                &[
                    ("current_password", "nope"),
                    ("new_password", "Nowe-Haslo-2026"),
                    ("new_password_repeat", "Nowe-Haslo-2026"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["detail"][0]["field"], "current_password");

        let (status, body) = client
            .call("change_password", &form("Nowe-Haslo-2026"))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // The change ends the session: the user signs in again.
        let (_, me) = client.call("current_user", &[]).await;
        assert_eq!(me, Value::Null);
        let (status, body) = client
            .call(
                "login",
                &[("login", "anna"), ("password", "Nowe-Haslo-2026")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["must_change_password"], false);
    }
);

both_backends!(
    a_password_change_ends_the_other_sessions,
    |app| async move {
        let laptop = app.signed_in("anna", Role::Consultant).await;
        let tablet = app.client();
        let (status, _) = tablet
            .call("login", &[("login", "anna"), ("password", PASSWORD)])
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = laptop
            .call(
                "change_password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", "Nowe-Haslo-2026"),
                    ("new_password_repeat", "Nowe-Haslo-2026"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, me) = tablet.call("current_user", &[]).await;
        assert_eq!(me, Value::Null);
        let audited: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'password.changed'")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(audited, 1);
    }
);

both_backends!(the_last_five_passwords_cannot_come_back, |app| async move {
    let client = app.signed_in("anna", Role::Consultant).await;
    let mut current = PASSWORD.to_string();
    // Six changes: the original password falls out of the five kept.
    for i in 0..6 {
        let next = format!("Kolejne-Haslo-{i}x");
        let (status, body) = client
            .call(
                "change_password",
                &[
                    ("current_password", &current),
                    ("new_password", &next),
                    ("new_password_repeat", &next),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, _) = client
            .call("login", &[("login", "anna"), ("password", &next)])
            .await;
        assert_eq!(status, StatusCode::OK);
        current = next;
    }
    let (status, body) = client
        .call(
            "change_password",
            &[
                ("current_password", &current),
                ("new_password", "Kolejne-Haslo-1x"),
                ("new_password_repeat", "Kolejne-Haslo-1x"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = client
        .call(
            "change_password",
            &[
                ("current_password", &current),
                ("new_password", PASSWORD),
                ("new_password_repeat", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "six passwords back is allowed again: {body}"
    );
});

both_backends!(sessions_end_on_idle_timeout, |app| async move {
    let client = app.signed_in("anna", Role::Consultant).await;
    app.exec("UPDATE sessions SET last_seen_at = last_seen_at - 1860000")
        .await;
    let (_, me) = client.call("current_user", &[]).await;
    assert_eq!(me, Value::Null);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);
});

both_backends!(sessions_end_at_the_absolute_lifetime, |app| async move {
    let client = app.signed_in("anna", Role::Consultant).await;
    app.exec("UPDATE sessions SET created_at = created_at - 43300000")
        .await;
    let (_, me) = client.call("current_user", &[]).await;
    assert_eq!(me, Value::Null);
});

both_backends!(a_new_session_id_at_each_login, |app| async move {
    let client = app.signed_in("anna", Role::Consultant).await;
    let first: String = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let (status, _) = client
        .call("login", &[("login", "anna"), ("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::OK);
    let now: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(now.len(), 1);
    assert_ne!(now[0], first);
});

both_backends!(
    disabling_a_user_ends_its_sessions_at_once,
    |app| async move {
        let admin = app.signed_in("root", Role::Administrator).await;
        let anna = app.signed_in("anna", Role::Consultant).await;
        let (_, list) = admin.call("users_list", &[]).await;
        let anna_id = list
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["login"] == "anna")
            .unwrap()["id"]
            .to_string();
        let (status, body) = admin
            .call(
                "users_set_disabled",
                &[("user_id", &anna_id), ("disabled", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, me) = anna.call("current_user", &[]).await;
        assert_eq!(me, Value::Null);
        let (status, _) = app
            .client()
            .call("login", &[("login", "anna"), ("password", PASSWORD)])
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
);

both_backends!(
    an_administrator_reset_forces_a_change_and_the_last_admin_stays,
    |app| async move {
        let admin = app.signed_in("root", Role::Administrator).await;
        let (status, issued) = admin
            .call(
                "users_create",
                &[
                    ("login", "Jan.Nowak"),
                    ("display_name", "Jan Nowak"),
                    ("role", "consultant"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{issued}");
        assert_eq!(issued["login"], "jan.nowak");
        let one_time = issued["password"].as_str().unwrap().to_string();
        let jan = app.client();
        let (status, body) = jan
            .call("login", &[("login", "jan.nowak"), ("password", &one_time)])
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["must_change_password"], true);
        let (status, _) = jan.call("audit_list", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let (status, body) = admin
            .call(
                "users_create",
                &[
                    ("login", "jan.nowak"),
                    ("display_name", ""),
                    ("role", "manager"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.to_string().contains("ErrLoginTaken"));

        let (_, me) = admin.call("current_user", &[]).await;
        let my_id = me["id"].to_string();
        let (status, body) = admin
            .call(
                "users_set_role",
                &[("user_id", &my_id), ("role", "manager")],
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        let (status, _) = admin
            .call(
                "users_set_disabled",
                &[("user_id", &my_id), ("disabled", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
    }
);

both_backends!(cross_origin_state_changes_are_refused, |app| async move {
    let client = app.signed_in("anna", Role::Consultant).await;
    let forged = client
        .http
        .post(format!("{}/api/logout", app.base))
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let cross_site = client
        .http
        .post(format!("{}/api/logout", app.base))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let (_, me) = client.call("current_user", &[]).await;
    assert_eq!(
        me["login"], "anna",
        "the session survived the forged requests"
    );
    // A GET never changes state: server functions answer POST only.
    let get = client.get("/api/logout").await;
    assert!(get.status().is_client_error());
    let (_, me) = client.call("current_user", &[]).await;
    assert_eq!(me["login"], "anna");
});

both_backends!(
    the_password_policy_is_configurable_and_guarded,
    |app| async move {
        let admin = app.signed_in("root", Role::Administrator).await;
        let (status, body) = admin
            .call("password_policy_set", &[("preset", "asvs_nist")])
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["min_length"], 12);
        assert_eq!(body["max_age_days"], 0);
        let (status, body) = admin
            .call(
                "password_policy_set",
                &[
                    ("preset", "custom"),
                    ("min_length", "4"),
                    ("max_age_days", "30"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["detail"][0]["field"], "min_length");
        let (status, _) = admin
            .call(
                "password_policy_set",
                &[
                    ("preset", "custom"),
                    ("min_length", "many"),
                    ("max_age_days", "30"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // Under ASVS / NIST no password expires.
        app.exec("UPDATE users SET password_changed_at = 0").await;
        let (status, _) = admin.call("audit_list", &[]).await;
        assert_eq!(status, StatusCode::OK);
    }
);

both_backends!(audit_verify_reports_tampering, |app| async move {
    use app::audit::store::verify;
    app.add_user("anna", Role::Consultant, PASSWORD).await;
    for _ in 0..3 {
        app.client()
            .call("login", &[("login", "anna"), ("password", PASSWORD)])
            .await;
    }
    app.client()
        .call(
            "login",
            &[("login", "anna"), ("password", "Wrong-1-Password")],
        )
        .await;
    let report = verify(&app.db).await.unwrap();
    assert_eq!(report.rows, 4);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    // The log refuses edits through the application's database user...
    assert!(
        sqlx::query("UPDATE audit_log SET outcome = 'success' WHERE id = 4")
            .execute(app.db.pool())
            .await
            .is_err()
    );
    // ...so an attacker drops the guard first; verification still notices.
    match app.kind {
        common::Kind::Sqlite => app.exec("DROP TRIGGER audit_log_no_update").await,
        common::Kind::Postgres => {
            app.exec("DROP TRIGGER audit_log_no_change ON audit_log")
                .await
        }
    }
    app.exec("UPDATE audit_log SET outcome = 'success' WHERE id = 4")
        .await;
    let report = verify(&app.db).await.unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("row 4") && p.contains("edited")),
        "{:?}",
        report.problems
    );
    app.exec("UPDATE audit_log SET outcome = 'failure' WHERE id = 4")
        .await;
    assert!(verify(&app.db).await.unwrap().problems.is_empty());

    if app.kind == common::Kind::Sqlite {
        app.exec("DROP TRIGGER audit_log_no_delete").await;
    }
    app.exec("DELETE FROM audit_log WHERE id = 2").await;
    let report = verify(&app.db).await.unwrap();
    assert!(
        report.problems.iter().any(|p| p.contains("missing")),
        "{:?}",
        report.problems
    );
});

both_backends!(audit_trail_removed_tail_is_noticed, |app| async move {
    use app::audit::store::verify;
    app.add_user("anna", Role::Consultant, PASSWORD).await;
    app.client()
        .call("login", &[("login", "anna"), ("password", PASSWORD)])
        .await;
    app.client()
        .call("login", &[("login", "anna"), ("password", PASSWORD)])
        .await;
    match app.kind {
        common::Kind::Sqlite => app.exec("DROP TRIGGER audit_log_no_delete").await,
        common::Kind::Postgres => {
            app.exec("DROP TRIGGER audit_log_no_change ON audit_log")
                .await
        }
    }
    app.exec("DELETE FROM audit_log WHERE id = 2").await;
    let report = verify(&app.db).await.unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("newest rows were removed")),
        "{:?}",
        report.problems
    );
});

both_backends!(the_audit_trail_never_holds_a_password, |app| async move {
    app.add_user("anna", Role::Consultant, PASSWORD).await;
    app.client()
        .call(
            "login",
            &[("login", "anna"), ("password", "Typed-Secret-99")],
        )
        .await;
    app.client()
        .call("login", &[("login", "anna"), ("password", PASSWORD)])
        .await;
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT COALESCE(actor_login, '') || '|' || action || '|' || COALESCE(subject, '') || '|' || COALESCE(source, '') FROM audit_log",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert!(rows.len() >= 2);
    for row in rows {
        assert!(
            !row.contains("Typed-Secret-99") && !row.contains(PASSWORD),
            "{row}"
        );
    }
});

both_backends!(
    behind_a_proxy_the_forwarded_address_is_throttled,
    security = app::state::Security {
        trust_forwarded_for: true,
        address_lockout_threshold: 5,
        ..Default::default()
    },
    |app| async move {
        app.add_user("anna", Role::Consultant, PASSWORD).await;
        app.add_user("jan", Role::Consultant, PASSWORD).await;
        let attempt = |login: &'static str, password: &'static str, from: &'static str| {
            let client = app.client();
            async move {
                client
                    .http
                    .post(format!("{}/api/login", client.base))
                    .header("x-forwarded-for", format!("203.0.113.9, {from}"))
                    .form(&[("login", login), ("password", password)])
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        // Five failures from one address, spread over two accounts (neither locks alone).
        for login in ["anna", "jan", "anna", "jan", "anna"] {
            assert_eq!(
                attempt(login, "Wrong-Password-1", "198.51.100.7").await,
                StatusCode::UNAUTHORIZED
            );
        }
        assert_eq!(
            attempt("jan", PASSWORD, "198.51.100.7").await,
            StatusCode::TOO_MANY_REQUESTS
        );
        // Another client behind the same proxy is not locked out.
        assert_eq!(
            attempt("jan", PASSWORD, "198.51.100.8").await,
            StatusCode::OK
        );
        let sources: Vec<Option<String>> =
            sqlx::query_scalar("SELECT source FROM audit_log WHERE action = 'login.succeeded'")
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        assert_eq!(sources, vec![Some("198.51.100.8".to_string())]);
    }
);
