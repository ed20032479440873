//! The dialer's check by phone number, on both databases: one answer per number in
//! order, from the blind index; unknown numbers answer "no consent"; the number itself
//! must serve the channel; a withdrawal or objection shows at once; a token may ask.

use crate::common;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn contact(client: &common::Client, last_name: &str, phones: Value) -> i64 {
    client
        .contact_save(
            json!({"data": {"first_name": "Jan", "last_name": last_name, "phones": phones}}),
        )
        .await
}

async fn ask(client: &common::Client, numbers: &[&str], channel: &str) -> Vec<Value> {
    let (status, body) = client
        .call_json(
            "dialer_check",
            json!({"numbers": numbers, "channel": channel}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array().unwrap().clone()
}

fn verdicts(answers: &[Value]) -> Vec<(bool, Value)> {
    answers
        .iter()
        .map(|a| (a["allowed"].as_bool().unwrap(), a["reason"].clone()))
        .collect()
}

both_backends!(
    each_number_is_answered_in_order_from_its_own_consent,
    |app| async move {
        let manager = app.signed_in("kierownik", Role::Manager).await;
        let calls = manager
            .define_consent("Marketing telefoniczny", "call", true)
            .await;
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let willing = contact(
            &consultant,
            "Zgodny",
            json!([{"value": "601 000 001", "for_call": true}]),
        )
        .await;
        consultant.decide(willing, calls, "granted").await;
        let refused = contact(&consultant, "Odmowny", json!([{"value": "601 000 002"}])).await;
        consultant.decide(refused, calls, "refused").await;
        // Calls allowed, but on the other number only.
        let two = contact(
            &consultant,
            "Dwunumerowy",
            json!([{"value": "601 000 003", "for_call": false, "for_sms": true},
               {"value": "601 000 004", "for_call": true}]),
        )
        .await;
        consultant.decide(two, calls, "granted").await;

        let answers = ask(
            &consultant,
            &[
                "+48 601-000-001",
                "601000002",
                "0048601000003",
                "601 000 004",
                "601 999 999",
                "12",
            ],
            "call",
        )
        .await;
        assert_eq!(answers.len(), 6);
        assert_eq!(answers[0]["number"], "+48 601-000-001");
        assert_eq!(answers[0]["e164"], "+48601000001");
        assert_eq!(
            verdicts(&answers),
            [
                (true, Value::Null),
                (false, json!("no_consent")),
                (false, json!("no_channel")),
                (true, Value::Null),
                (false, json!("no_consent")),
                (false, json!("invalid_number")),
            ]
        );

        // A withdrawal and an objection show at the next question.
        consultant.decide(willing, calls, "withdrawn").await;
        let (status, _) = consultant
            .call(
                "marketing_objection_set",
                &[("contact_id", &two.to_string()), ("objected", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let answers = ask(&consultant, &["601000001", "601000004"], "call").await;
        assert_eq!(
            verdicts(&answers),
            [(false, json!("withdrawn")), (false, json!("objection"))]
        );
    }
);

both_backends!(
    a_number_two_contacts_share_needs_both_to_allow,
    |app| async move {
        let manager = app.signed_in("kierownik", Role::Manager).await;
        let calls = manager
            .define_consent("Marketing telefoniczny", "call", true)
            .await;
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let husband = contact(&consultant, "Mąż", json!([{"value": "22 628 12 34"}])).await;
        consultant.decide(husband, calls, "granted").await;
        let answers = ask(&consultant, &["226281234"], "call").await;
        assert_eq!(verdicts(&answers), [(true, Value::Null)]);
        // The same landline, a second person who never agreed.
        contact(&consultant, "Żona", json!([{"value": "22 628 12 34"}])).await;
        let answers = ask(&consultant, &["226281234"], "call").await;
        assert_eq!(verdicts(&answers), [(false, json!("no_consent"))]);
    }
);

both_backends!(
    a_batch_is_bounded_and_the_channel_must_be_a_phone_one,
    |app| async move {
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let many: Vec<String> = (0..10_001).map(|i| format!("6010{i:05}")).collect();
        let (status, body) = consultant
            .call_json("dialer_check", json!({"numbers": many}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["detail"][0]["field"], "numbers");
        let (status, _) = consultant
            .call_json(
                "dialer_check",
                json!({"numbers": ["601000001"], "channel": "email"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // Ten thousand unknown numbers are answered, each "no consent".
        let (status, body) = consultant
            .call_json("dialer_check", json!({"numbers": &many[..10_000]}))
            .await;
        assert_eq!(status, StatusCode::OK);
        let answers = body.as_array().unwrap();
        assert_eq!(answers.len(), 10_000);
        assert!(answers.iter().all(|a| a["reason"] == "no_consent"));
    }
);

both_backends!(a_token_learns_whether_to_call_not_why, |app| async move {
    let manager = app.signed_in("kierownik", Role::Manager).await;
    let calls = manager
        .define_consent("Marketing telefoniczny", "call", true)
        .await;
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let person = contact(&consultant, "Wycofany", json!([{"value": "601 000 005"}])).await;
    consultant.decide(person, calls, "granted").await;
    consultant.decide(person, calls, "withdrawn").await;
    let answers = ask(&consultant, &["601000005"], "call").await;
    assert_eq!(verdicts(&answers), [(false, json!("withdrawn"))]);

    let admin = app.signed_in("admin", Role::Administrator).await;
    let (status, issued) = admin
        .call(
            "api_token_create",
            &[
                ("name", "Dialer"),
                ("role", "consultant"),
                ("endpoints", "dialer_check"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    let dialer = app.token_client(issued["token"].as_str().unwrap());
    let too_long = "6".repeat(65);
    let answers = ask(&dialer, &["601 000 005", "601 000 001", &too_long], "sms").await;
    assert_eq!(
        verdicts(&answers),
        [
            (false, json!("no_consent")),
            (false, json!("no_consent")),
            (false, json!("invalid_number")),
        ]
    );
    // Each request is one entry in the audit trail, with counts only.
    let subjects: Vec<String> =
        sqlx::query_scalar("SELECT subject FROM audit_log WHERE action = 'dialer.checked'")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        subjects,
        [
            "numbers:1 channel:call purpose:marketing",
            "numbers:3 channel:sms purpose:marketing"
        ]
    );
});
