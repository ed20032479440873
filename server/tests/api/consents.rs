//! Consents on both databases: versioned definitions, decisions with evidence and
//! history, required consents before a case, per-channel marketing and the contact check.

use crate::common;

use app::auth::Role;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

async fn define(client: &common::Client, fields: &[(&str, &str)]) -> i64 {
    let (status, body) = client.call("consent_definition_save", fields).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().unwrap()
}

async fn define_processing(client: &common::Client, required: bool) -> i64 {
    let mut fields = vec![
        ("name", "Przetwarzanie danych"),
        (
            "statement",
            "Wyrażam zgodę na przetwarzanie moich danych osobowych.",
        ),
        ("purpose", "Obsługa zgłoszenia"),
        ("legal_basis", "consent"),
        ("channel", "any"),
        ("active", "on"),
    ];
    if required {
        fields.push(("required", "on"));
    }
    define(client, &fields).await
}

async fn define_marketing(client: &common::Client, channel: &str) -> i64 {
    define(
        client,
        &[
            ("name", &format!("Marketing {channel}")),
            ("statement", "Wyrażam zgodę na oferty."),
            ("purpose", "Marketing bezpośredni"),
            ("legal_basis", "consent"),
            ("channel", channel),
            ("marketing", "on"),
            ("active", "on"),
        ],
    )
    .await
}

async fn contact(client: &common::Client) -> i64 {
    let (status, body) = client
        .call_json(
            "contact_save",
            json!({"input": {"data": {
                "first_name": "Anna", "last_name": "Zgodna",
                "phones": [{"value": "600100200", "for_call": true, "for_sms": false}],
                "emails": [{"value": "anna@example.pl", "for_email": true}]
            }}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().unwrap()
}

fn decision(contact: i64, definition: i64, decision: &str) -> Form {
    Form::new()
        .text("contact_id", contact.to_string())
        .text("definition_id", definition.to_string())
        .text("decision", decision.to_string())
        .text("method", "call")
}

fn wav(marker: &[u8]) -> Vec<u8> {
    let mut bytes = b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec();
    bytes.extend_from_slice(&[
        16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0,
    ]);
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&(marker.len() as u32).to_le_bytes());
    bytes.extend_from_slice(marker);
    bytes
}

async fn record(client: &common::Client, form: Form) -> Value {
    let (status, body) = client.call_multipart("consent_record", form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn consents_of(client: &common::Client, contact: i64) -> Value {
    let (status, card) = client
        .call("contact_get", &[("id", &contact.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "{card}");
    card["consents"].clone()
}

both_backends!(statements_are_versioned, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let id = define_processing(&manager, false).await;
    let (_, list) = manager.call("consent_definitions", &[]).await;
    assert_eq!(list[0]["version"], 1);
    let edit = |statement: &'static str| {
        vec![
            ("id".to_string(), id.to_string()),
            ("name".into(), "Przetwarzanie danych".into()),
            ("statement".into(), statement.into()),
            ("purpose".into(), "Obsługa zgłoszenia".into()),
            ("legal_basis".into(), "consent".into()),
            ("channel".into(), "any".into()),
            ("active".into(), "on".into()),
        ]
    };
    let call = |fields: Vec<(String, String)>| {
        let manager = &manager;
        async move {
            let refs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            manager.call("consent_definition_save", &refs).await
        }
    };
    // Same text: same version. New text: a new version.
    assert_eq!(
        call(edit(
            "Wyrażam zgodę na przetwarzanie moich danych osobowych."
        ))
        .await
        .0,
        StatusCode::OK
    );
    let (_, list) = manager.call("consent_definitions", &[]).await;
    assert_eq!(list[0]["version"], 1);
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let person = contact(&consultant).await;
    record(&consultant, decision(person, id, "granted")).await;
    assert_eq!(call(edit("Nowa treść formuły.")).await.0, StatusCode::OK);
    let consents = consents_of(&consultant, person).await;
    assert_eq!(consents[0]["version"], 2);
    assert_eq!(consents[0]["statement"], "Nowa treść formuły.");
    assert_eq!(
        consents[0]["history"][0]["version"], 1,
        "the grant keeps what was heard"
    );
    // Marketing names one channel, on consent.
    let (status, body) = manager
        .call(
            "consent_definition_save",
            &[
                ("name", "M"),
                ("statement", "S"),
                ("purpose", "P"),
                ("legal_basis", "consent"),
                ("channel", "any"),
                ("marketing", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0]["field"], "channel");
    let (status, _) = consultant.call("consent_definitions", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
});

both_backends!(the_icon_needs_a_definition, |app| async move {
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let person = contact(&consultant).await;
    assert_eq!(consents_of(&consultant, person).await, json!([]));
    let manager = app.signed_in("menedzer", Role::Manager).await;
    define_processing(&manager, true).await;
    let consents = consents_of(&consultant, person).await;
    assert_eq!(consents[0]["decision"], Value::Null, "never asked");
    assert_eq!(consents[0]["required"], true);
});

both_backends!(required_consents_come_before_a_case, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let required = define_processing(&manager, true).await;
    define_marketing(&manager, "email").await;
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let person = contact(&consultant).await;
    let case = json!({"input": {"contact_id": person, "subject": "Reklamacja"}});
    let (status, body) = consultant.call_json("case_save", case.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["kind"], "consents_required");
    assert_eq!(body["detail"], json!(["Przetwarzanie danych"]));
    // An explicit refusal is a mark too; the optional marketing consent is not needed.
    record(&consultant, decision(person, required, "refused")).await;
    let (status, body) = consultant.call_json("case_save", case).await;
    assert_eq!(status, StatusCode::OK, "{body}");
});

both_backends!(
    decisions_keep_their_evidence_and_history,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let def = define_marketing(&manager, "email").await;
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let person = contact(&consultant).await;
        let recording = wav(b"ZGODA-NAGRANIE-ANNA-ZGODNA");
        let form = decision(person, def, "granted").part(
            "evidence",
            Part::bytes(recording.clone()).file_name("C:\\nagrania\\rozmowa.wav"),
        );
        let list = record(&consultant, form).await;
        assert_eq!(list[0]["decision"], "granted");
        let evidence = &list[0]["history"][0]["evidence"];
        assert_eq!(evidence["media_type"], "audio/wav");
        assert_eq!(evidence["file_name"], "rozmowa.wav");
        assert_eq!(evidence["sha256"], hex::encode(Sha256::digest(&recording)));
        // Playable in the browser, for signed-in users only.
        let url = format!("/dowody/{}", evidence["id"]);
        let res = consultant.get(&url).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "audio/wav");
        assert_eq!(res.bytes().await.unwrap().to_vec(), recording);
        assert_eq!(app.client().get(&url).await.status(), StatusCode::SEE_OTHER);
        // Stored sealed.
        let stored: Vec<u8> = sqlx::query_scalar("SELECT content FROM evidence_files")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert!(!String::from_utf8_lossy(&stored).contains("ZGODA-NAGRANIE"));
        // Withdrawing is one action in the same place, with the same evidence options.
        let eml = b"From: Anna <anna@example.pl>\r\nTo: bok@firma.pl\r\nSubject: Rezygnacja\r\n\r\nWycofuje zgode.".to_vec();
        let form = decision(person, def, "withdrawn")
            .part("evidence", Part::bytes(eml).file_name("rezygnacja.eml"));
        let list = record(&consultant, form).await;
        assert_eq!(list[0]["decision"], "withdrawn");
        assert_eq!(list[0]["history"].as_array().unwrap().len(), 2);
        let eml_url = format!("/dowody/{}", list[0]["history"][0]["evidence"]["id"]);
        let res = consultant.get(&eml_url).await;
        assert_eq!(res.headers()["content-type"], "text/plain; charset=utf-8");
        // Refused uploads: not a recording or e-mail, or not multipart at all.
        let fake = decision(person, def, "granted").part(
            "evidence",
            Part::bytes(b"%PDF-1.7".to_vec()).file_name("a.mp3"),
        );
        let (status, body) = consultant.call_multipart("consent_record", fake).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["detail"][0]["field"], "evidence");
        assert_eq!(body["detail"][0]["msg"], "ErrEvidenceType");
        let (status, _) = consultant
            .call("consent_record", &[("contact_id", &person.to_string())])
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consent_events")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(events, 2, "refused uploads leave nothing");
        // History rows cannot be edited.
        assert!(
            sqlx::query("UPDATE consent_events SET decision = 'granted'")
                .execute(app.db.pool())
                .await
                .is_err()
        );
    }
);

async fn check(client: &common::Client, contact: i64, channel: &str, purpose: &str) -> Value {
    let (status, body) = client
        .call(
            "can_contact",
            &[
                ("contact_id", &contact.to_string()),
                ("channel", channel),
                ("purpose", purpose),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn blocked(reason: &str) -> Value {
    json!({"allowed": false, "reason": reason})
}

both_backends!(the_contact_check_gives_its_reason, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let email = define_marketing(&manager, "email").await;
    define_marketing(&manager, "call").await;
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let person = contact(&consultant).await;
    let allowed = json!({"allowed": true, "reason": null});
    assert_eq!(check(&consultant, person, "call", "service").await, allowed);
    assert_eq!(
        check(&consultant, person, "sms", "service").await,
        blocked("no_channel")
    );
    assert_eq!(
        check(&consultant, person, "email", "marketing").await,
        blocked("no_consent")
    );
    assert_eq!(
        check(&consultant, person, "call", "marketing").await,
        blocked("no_consent")
    );
    record(&consultant, decision(person, email, "granted")).await;
    assert_eq!(
        check(&consultant, person, "email", "marketing").await,
        allowed
    );
    assert_eq!(
        check(&consultant, person, "call", "marketing").await,
        blocked("no_consent"),
        "each channel needs its own consent"
    );
    let (status, _) = consultant
        .call(
            "marketing_objection_set",
            &[("contact_id", &person.to_string()), ("objected", "true")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        check(&consultant, person, "email", "marketing").await,
        blocked("objection")
    );
    consultant
        .call(
            "marketing_objection_set",
            &[("contact_id", &person.to_string()), ("objected", "false")],
        )
        .await;
    record(&consultant, decision(person, email, "withdrawn")).await;
    assert_eq!(
        check(&consultant, person, "email", "marketing").await,
        blocked("withdrawn")
    );
    for (state, reason) in [
        ("restricted", "restricted"),
        ("erasure_pending", "erasure_pending"),
    ] {
        app.exec(&format!(
            "UPDATE contacts SET state = '{state}' WHERE id = {person}"
        ))
        .await;
        assert_eq!(
            check(&consultant, person, "call", "service").await,
            blocked(reason)
        );
    }
    let blocked_attempts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM communications WHERE outcome = 'blocked'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(blocked_attempts, 8, "every refusal is logged");
    let (status, _) = consultant
        .call(
            "can_contact",
            &[
                ("contact_id", "999999"),
                ("channel", "call"),
                ("purpose", "service"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = consultant
        .call(
            "can_contact",
            &[
                ("contact_id", &person.to_string()),
                ("channel", "any"),
                ("purpose", "service"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
});

both_backends!(
    communications_are_logged_with_their_purpose,
    |app| async move {
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let person = contact(&consultant).await;
        let log = |channel: &'static str, purpose: &'static str| {
            let consultant = &consultant;
            async move {
                consultant
                    .call(
                        "communication_log",
                        &[
                            ("contact_id", &person.to_string()),
                            ("channel", channel),
                            ("purpose", purpose),
                            ("note", "Klientka prosi o kontakt po 16."),
                        ],
                    )
                    .await
            }
        };
        let (status, body) = log("call", "service").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["allowed"], true);
        let (_, body) = log("email", "marketing").await;
        assert_eq!(body, blocked("no_consent"));
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT purpose, outcome FROM communications ORDER BY id")
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        assert_eq!(
            rows,
            vec![
                ("service".into(), "done".into()),
                ("marketing".into(), "blocked".into())
            ]
        );
        let note: Vec<u8> =
            sqlx::query_scalar("SELECT note FROM communications ORDER BY id LIMIT 1")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert!(!String::from_utf8_lossy(&note).contains("Klientka"));
    }
);
