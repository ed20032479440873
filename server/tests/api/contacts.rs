//! Contacts and cases over HTTP, on both databases: round trips, lookups through the
//! blind indexes, validation that saves nothing half-way, optimistic concurrency, and
//! the encryption at rest (tampering, moved values, destroyed keys, key rotation).

use crate::common;

use app::auth::Role;
use app::vault::{KeySource, Vault, VaultError};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::Row;

fn kowalski() -> Value {
    json!({
        "kind": "person",
        "first_name": "Łucja",
        "last_name": "Kowalska-Nowak",
        "phones": [{"value": "600 100 200", "for_call": true, "for_sms": true}],
        "emails": [{"value": "Lucja.Kowalska@Example.PL", "for_email": true}],
        "street": "ul. Długa 5",
        "postal_code": "00-950",
        "city": "Łódź",
        "pesel": "44051401359",
        "nip": "526-000-12-46",
        "notes": "Dzwonić po 16."
    })
}

async fn save(
    client: &common::Client,
    id: Option<i64>,
    version: i64,
    data: Value,
) -> (StatusCode, Value) {
    client
        .call_json(
            "contact_save",
            json!({"input": {"id": id, "version": version, "data": data}}),
        )
        .await
}

async fn create(client: &common::Client, data: Value) -> i64 {
    let (status, body) = save(client, None, 0, data).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().expect("id")
}

async fn search(client: &common::Client, q: &str) -> Vec<i64> {
    let (status, body) = client.call("contact_search", &[("q", q)]).await;
    assert_eq!(status, StatusCode::OK, "{q}: {body}");
    body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

async fn get(client: &common::Client, id: i64) -> (StatusCode, Value) {
    client.call("contact_get", &[("id", &id.to_string())]).await
}

both_backends!(a_contact_round_trips_normalised, |app| async move {
    let client = app.signed_in("konsultant", Role::Consultant).await;
    let id = create(&client, kowalski()).await;
    let (status, card) = get(&client, id).await;
    assert_eq!(status, StatusCode::OK, "{card}");
    let data = &card["data"];
    assert_eq!(data["first_name"], "Łucja");
    assert_eq!(data["phones"][0]["value"], "+48600100200");
    assert_eq!(data["phones"][0]["for_sms"], true);
    assert_eq!(data["emails"][0]["value"], "lucja.kowalska@example.pl");
    assert_eq!(data["nip"], "5260001246");
    assert_eq!(data["city"], "Łódź");
    assert_eq!(card["version"], 1);
    assert_eq!(card["state"], "active");
});

both_backends!(lookups_go_through_the_blind_index, |app| async move {
    let client = app.signed_in("konsultant", Role::Consultant).await;
    let id = create(&client, kowalski()).await;
    let other = create(
        &client,
        json!({"first_name": "Jan", "last_name": "Nowak", "phones": [{"value": "+48 601 000 000"}]}),
    )
    .await;
    for q in [
        "+48 600-100-200",
        "0048600100200",
        "LUCJA.KOWALSKA@example.pl",
        "lucja",
        "Łucja kowalska",
        "44051401359",
        "PL 526-000-12-46",
    ] {
        assert_eq!(search(&client, q).await, vec![id], "{q}");
    }
    assert_eq!(search(&client, "nowak").await, vec![other, id]);
    assert_eq!(search(&client, "jan nowak").await, vec![other]);
    assert!(
        search(&client, "kowal").await.is_empty(),
        "whole words only"
    );
    assert!(search(&client, "600100201").await.is_empty());
    assert_eq!(search(&client, "").await, vec![other, id], "newest first");
    let (status, body) = client.call("contact_search", &[("q", "12")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0]["msg"], "ErrSearchNumber");

    // Nothing readable sits in the database: not the name, not the phone.
    let rows = sqlx::query("SELECT last_name, city FROM contacts")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    for row in rows {
        let sealed: Vec<u8> = row.try_get("last_name").unwrap();
        assert!(!String::from_utf8_lossy(&sealed).contains("Nowak"));
    }
    let tokens: Vec<Vec<u8>> = sqlx::query_scalar("SELECT token FROM contact_index")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert!(tokens.iter().all(|t| t.len() == 32));
    assert!(!tokens
        .iter()
        .any(|t| String::from_utf8_lossy(t).contains("600100200")));
});

both_backends!(the_list_pages_by_cursor, |app| async move {
    let client = app.signed_in("konsultant", Role::Consultant).await;
    let mut ids = Vec::new();
    for n in 0..27 {
        ids.push(
            create(
                &client,
                json!({"last_name": format!("Strona{n}"), "city": "Radom"}),
            )
            .await,
        );
    }
    let (status, first) = client.call("contact_search", &[("q", "")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["rows"].as_array().unwrap().len(), 25);
    assert_eq!(first["rows"][0]["id"], ids[26]);
    assert_eq!(first["rows"][0]["city"], "Radom");
    assert_eq!(
        first["rows"][0]["phone"],
        Value::Null,
        "no phone: empty, shown as —"
    );
    let cursor = first["next_before"].as_i64().expect("a next page");
    let (_, second) = client
        .call(
            "contact_search",
            &[("q", ""), ("before", &cursor.to_string())],
        )
        .await;
    let rest: Vec<i64> = second["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(rest, vec![ids[1], ids[0]]);
    assert_eq!(second["next_before"], Value::Null);
});

both_backends!(
    invalid_fields_are_named_and_nothing_is_saved,
    |app| async move {
        let client = app.signed_in("konsultant", Role::Consultant).await;
        let mut data = kowalski();
        data["phones"] = json!([{"value": "600 100 200"}, {"value": "123"}]);
        data["emails"] = json!([{"value": "nie-adres"}]);
        data["pesel"] = json!("44051401358");
        data["nip"] = json!("1234567890");
        let (status, body) = save(&client, None, 0, data).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let fields: Vec<&str> = body["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, vec!["phones.1", "emails.0", "pesel", "nip"]);
        for table in [
            "contacts",
            "contact_keys",
            "contact_channels",
            "contact_index",
        ] {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(app.db.pool())
                .await
                .unwrap();
            assert_eq!(n, 0, "{table}");
        }
        // A malformed body is the caller's mistake, not a server error.
        let (status, _) = client
            .call_json(
                "contact_save",
                json!({"input": {"data": {"kind": "robot"}}}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

both_backends!(edits_follow_the_version_and_reindex, |app| async move {
    let client = app.signed_in("konsultant", Role::Consultant).await;
    let id = create(&client, kowalski()).await;
    let (_, card) = get(&client, id).await;
    let mut data = card["data"].clone();
    data["phones"][0]["value"] = json!("+48 602 000 111");
    data["emails"] = json!([]);
    let (status, body) = save(&client, Some(id), 1, data.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(search(&client, "600100200").await.is_empty());
    assert_eq!(search(&client, "602000111").await, vec![id]);
    assert!(search(&client, "lucja.kowalska@example.pl")
        .await
        .is_empty());
    let (_, card) = get(&client, id).await;
    assert_eq!(card["version"], 2);
    assert_eq!(
        card["data"]["phones"][0]["id"], data["phones"][0]["id"],
        "the row was kept"
    );
    // Someone else saved in between: the older version is refused.
    let (status, body) = save(&client, Some(id), 1, data).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["detail"], "ErrStaleRecord");
    let (status, _) = save(&client, Some(999_999), 1, kowalski()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
});

both_backends!(signed_out_callers_get_nothing, |app| async move {
    let owner = app.signed_in("konsultant", Role::Consultant).await;
    let id = create(&owner, kowalski()).await;
    let (status, _) = get(&app.client(), id).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
});

/// A ciphertext's bytes, changed by `f` and written back.
async fn rewrite(
    app: &common::TestApp,
    sql_get: &str,
    sql_set: &str,
    f: impl Fn(Vec<u8>) -> Vec<u8>,
) {
    let sealed: Vec<u8> = sqlx::query_scalar(sql_get)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    sqlx::query(sql_set)
        .bind(f(sealed))
        .execute(app.db.pool())
        .await
        .unwrap();
}

both_backends!(tampered_or_moved_ciphertexts_are_errors, |app| async move {
    let client = app.signed_in("konsultant", Role::Consultant).await;
    let a = create(&client, kowalski()).await;
    let b = create(&client, json!({"first_name": "Jan", "last_name": "Nowak"})).await;
    // A value copied from another row (same key would not help either: other contact).
    rewrite(
        &app,
        &format!("SELECT last_name FROM contacts WHERE id = {b}"),
        &format!("UPDATE contacts SET last_name = $1 WHERE id = {a}"),
        |v| v,
    )
    .await;
    let (status, body) = get(&client, a).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert_eq!(body["kind"], "internal");
    assert!(!body.to_string().contains("Nowak"));
    // One flipped bit in the other contact's phone.
    rewrite(
        &app,
        &format!("SELECT value FROM contact_channels WHERE contact_id = {a}"),
        &format!("UPDATE contact_channels SET value = $1 WHERE contact_id = {a}"),
        |mut v| {
            let last = v.len() - 1;
            v[last] ^= 1;
            v
        },
    )
    .await;
    let (status, _) = client.call("contact_search", &[("q", "")]).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    // A contact's wrapped key swapped with another's.
    let (status, _) = get(&client, b).await;
    assert_eq!(status, StatusCode::OK);
    rewrite(
        &app,
        &format!("SELECT wrapped_key FROM contact_keys WHERE contact_id = {a}"),
        &format!("UPDATE contact_keys SET wrapped_key = $1 WHERE contact_id = {b}"),
        |v| v,
    )
    .await;
    let (status, _) = get(&client, b).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
});

both_backends!(a_destroyed_key_leaves_nothing_readable, |app| async move {
    let client = app.signed_in("konsultant", Role::Consultant).await;
    let id = create(&client, kowalski()).await;
    let mut conn = app.db.pool().acquire().await.unwrap();
    assert!(
        app::vault::store::destroy_key(&mut conn, app::ids::ContactId(id))
            .await
            .unwrap()
    );
    let (status, card) = get(&client, id).await;
    assert_eq!(status, StatusCode::OK, "{card}");
    for field in ["first_name", "last_name", "city", "pesel", "notes"] {
        assert_eq!(card["data"][field], "", "{field}");
    }
    assert_eq!(card["data"]["phones"][0]["value"], "");
    let (_, page) = client.call("contact_search", &[("q", "")]).await;
    assert_eq!(page["rows"][0]["name"], Value::Null);
    // Nothing can be written under a key that is gone.
    let (status, body) = save(&client, Some(id), 1, kowalski()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
});

both_backends!(rotation_rewraps_every_key_while_serving, |app| async move {
    let client = app.signed_in("konsultant", Role::Consultant).await;
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(create(&client, json!({"last_name": format!("Rotacja{n}"), "phones": [{"value": format!("60010000{n}")}]})).await);
    }
    // Another process (the `zgoda keys rotate` command) with its own view of the file.
    let (cli_vault, _) = Vault::open(KeySource::File(app.keyring.clone()), &app.db)
        .await
        .unwrap();
    let report = app::vault::rotate::rotate(&app.db, &cli_vault)
        .await
        .unwrap();
    assert_eq!(report.master_id, app::ids::MasterKeyId(2));
    assert_eq!(report.rewrapped, 3);
    assert_eq!(report.retired, vec![app::ids::MasterKeyId(1)]);
    let masters: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT master_key_id FROM contact_keys")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(masters, vec![2]);
    let ring = std::fs::read_to_string(&app.keyring).unwrap();
    assert!(ring.contains("master 2 ") && !ring.contains("master 1 "));
    // The running server follows: old contacts read, new ones wrap under key 2.
    for id in &ids {
        let (status, card) = get(&client, *id).await;
        assert_eq!(status, StatusCode::OK, "{card}");
    }
    assert_eq!(search(&client, "600100001").await, vec![ids[1]]);
    let fresh = create(&client, json!({"last_name": "Po rotacji"})).await;
    let master: i64 = sqlx::query_scalar(&format!(
        "SELECT master_key_id FROM contact_keys WHERE contact_id = {fresh}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(master, 2);
});

both_backends!(a_keyring_must_belong_to_its_database, |app| async move {
    let client = app.signed_in("konsultant", Role::Consultant).await;
    create(&client, kowalski()).await;
    let elsewhere = tempfile::tempdir().unwrap();
    // A missing keyring is never silently replaced while encrypted data exists.
    let missing = Vault::open(KeySource::File(elsewhere.path().join("keyring")), &app.db).await;
    assert!(
        matches!(missing, Err(VaultError::Missing(_))),
        "{missing:?}"
    );
    let foreign = app::vault::Keyring::generate().render();
    let wrong = Vault::open(KeySource::Env(foreign), &app.db).await;
    assert!(matches!(wrong, Err(VaultError::Foreign(_))), "{wrong:?}");
    let same = std::fs::read_to_string(&app.keyring)
        .unwrap()
        .replace('\n', ";");
    assert!(Vault::open(KeySource::Env(same), &app.db).await.is_ok());
});

async fn save_case(client: &common::Client, input: Value) -> (StatusCode, Value) {
    client.call_json("case_save", json!({"input": input})).await
}

both_backends!(cases_belong_to_a_contact, |app| async move {
    let client = app.signed_in("konsultant", Role::Consultant).await;
    let contact = create(&client, kowalski()).await;
    let (_, assignees) = client.call("case_assignees", &[]).await;
    let me = assignees[0]["id"].as_i64().unwrap();
    let (status, body) = save_case(
        &client,
        json!({"contact_id": contact, "subject": " Reklamacja pralki ", "description": "Nie wiruje.\nOd tygodnia.",
               "status": "new", "channel": "phone", "assigned_to": me}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let case_id = body.as_i64().unwrap();
    let (status, card) = client
        .call("case_get", &[("id", &case_id.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "{card}");
    assert_eq!(card["case"]["subject"], "Reklamacja pralki");
    assert_eq!(card["contact"]["data"]["last_name"], "Kowalska-Nowak");
    let (_, contact_card) = get(&client, contact).await;
    assert_eq!(contact_card["cases"][0]["subject"], "Reklamacja pralki");
    assert_eq!(contact_card["cases"][0]["assignee"], "Test User");
    let mut edit = card["case"].clone();
    edit["status"] = json!("in_progress");
    let (status, _) = save_case(&client, edit.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = save_case(&client, edit).await;
    assert_eq!(status, StatusCode::CONFLICT, "stale: {body}");
    let (status, body) = save_case(&client, json!({"contact_id": 999_999, "subject": "x"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0]["field"], "contact_id");
    let (status, body) = save_case(
        &client,
        json!({"contact_id": contact, "subject": "x", "assigned_to": 999_999}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0]["field"], "assigned_to");
    let (status, body) = save_case(&client, json!({"contact_id": contact, "subject": ""})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT subject FROM cases")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(!String::from_utf8_lossy(&sealed).contains("pralki"));
});
