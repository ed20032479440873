//! The right to be forgotten on both databases: the request and its undo, the managers'
//! decisions, legal holds, races with one outcome, and an erasure that leaves nothing
//! readable anywhere in the database (and, on SQLite, in its file and WAL).

use crate::common;

use app::auth::Role;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::{json, Value};

const NAME: &str = "Zapominalska";
const PHONE: &str = "600987654";
const EMAIL: &str = "zofia.zapominalska@example.pl";

async fn person(client: &common::Client) -> i64 {
    client
        .contact_save(json!({"data": {"first_name": "Zofia", "last_name": NAME,
            "phones": [{"value": PHONE, "for_call": true}], "emails": [{"value": EMAIL, "for_email": true}],
            "city": "Sopot", "notes": "Prosi o kontakt wieczorem."}}))
        .await
}

async fn card(client: &common::Client, id: i64) -> Value {
    client.contact_card(id).await
}

both_backends!(request_undo_and_approval, |app| async move {
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let id = person(&consultant).await;
    let (status, body) = consultant
        .call_json(
            "case_save",
            json!({"input": {"contact_id": id, "subject": "Reklamacja Zapominalskiej"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let request = consultant.ask_erasure(id).await;
    assert_eq!(card(&consultant, id).await["state"], "erasure_pending");
    let (status, body) = consultant
        .call(
            "erasure_request",
            &[("contact_id", &id.to_string()), ("ground", "objection")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "one open request: {body}");
    // Undo while nobody decided.
    let (status, body) = consultant.withdraw_erasure(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "withdrawn");
    assert_eq!(card(&consultant, id).await["state"], "active");
    let (_, queue) = manager.call("erasure_queue", &[]).await;
    assert_eq!(queue, json!([]));
    // Asked again, and approved by a manager.
    let request = consultant.ask_erasure(id).await;
    let (_, queue) = manager.call("erasure_queue", &[]).await;
    assert_eq!(queue[0]["contact_id"], id);
    assert_eq!(queue[0]["contact_name"], "Zofia Zapominalska");
    assert_eq!(queue[0]["requested_by"], "Test User");
    assert!(queue[0]["days_left"].as_i64().unwrap() >= 27, "{queue}");
    let (status, body) = manager.approve_erasure(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["approved"], json!([request]));
    let erased = card(&consultant, id).await;
    assert_eq!(erased["state"], "erased");
    assert_eq!(erased["erasure"]["state"], "approved");
    for field in ["first_name", "last_name", "city", "notes"] {
        assert_eq!(erased["data"][field], "", "{field}");
    }
    assert_eq!(erased["data"]["phones"], json!([]));
    assert_eq!(
        erased["cases"][0]["subject"],
        Value::Null,
        "the case stays, its text goes"
    );
    let (status, body) = consultant.withdraw_erasure(request).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["detail"], "ErrErasureDecided");
    // The activities say who asked and who approved.
    let (_, history) = consultant
        .call("contact_history", &[("contact_id", &id.to_string())])
        .await;
    let erasures: Vec<&Value> = history["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["detail"]["kind"].as_str().unwrap().starts_with("erasure"))
        .collect();
    assert_eq!(erasures.len(), 4, "{history}");
    assert_eq!(erasures[0]["detail"]["state"], "approved");
    assert_eq!(erasures[0]["who"], "Test User");
    // Not findable any more; a consultant cannot ask the queue.
    let (_, found) = consultant.call("contact_search", &[("q", PHONE)]).await;
    assert_eq!(found["rows"], json!([]));
    let (status, _) = consultant.call("erasure_queue", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action LIKE 'erasure.%' ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        actions,
        vec![
            "erasure.requested",
            "erasure.withdrawn",
            "erasure.requested",
            "erasure.approved"
        ]
    );
});

both_backends!(refusal_extension_and_legal_hold, |app| async move {
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let id = person(&consultant).await;
    let request = consultant.ask_erasure(id).await;
    let r = request.to_string();
    let (status, body) = manager
        .call(
            "erasure_extend",
            &[
                ("request_id", &r),
                ("months", "2"),
                ("reason", "Złożona sprawa"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = manager
        .call(
            "erasure_extend",
            &[
                ("request_id", &r),
                ("months", "1"),
                ("reason", "Jeszcze raz"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "once only");
    let (_, queue) = manager.call("erasure_queue", &[]).await;
    assert_eq!(queue[0]["extended"], true);
    assert!(queue[0]["days_left"].as_i64().unwrap() >= 85);
    // A legal hold blocks approval until released.
    let (status, body) = manager
        .call(
            "legal_hold_add",
            &[
                ("contact_id", &id.to_string()),
                ("reason", "Postępowanie sądowe"),
                ("until", "2099-12-31"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let hold = body.as_i64().unwrap();
    let (status, body) = manager.approve_erasure(request).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["detail"], "ErrLegalHold");
    assert_eq!(
        card(&consultant, id).await["state"],
        "erasure_pending",
        "nothing changed"
    );
    manager
        .call("legal_hold_release", &[("hold_id", &hold.to_string())])
        .await;
    // A refusal states its reason, and the consultant sees it.
    let (status, _) = manager
        .call("erasure_refuse", &[("request_id", &r), ("reason", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = manager
        .call(
            "erasure_refuse",
            &[
                ("request_id", &r),
                ("reason", "Dane potrzebne do rozliczenia umowy"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let c = card(&consultant, id).await;
    assert_eq!(c["state"], "active");
    assert_eq!(c["erasure"]["state"], "refused");
    assert_eq!(
        c["erasure"]["refusal_reason"],
        "Dane potrzebne do rozliczenia umowy"
    );
});

both_backends!(races_have_exactly_one_outcome, |app| async move {
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let second = app.signed_in("menedzer2", Role::Manager).await;
    for round in 0..4 {
        // Undo against approval.
        let id = person(&consultant).await;
        let request = consultant.ask_erasure(id).await;
        let (a, b) = tokio::join!(
            consultant.withdraw_erasure(request),
            manager.approve_erasure(request)
        );
        let outcomes = [a.0, b.0];
        assert_eq!(
            outcomes.iter().filter(|s| **s == StatusCode::OK).count(),
            1,
            "round {round}: {a:?} {b:?}"
        );
        assert!(
            outcomes.contains(&StatusCode::CONFLICT),
            "round {round}: {a:?} {b:?}"
        );
        let state = card(&consultant, id).await["state"].clone();
        if a.0 == StatusCode::OK {
            assert_eq!(state, "active");
        } else {
            assert_eq!(state, "erased");
        }
        // Two managers approving at once.
        let id = person(&consultant).await;
        let request = consultant.ask_erasure(id).await;
        let (a, b) = tokio::join!(
            manager.approve_erasure(request),
            second.approve_erasure(request)
        );
        let ok = [a.0, b.0].iter().filter(|s| **s == StatusCode::OK).count();
        assert_eq!(ok, 1, "round {round}: {a:?} {b:?}");
        let loser = if a.0 == StatusCode::OK { &b.1 } else { &a.1 };
        assert_eq!(loser["detail"], "ErrErasureDecided", "{loser}");
    }
});

/// Every table's rows as text (PostgreSQL).
async fn all_text(app: &common::TestApp) -> String {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let mut text = String::new();
    for table in tables {
        let rows: Option<String> =
            sqlx::query_scalar(&format!("SELECT string_agg(t::text, ' ') FROM {table} t"))
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        text.push_str(&rows.unwrap_or_default());
    }
    text
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

both_backends!(an_erasure_leaves_nothing_readable, |app| async move {
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let (status, _) = manager
        .call(
            "consent_definition_save",
            &[
                ("name", "Marketing e-mail"),
                ("statement", "Zgoda"),
                ("purpose", "Oferty"),
                ("legal_basis", "consent"),
                ("channel", "email"),
                ("marketing", "on"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let id = person(&consultant).await;
    let mut recording = b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec();
    recording.extend_from_slice(format!("glos {NAME} {PHONE}").as_bytes());
    let form = Form::new()
        .text("contact_id", id.to_string())
        .text("definition_id", "1")
        .text("decision", "granted")
        .text("method", "call")
        .part(
            "evidence",
            Part::bytes(recording).file_name(format!("{NAME}.wav")),
        );
    let (status, body) = consultant.call_multipart("consent_record", form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    consultant
        .call(
            "communication_log",
            &[
                ("contact_id", &id.to_string()),
                ("channel", "call"),
                ("purpose", "service"),
                ("note", NAME),
            ],
        )
        .await;
    let wrapped: Vec<u8> = sqlx::query_scalar(&format!(
        "SELECT wrapped_key FROM contact_keys WHERE contact_id = {id}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let sealed_name: Vec<u8> =
        sqlx::query_scalar(&format!("SELECT last_name FROM contacts WHERE id = {id}"))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let request = consultant.ask_erasure(id).await;
    let (status, body) = manager.approve_erasure(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let needles: Vec<Vec<u8>> = vec![
        NAME.as_bytes().to_vec(),
        PHONE.as_bytes().to_vec(),
        format!("+48{PHONE}").into_bytes(),
        EMAIL.as_bytes().to_vec(),
        wrapped[1..25].to_vec(),
        sealed_name[1..25].to_vec(),
    ];
    match &app.sqlite_file {
        Some(file) => {
            let wal = file.with_extension("db-wal");
            let mut bytes = std::fs::read(file).unwrap();
            bytes.extend(std::fs::read(&wal).unwrap_or_default());
            for needle in &needles {
                assert!(
                    !contains(&bytes, needle),
                    "found {:?} in the database file or its WAL",
                    String::from_utf8_lossy(needle)
                );
            }
        }
        None => {
            let text = all_text(&app).await;
            for needle in &needles {
                let as_text = String::from_utf8_lossy(needle).to_string();
                assert!(!text.contains(&as_text), "found {as_text:?}");
                assert!(
                    !text.contains(&hex::encode(needle)),
                    "found the bytes of {as_text:?}"
                );
            }
        }
    }
    // Kept on purpose: the suppression tokens, without any link to the contact.
    let index = app.state.vault.index();
    let token = index.token(app::vault::TokenKind::Phone, &format!("+48{PHONE}"));
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM suppression WHERE token = $1")
        .bind(token)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(kept, 1);
    let (_, history) = consultant
        .call("contact_history", &[("contact_id", &id.to_string())])
        .await;
    assert!(history["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["new_value"].is_null()));
});

both_backends!(
    approving_several_reports_each_even_when_one_fails_at_commit,
    |app| async move {
        let consultant = app.signed_in("konsultantka", Role::Consultant).await;
        let manager = app.signed_in("kierownik", Role::Manager).await;
        let mut requests = Vec::new();
        for surname in ["Pierwsza", "Druga", "Trzecia"] {
            let contact = consultant
                .contact_save(json!({"data": {"first_name": "Ala", "last_name": surname}}))
                .await;
            requests.push(consultant.ask_erasure(contact).await);
        }
        // The audit trail refuses the second approval's row, so that one cannot commit.
        let doomed = format!("%erasure_request:{}", requests[1]);
        match app.kind {
            common::Kind::Sqlite => {
                app.exec(&format!(
                    "CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_log \
                     WHEN NEW.subject LIKE '{doomed}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                ))
                .await
            }
            common::Kind::Postgres => {
                app.exec(&format!(
                    "CREATE FUNCTION audit_refuses() RETURNS trigger AS $$ BEGIN \
                     IF NEW.subject LIKE '{doomed}' THEN RAISE EXCEPTION 'refused'; END IF; \
                     RETURN NEW; END; $$ LANGUAGE plpgsql"
                ))
                .await;
                app.exec(
                    "CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_log \
                     FOR EACH ROW EXECUTE FUNCTION audit_refuses()",
                )
                .await;
            }
        }
        let ids: Vec<(String, String)> = requests
            .iter()
            .enumerate()
            .map(|(i, id)| (format!("request_ids[{i}]"), id.to_string()))
            .collect();
        let form: Vec<(&str, &str)> = ids.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (status, report) = manager.call("erasure_approve", &form).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!(report["approved"], json!([requests[0], requests[2]]));
        assert_eq!(report["failed"][0][0], json!(requests[1]));
        assert_eq!(report["failed"].as_array().map(Vec::len), Some(1));
        let states: Vec<String> =
            sqlx::query_scalar("SELECT state FROM erasure_requests ORDER BY id")
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        assert_eq!(states, ["approved", "pending", "approved"]);
    }
);

both_backends!(
    the_card_offers_taking_back_only_to_who_asked_and_managers,
    |app| async move {
        let asker = app.signed_in("pytajaca", Role::Consultant).await;
        let colleague = app.signed_in("kolega", Role::Consultant).await;
        let manager = app.signed_in("kierowniczka", Role::Manager).await;
        let contact = person(&asker).await;
        asker.ask_erasure(contact).await;
        let page = |client: common::Client| async move {
            let res = client.get(&format!("/kontakty/{contact}")).await;
            assert_eq!(res.status(), StatusCode::OK);
            res.text().await.unwrap()
        };
        let undo = "data-testid=\"erasure-undo\"";
        let notice = "data-testid=\"erasure-notice\"";
        let html = page(asker).await;
        assert!(html.contains(undo) && html.contains(notice));
        let html = page(manager).await;
        assert!(html.contains(undo));
        let html = page(colleague).await;
        assert!(
            html.contains(notice),
            "the colleague sees the request is pending"
        );
        assert!(!html.contains(undo), "but is not offered to take it back");
    }
);
