//! "Pulpit konsultanta" on both databases: each consultant's desk lists the cards they
//! opened, their open cases and their refused or extended erasure requests, and never
//! another consultant's.

use crate::common;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn me(client: &common::Client) -> i64 {
    let (status, body) = client.call("current_user", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["id"].as_i64().expect("signed in")
}

async fn person(client: &common::Client, last: &str, phone: &str) -> i64 {
    client
        .contact_save(json!({"data": {"first_name": "Anna", "last_name": last,
            "phones": [{"value": phone, "for_call": true}], "city": "Gdynia"}}))
        .await
}

async fn case(client: &common::Client, contact: i64, subject: &str, assignee: i64) -> i64 {
    let (status, body) = client
        .call_json(
            "case_save",
            json!({"input": {"contact_id": contact, "subject": subject, "assigned_to": assignee}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().expect("case id")
}

async fn desk(client: &common::Client) -> Value {
    let (status, body) = client.call("consultant_desk", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// Reads are stamped in milliseconds: a pause keeps "newest first" unambiguous.
async fn tick() {
    tokio::time::sleep(std::time::Duration::from_millis(15)).await;
}

fn ids(list: &Value, pick: impl Fn(&Value) -> Value) -> Vec<Value> {
    list.as_array().unwrap().iter().map(pick).collect()
}

both_backends!(the_desk_shows_my_recent_cards_only, |app| async move {
    let anna = app.signed_in("anna", Role::Consultant).await;
    let bartek = app.signed_in("bartek", Role::Consultant).await;
    let (anna_id, bartek_id) = (me(&anna).await, me(&bartek).await);
    assert_eq!(
        desk(&anna).await,
        json!({"recent": [], "cases": [], "requests": []})
    );

    let first = person(&anna, "Pierwsza", "500000031").await;
    let second = person(&anna, "Druga", "500000032").await;
    let foreign = person(&bartek, "Cudza", "500000033").await;
    let second_case = case(&anna, second, "Zwrot towaru", anna_id).await;

    anna.contact_card(first).await;
    tick().await;
    let (status, body) = anna
        .call("case_get", &[("id", &second_case.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    tick().await;
    anna.contact_card(first).await;
    bartek.contact_card(foreign).await;
    // Reads within one millisecond are listed by contact id; these two must not share one.
    tick().await;
    bartek.contact_card(second).await;

    let board = desk(&anna).await;
    let recent = &board["recent"];
    // The card opened twice is listed once, at its latest opening; the case card is an
    // entry of its own, naming the case; Bartek's reads are not here.
    assert_eq!(
        ids(recent, |r| json!([r["contact"]["id"], r["case"]["id"]])),
        vec![json!([first, null]), json!([second, second_case])],
        "{board}"
    );
    assert_eq!(recent[0]["contact"]["name"], "Anna Pierwsza");
    // The API keeps E.164; the desk sends only what it shows.
    assert_eq!(recent[0]["contact"]["phone"], "+48500000031");
    assert_eq!(recent[0]["contact"]["email"], Value::Null);
    assert_eq!(recent[0]["contact"]["city"], Value::Null);
    assert_eq!(recent[1]["case"]["subject"], "Zwrot towaru");

    let theirs = desk(&bartek).await;
    assert_eq!(
        ids(&theirs["recent"], |r| r["contact"]["id"].clone()),
        vec![json!(second), json!(foreign)],
        "{theirs}"
    );
    assert!(theirs["recent"][0]["case"].is_null());
    assert_eq!(theirs["cases"], json!([]), "Anna's case is not Bartek's");
    let _ = bartek_id;

    // Showing names on the desk is itself a read of each contact shown.
    app.state.reads.flush(&app.db).await.unwrap();
    let traced: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM bulk_read_contacts c JOIN bulk_reads r ON r.id = c.bulk_read_id \
         WHERE r.via = 'desk' AND r.user_id = $1",
    )
    .bind(anna_id)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(traced >= 2, "the desk's names are traced: {traced}");
});

both_backends!(the_desk_shows_my_open_cases_only, |app| async move {
    let anna = app.signed_in("anna", Role::Consultant).await;
    let bartek = app.signed_in("bartek", Role::Consultant).await;
    let (anna_id, bartek_id) = (me(&anna).await, me(&bartek).await);
    let contact = person(&anna, "Sprawowa", "500000041").await;
    let open = case(&anna, contact, "Reklamacja", anna_id).await;
    tick().await;
    let later = case(&bartek, contact, "Faktura", anna_id).await;
    let closed = case(&anna, contact, "Zamknięta", anna_id).await;
    let (status, body) = anna
        .call_json(
            "case_save",
            json!({"input": {"id": closed, "version": 1, "contact_id": contact,
                "subject": "Zamknięta", "status": "closed", "assigned_to": anna_id}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let bartek_case = case(&anna, contact, "Dla Bartka", bartek_id).await;

    let board = desk(&anna).await;
    assert_eq!(
        ids(&board["cases"], |c| c["case"]["id"].clone()),
        vec![json!(later), json!(open)],
        "open cases assigned to Anna, latest change first: {board}"
    );
    assert_eq!(board["cases"][0]["case"]["subject"], "Faktura");
    assert_eq!(board["cases"][0]["contact"]["name"], "Anna Sprawowa");
    let theirs = desk(&bartek).await;
    assert_eq!(
        ids(&theirs["cases"], |c| c["case"]["id"].clone()),
        vec![json!(bartek_case)]
    );
});

both_backends!(
    the_desk_shows_my_answered_erasure_requests_only,
    |app| async move {
        let anna = app.signed_in("anna", Role::Consultant).await;
        let bartek = app.signed_in("bartek", Role::Consultant).await;
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let refused_contact = person(&anna, "Odrzucona", "500000051").await;
        let extended_contact = person(&anna, "Przedluzona", "500000052").await;
        let waiting_contact = person(&anna, "Czekajaca", "500000053").await;
        let erased_contact = person(&anna, "Usunieta", "500000054").await;
        let bartek_contact = person(&bartek, "Bartkowa", "500000055").await;

        let refused = anna.ask_erasure(refused_contact).await;
        let extended = anna.ask_erasure(extended_contact).await;
        anna.ask_erasure(waiting_contact).await;
        let approved = anna.ask_erasure(erased_contact).await;
        let bartek_refused = bartek.ask_erasure(bartek_contact).await;
        for request in [refused, bartek_refused] {
            let (status, body) = manager
                .call(
                    "erasure_refuse",
                    &[
                        ("request_id", &request.to_string()),
                        ("reason", "Trwa postępowanie reklamacyjne"),
                    ],
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        tick().await;
        let (status, body) = manager
            .call(
                "erasure_extend",
                &[
                    ("request_id", &extended.to_string()),
                    ("months", "2"),
                    ("reason", "Wiele systemów"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = manager.approve_erasure(approved).await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let board = desk(&anna).await;
        let requests = &board["requests"];
        assert_eq!(
            ids(requests, |r| json!([
                r["request"]["id"],
                r["request"]["state"]
            ])),
            vec![json!([extended, "pending"]), json!([refused, "refused"])],
            "refused or extended, latest answer first; pending and approved are not: {board}"
        );
        assert_eq!(requests[0]["request"]["extension_reason"], "Wiele systemów");
        assert!(requests[0]["request"]["extended_until"].is_i64());
        assert_eq!(requests[0]["contact"]["name"], "Anna Przedluzona");
        assert_eq!(
            requests[1]["request"]["refusal_reason"],
            "Trwa postępowanie reklamacyjne"
        );
        assert_eq!(requests[1]["request"]["decided_by"], "Test User");

        let theirs = desk(&bartek).await;
        assert_eq!(
            ids(&theirs["requests"], |r| r["request"]["id"].clone()),
            vec![json!(bartek_refused)]
        );

        // An erased contact Anna opened stays on her recent list, without any of its data.
        anna.contact_card(erased_contact).await;
        let board = desk(&anna).await;
        let erased = &board["recent"][0]["contact"];
        assert_eq!(erased["id"], erased_contact, "{board}");
        assert_eq!(erased["state"], "erased");
        assert_eq!(erased["name"], Value::Null);
        assert_eq!(erased["phone"], Value::Null);
    }
);

both_backends!(everyone_gets_a_desk_of_their_own, |app| async move {
    // Nothing in the request picks whose desk it is: a parameter is ignored.
    let anna = app.signed_in("anna", Role::Consultant).await;
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let anna_id = me(&anna).await;
    let contact = person(&anna, "Prywatna", "500000061").await;
    case(&anna, contact, "Tylko moja", anna_id).await;
    anna.contact_card(contact).await;
    let (status, body) = manager
        .call("consultant_desk", &[("user_id", &anna_id.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"recent": [], "cases": [], "requests": []}));
});
