//! The right to be forgotten on both databases. The request: it puts the card in
//! "erasure pending", one open request at a time, taken back before a decision it leaves
//! the contact active and the queue empty, and the queue shows whom, who asked and the
//! days left; consultants do not see the queue; the card offers taking it back only to
//! who asked and to managers. The approval: it blanks the card but keeps the case without
//! its text, cannot be taken back, leaves the contact unfindable, and the activities and
//! the audit log record each request, undo and approval. An erasure leaves nothing readable
//! anywhere in the database (and, on SQLite, in its file and WAL) but, on purpose, the
//! suppression token without any link to the contact; the change history keeps no values.
//!
//! The managers' other decisions and races between decisions are in `erasure_decisions`;
//! what an erasure reaches outside the live rows in `erasure_backups`.

use crate::common;

use app::auth::Role;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::{json, Value};

const NAME: &str = "Zapominalska";
const PHONE: &str = "600987654";
const EMAIL: &str = "zofia.zapominalska@example.pl";

pub(crate) async fn person(client: &common::Client) -> i64 {
    client
        .contact_save(json!({"data": {"first_name": "Zofia", "last_name": NAME,
            "phones": [{"value": PHONE, "for_call": true}], "emails": [{"value": EMAIL, "for_email": true}],
            "city": "Sopot", "notes": "Prosi o kontakt wieczorem."}}))
        .await
}

pub(crate) async fn card(client: &common::Client, id: i64) -> Value {
    client.contact_card(id).await
}

/// Zofia, asked to be forgotten by a consultant; a manager is there to decide.
pub(crate) struct Asked {
    pub(crate) consultant: common::Client,
    pub(crate) manager: common::Client,
    pub(crate) id: i64,
    pub(crate) request: i64,
}

pub(crate) async fn asked(app: &common::TestApp) -> Asked {
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let id = person(&consultant).await;
    let request = consultant.ask_erasure(id).await;
    Asked {
        consultant,
        manager,
        id,
        request,
    }
}

/// Zofia, with a case about her, asked to be forgotten, taken back, asked again and
/// approved by a manager.
struct Forgotten {
    consultant: common::Client,
    id: i64,
    request: i64,
    /// The approval's report.
    approval: Value,
}

async fn forgotten_after_an_undo(app: &common::TestApp) -> Forgotten {
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
    // Undo while nobody decided.
    let (status, body) = consultant.withdraw_erasure(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Asked again, and approved by a manager.
    let request = consultant.ask_erasure(id).await;
    let (status, approval) = manager.approve_erasure(request).await;
    assert_eq!(status, StatusCode::OK, "{approval}");
    Forgotten {
        consultant,
        id,
        request,
        approval,
    }
}

both_backends!(
    a_request_puts_the_card_in_erasure_pending,
    |app| async move {
        let Asked { consultant, id, .. } = asked(&app).await;
        assert_eq!(card(&consultant, id).await["state"], "erasure_pending");
    }
);

both_backends!(a_contact_has_one_open_request_at_a_time, |app| async move {
    let Asked { consultant, id, .. } = asked(&app).await;
    let (status, body) = consultant
        .call(
            "erasure_request",
            &[("contact_id", &id.to_string()), ("ground", "objection")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "one open request: {body}");
});

both_backends!(
    undo_before_a_decision_reactivates_the_contact_and_empties_the_queue,
    |app| async move {
        let Asked {
            consultant,
            manager,
            id,
            request,
        } = asked(&app).await;
        // Undo while nobody decided.
        let (status, body) = consultant.withdraw_erasure(request).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["state"], "withdrawn");
        assert_eq!(card(&consultant, id).await["state"], "active");
        let (_, queue) = manager.call("erasure_queue", &[]).await;
        assert_eq!(queue, json!([]));
    }
);

both_backends!(
    the_queue_shows_the_contact_who_asked_and_the_days_left,
    |app| async move {
        let Asked { manager, id, .. } = asked(&app).await;
        let (_, queue) = manager.call("erasure_queue", &[]).await;
        assert_eq!(queue[0]["contact_id"], id);
        assert_eq!(queue[0]["contact_name"], "Zofia Zapominalska");
        assert_eq!(queue[0]["requested_by"], "Test User");
        assert!(queue[0]["days_left"].as_i64().unwrap() >= 27, "{queue}");
    }
);

both_backends!(consultants_cannot_see_the_erasure_queue, |app| async move {
    // A consultant cannot ask the queue.
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let (status, _) = consultant.call("erasure_queue", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
});

both_backends!(
    an_approval_blanks_the_card_and_keeps_the_case_without_its_text,
    |app| async move {
        let Forgotten {
            consultant,
            id,
            request,
            approval,
        } = forgotten_after_an_undo(&app).await;
        assert_eq!(approval["approved"], json!([request]));
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
    }
);

both_backends!(an_approved_request_cannot_be_taken_back, |app| async move {
    let Forgotten {
        consultant,
        request,
        ..
    } = forgotten_after_an_undo(&app).await;
    let (status, body) = consultant.withdraw_erasure(request).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["detail"], "ErrErasureDecided");
});

both_backends!(
    the_activities_say_who_asked_and_who_approved,
    |app| async move {
        let Forgotten { consultant, id, .. } = forgotten_after_an_undo(&app).await;
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
    }
);

both_backends!(an_erased_contact_cannot_be_found, |app| async move {
    let Forgotten { consultant, .. } = forgotten_after_an_undo(&app).await;
    // Not findable any more.
    let (_, found) = consultant.call("contact_search", &[("q", PHONE)]).await;
    assert_eq!(found["rows"], json!([]));
});

both_backends!(
    the_audit_log_records_each_request_undo_and_approval,
    |app| async move {
        forgotten_after_an_undo(&app).await;
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

/// Zofia with a recorded consent (a recording of her voice as evidence) and a logged call,
/// then erased; with the bytes her data key and sealed surname had before.
struct Erased {
    consultant: common::Client,
    id: i64,
    wrapped: Vec<u8>,
    sealed_name: Vec<u8>,
}

async fn erased_with_evidence(app: &common::TestApp) -> Erased {
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
    Erased {
        consultant,
        id,
        wrapped,
        sealed_name,
    }
}

both_backends!(an_erasure_leaves_nothing_readable, |app| async move {
    let Erased {
        wrapped,
        sealed_name,
        ..
    } = erased_with_evidence(&app).await;
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
});

both_backends!(
    an_erasure_keeps_the_suppression_token_without_the_contact,
    |app| async move {
        erased_with_evidence(&app).await;
        // Kept on purpose: the suppression tokens, without any link to the contact.
        let index = app.state.vault.index();
        let token = index.token(app::vault::TokenKind::Phone, &format!("+48{PHONE}"));
        let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM suppression WHERE token = $1")
            .bind(token)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(kept, 1);
    }
);

both_backends!(
    an_erasure_leaves_no_values_in_the_change_history,
    |app| async move {
        let Erased { consultant, id, .. } = erased_with_evidence(&app).await;
        let (_, history) = consultant
            .call("contact_history", &[("contact_id", &id.to_string())])
            .await;
        assert!(history["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["new_value"].is_null()));
    }
);
