//! The attacker's paths found in the review of main (issue #13), each proven closed on
//! both databases: non-canonical paths, object-level rules, a panic on Polish
//! surnames, parallel password guessing, reads that left no trace, the last
//! administrator, and audit rows that commit with their action.

use crate::common;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PASSWORD: &str = "Test-Password-42";

/// One request sent exactly as written (reqwest would resolve `..` before sending).
struct Raw {
    status: u16,
    head: String,
    body: String,
}

impl Raw {
    fn location(&self) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("location")
                .then_some(value.trim())
        })
    }
}

async fn raw(
    app: &common::TestApp,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: &str,
) -> Raw {
    let addr = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: {}\r\nConnection: close\r\n",
        app.base
    );
    if let Some(cookie) = cookie {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if !body.is_empty() {
        request.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    tokio::time::timeout(std::time::Duration::from_secs(30), read)
        .await
        .expect("the server answers")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer).to_string();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Raw {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// Signs in over a raw connection and returns the session cookie (`name=value`).
async fn raw_session(app: &common::TestApp, login: &str, role: Role) -> String {
    app.add_user(login, role, PASSWORD).await;
    let answer = raw(
        app,
        "POST",
        "/api/login",
        None,
        &format!("login={login}&password={PASSWORD}"),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer
        .head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie:")
                .then(|| l.split_once(':').unwrap().1.trim().to_string())
        })
        .and_then(|c| c.split(';').next().map(str::to_string))
        .expect("session cookie")
}

both_backends!(
    paths_are_decided_as_the_router_reads_them,
    |app| async move {
        let consultant = raw_session(&app, "konsultant", Role::Consultant).await;
        // The page the attacker wants: the audit trail holds these sign-ins.
        let secret = "login.succeeded";
        let bypasses = [
            ("/kontakty/../menedzer/uzytkownicy", "/menedzer/uzytkownicy"),
            ("/kontakty/%2e%2e/menedzer/audyt", "/menedzer/audyt"),
            ("/kontakty/%2E%2E%2Fmenedzer%2Faudyt", "/menedzer/audyt"),
            ("/pkg/../menedzer/zapomnienie", "/menedzer/zapomnienie"),
            ("//menedzer//udostepnienia", "/menedzer/udostepnienia"),
            ("/menedzer/audyt/", "/menedzer/audyt"),
            ("/MENEDZER/Audyt", "/menedzer/audyt"),
            ("/./menedzer/./import/1", "/menedzer/import/1"),
        ];
        for (sent, canonical) in bypasses {
            for cookie in [Some(consultant.as_str()), None] {
                for method in ["GET", "HEAD"] {
                    let answer = raw(&app, method, sent, cookie, "").await;
                    assert_eq!(answer.status, 308, "{method} {sent}: {}", answer.head);
                    assert_eq!(answer.location(), Some(canonical), "{sent}");
                    assert!(!answer.body.contains(secret), "{sent}");
                    // Where it leads, the page table applies as always.
                    let next = raw(&app, method, canonical, cookie, "").await;
                    assert_eq!(next.status, 303, "{method} {canonical}: {}", next.head);
                    let expected = if cookie.is_some() { "/" } else { "/logowanie" };
                    assert_eq!(next.location(), Some(expected), "{canonical}");
                    assert!(!next.body.contains(secret));
                }
            }
        }
        for refused in [
            "/menedzer;x/audyt",
            "/menedzer/audyt;jsessionid=1",
            "/kontakty/%252e%252e/menedzer/audyt",
            "/kontakty/%zz",
            "/\\menedzer\\audyt",
        ] {
            let answer = raw(&app, "GET", refused, Some(&consultant), "").await;
            assert_eq!(answer.status, 404, "{refused}: {}", answer.head);
            assert!(!answer.body.contains(secret), "{refused}");
        }
        // An anonymous caller never gets a rendered page with the trail in its resources.
        let answer = raw(&app, "GET", "/logowanie/../menedzer/audyt", None, "").await;
        assert_eq!(answer.status, 308);
        assert!(!answer.body.contains(secret));
        // Server functions are not reached through dot segments either.
        let answer = raw(
            &app,
            "POST",
            "/api/../api/audit_list",
            Some(&consultant),
            "x=1",
        )
        .await;
        assert_eq!(answer.status, 404);
        assert!(!answer.body.contains(secret));
        // HEAD passes the same page check as GET.
        let answer = raw(&app, "HEAD", "/menedzer/audyt", Some(&consultant), "").await;
        assert_eq!(answer.status, 303);
        assert_eq!(answer.location(), Some("/"));
        // Other methods on a page the caller may not open get a refusal, not a render.
        let answer = raw(&app, "POST", "/menedzer/audyt", Some(&consultant), "x=1").await;
        assert_eq!(answer.status, 403);
        assert!(!answer.body.contains(secret));
    }
);

both_backends!(
    a_forced_password_change_cannot_be_skipped,
    |app| async move {
        let cookie = raw_session(&app, "nowy", Role::Consultant).await;
        app.exec("UPDATE users SET must_change_password = 1 WHERE login = 'nowy'")
            .await;
        let answer = raw(
            &app,
            "GET",
            "/zmiana-hasla/../kontakty/1",
            Some(&cookie),
            "",
        )
        .await;
        assert_eq!(answer.status, 308);
        assert_eq!(answer.location(), Some("/kontakty/1"));
        let next = raw(&app, "GET", "/kontakty/1", Some(&cookie), "").await;
        assert_eq!(next.status, 303);
        assert_eq!(next.location(), Some("/zmiana-hasla"));
    }
);

both_backends!(
    polish_surnames_are_searched_not_panicked_on,
    |app| async move {
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let id = consultant
            .contact_save(
                json!({"data": {"first_name": "Józef", "last_name": "Wójcik",
            "phones": [{"value": "600100200", "for_call": true}]}}),
            )
            .await;
        for q in [
            "Wójcik",
            "Dąbrowski",
            "Kłos",
            "Łódź",
            "Żółć",
            "ó",
            "Pó",
            "PLó",
        ] {
            let (status, body) = consultant.call("contact_search", &[("q", q)]).await;
            assert_eq!(status, StatusCode::OK, "{q}: {body}");
        }
        let (_, body) = consultant.call("contact_search", &[("q", "Wójcik")]).await;
        assert_eq!(body["rows"][0]["id"], id);
        // The page itself answers, rendered on the server.
        for q in ["W%C3%B3jcik", "D%C4%85browski", "K%C5%82os"] {
            let page = tokio::time::timeout(
                std::time::Duration::from_secs(30),
                consultant.get(&format!("/kontakty?q={q}")),
            )
            .await
            .expect("the page answers");
            assert_eq!(page.status(), StatusCode::OK, "{q}");
        }
    }
);

both_backends!(object_rules_hold_inside_the_endpoints, |app| async move {
    let asker = app.signed_in("pytajacy", Role::Consultant).await;
    let other = app.signed_in("inny", Role::Consultant).await;
    let manager = app.signed_in("kierownik", Role::Manager).await;
    let first = asker
        .contact_save(json!({"data": {"first_name": "Anna", "last_name": "Pierwsza"}}))
        .await;
    let second = asker
        .contact_save(json!({"data": {"first_name": "Beata", "last_name": "Druga"}}))
        .await;
    let (status, body) = asker
        .call_json(
            "case_save",
            json!({"input": {"contact_id": second, "subject": "Reklamacja"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let case_of_second = body.as_i64().unwrap();

    // A case of another contact cannot be named in an erasure request.
    let (status, body) = asker
        .call(
            "erasure_request",
            &[
                ("contact_id", &first.to_string()),
                ("case_id", &case_of_second.to_string()),
                ("ground", "consent_withdrawn"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0]["field"], "case_id");

    let request = asker.ask_erasure(first).await;
    // Another consultant may not take it back; the one who asked and a manager may.
    let (status, body) = other.withdraw_erasure(request).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = asker.withdraw_erasure(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let request = asker.ask_erasure(first).await;
    let (status, body) = manager.withdraw_erasure(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = asker.withdraw_erasure(987_654).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
});

both_backends!(parallel_guesses_count_before_argon2, |app| async move {
    app.add_user("anna", Role::Consultant, PASSWORD).await;
    let mut guesses = Vec::new();
    for _ in 0..40 {
        let client = app.client();
        guesses.push(tokio::spawn(async move {
            client
                .call(
                    "login",
                    &[("login", "anna"), ("password", "Wrong-Password-1")],
                )
                .await
                .0
        }));
    }
    let mut statuses = Vec::new();
    for guess in guesses {
        statuses.push(guess.await.unwrap());
    }
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    // Exactly the threshold was tried against the password.
    let tried: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'login.failed'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(tried, 5, "{statuses:?}");
    let unauthorized = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(unauthorized, 5);
    // The account is locked: even the right password waits.
    let (status, _) = app
        .client()
        .call("login", &[("login", "anna"), ("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
});

both_backends!(
    a_call_centre_behind_one_address_keeps_signing_in,
    |app| async move {
        // Thirty people, one address, each mistypes once before signing in.
        for n in 0..30 {
            let login = format!("konsultant{n}");
            app.add_user(&login, Role::Consultant, PASSWORD).await;
            let client = app.client();
            let (status, _) = client
                .call(
                    "login",
                    &[("login", login.as_str()), ("password", "Typo-Password-1")],
                )
                .await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{login}");
            let (status, body) = client
                .call(
                    "login",
                    &[("login", login.as_str()), ("password", PASSWORD)],
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{login}: {body}");
        }
    }
);

both_backends!(reads_of_personal_data_leave_a_trace, |app| async move {
    let consultant = app.signed_in("czytelnik", Role::Consultant).await;
    let id = consultant
        .contact_save(
            json!({"data": {"first_name": "Celina", "last_name": "Czytana",
            "phones": [{"value": "600300400", "for_call": true}]}}),
        )
        .await;
    let neighbour = consultant
        .contact_save(json!({"data": {"first_name": "Cezary", "last_name": "Czytany"}}))
        .await;
    let (status, body) = consultant
        .call_json(
            "case_save",
            json!({"input": {"contact_id": id, "subject": "Pytanie"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let case = body.as_i64().unwrap();
    let (status, _) = consultant
        .call("case_get", &[("id", &case.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = consultant.call("contact_search", &[("q", "")]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = consultant
        .call("contact_history", &[("contact_id", &id.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK);
    app.state.reads.flush(&app.db).await.unwrap();

    let via: Vec<String> =
        sqlx::query_scalar("SELECT via FROM card_reads WHERE contact_id = $1 ORDER BY read_at")
            .bind(id)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert!(via.contains(&"case".to_string()), "{via:?}");
    assert!(via.contains(&"history".to_string()), "{via:?}");
    // The search page is one entry listing both contacts it showed.
    let (entries, listed): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), MAX(contact_count) FROM bulk_reads WHERE via = 'search'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!((entries, listed), (1, 2));
    let shown: Vec<i64> =
        sqlx::query_scalar("SELECT contact_id FROM bulk_read_contacts ORDER BY contact_id")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(shown, vec![id, neighbour]);
    // The card's "who read it" names the reader with the list appearance.
    let (_, body) = consultant
        .call("contact_history", &[("contact_id", &id.to_string())])
        .await;
    let readers: &Value = &body["readers"];
    assert_eq!(readers[0]["listed"], 1, "{readers}");
    assert!(readers[0]["reads"].as_i64().unwrap() >= 2, "{readers}");
});

both_backends!(the_last_administrator_survives_a_race, |app| async move {
    let first = app.signed_in("admin-a", Role::Administrator).await;
    let second = app.signed_in("admin-b", Role::Administrator).await;
    let id_of = |login: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE login = $1")
                .bind(login)
                .fetch_one(db.pool())
                .await
                .unwrap()
        }
    };
    let (a, b) = (id_of("admin-a").await, id_of("admin-b").await);
    for _ in 0..5 {
        app.exec(
            "UPDATE users SET role = 'administrator', disabled = 0 WHERE login LIKE 'admin-%'",
        )
        .await;
        let (b_id, a_id) = (b.to_string(), a.to_string());
        let demote_b_form = [("user_id", b_id.as_str()), ("role", "manager")];
        let demote_a_form = [("user_id", a_id.as_str()), ("role", "consultant")];
        let demote_b = first.call("users_set_role", &demote_b_form);
        let demote_a = second.call("users_set_role", &demote_a_form);
        let ((s1, _), (s2, _)) = tokio::join!(demote_b, demote_a);
        let left: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE role = 'administrator' AND disabled = 0",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(left, 1, "{s1} {s2}");
        // One wins; the other is refused as the last administrator, or (when the first
        // committed before the second was admitted) as no longer an administrator.
        let refused = [StatusCode::CONFLICT, StatusCode::FORBIDDEN];
        assert!(
            (s1 == StatusCode::OK && refused.contains(&s2))
                || (s2 == StatusCode::OK && refused.contains(&s1)),
            "{s1} {s2}"
        );
    }
});

both_backends!(
    an_action_and_its_audit_row_commit_together,
    |app| async move {
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        // The audit trail refuses every new row: the action must not happen without it.
        match app.kind {
            common::Kind::Sqlite => {
                app.exec(
                    "CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_log \
                 BEGIN SELECT RAISE(ABORT, 'refused'); END",
                )
                .await
            }
            common::Kind::Postgres => {
                app.exec(
                    "CREATE FUNCTION audit_refuses() RETURNS trigger AS $$ \
                 BEGIN RAISE EXCEPTION 'refused'; END; $$ LANGUAGE plpgsql",
                )
                .await;
                app.exec(
                    "CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_log \
                 FOR EACH ROW EXECUTE FUNCTION audit_refuses()",
                )
                .await;
            }
        }
        let (status, _) = consultant
            .call_json(
                "contact_save",
                json!({"input": {"data": {"first_name": "Niezapisana", "last_name": "Osoba"}}}),
            )
            .await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let contacts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(contacts, 0, "a contact was saved without its audit row");
    }
);
