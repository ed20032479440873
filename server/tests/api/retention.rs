//! Retention on both databases through the endpoints: rules and their checks, the
//! preview, a run asked for by a manager and done by the job, its report, and the
//! request it leaves in the managers' erasure queue.

use crate::common;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

const DAY: i64 = 86_400_000;

async fn person(client: &common::Client, last_name: &str) -> i64 {
    let (status, body) = client
        .call_json(
            "contact_save",
            json!({"input": {"data": {"first_name": "Halina", "last_name": last_name}}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().unwrap()
}

async fn age(app: &common::TestApp, contact: i64, days: i64) {
    let at = app::db::now_ms() - days * DAY;
    sqlx::query("UPDATE contacts SET created_at = $1 WHERE id = $2")
        .bind(at)
        .bind(contact)
        .execute(app.db.pool())
        .await
        .unwrap();
}

async fn finished_run(manager: &common::Client, run: i64) -> Value {
    for _ in 0..200 {
        let (status, runs) = manager.call("retention_runs", &[]).await;
        assert_eq!(status, StatusCode::OK, "{runs}");
        if let Some(r) = runs
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == run && r["state"] == "done")
        {
            return r.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("run {run} did not finish");
}

both_backends!(
    a_manager_defines_a_rule_previews_and_the_run_queues_the_contact,
    |app| async move {
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let (status, _) = consultant.call("retention_rules", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let save = |fields: Vec<(&'static str, &'static str)>| {
            let manager = manager.clone();
            async move { manager.call("retention_rule_save", &fields).await }
        };
        // A period of nothing, a consent rule without its consent: named, nothing saved.
        let (status, body) = save(vec![
            ("name", "Nic"),
            ("scope", "no_purpose"),
            ("months", "0"),
            ("days", "0"),
            ("outcome", "queue"),
            ("active", "on"),
        ])
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["detail"][0]["field"], "months");
        let (status, body) = save(vec![
            ("name", "Marketing"),
            ("scope", "consent"),
            ("days", "30"),
            ("outcome", "queue"),
        ])
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["detail"][0]["field"], "definition_id");
        let (status, body) = save(vec![
            ("name", "Marketing"),
            ("scope", "consent"),
            ("definition_id", "999999"),
            ("days", "30"),
            ("outcome", "queue"),
        ])
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (_, rules) = manager.call("retention_rules", &[]).await;
        assert_eq!(rules, json!([]));

        let (status, rule) = save(vec![
            ("name", "Brak celu: 6 miesięcy od utworzenia"),
            ("scope", "no_purpose"),
            ("months", "6"),
            ("outcome", "queue"),
            ("active", "on"),
        ])
        .await;
        assert_eq!(status, StatusCode::OK, "{rule}");

        let kept = person(&consultant, "Świeża").await;
        let due = person(&consultant, "Przeterminowana").await;
        age(&app, due, 400).await;
        let (status, preview) = manager.call("retention_preview", &[]).await;
        assert_eq!(status, StatusCode::OK, "{preview}");
        assert_eq!(preview["total"], 1, "{preview}");
        assert_eq!(preview["contacts"][0]["contact_id"], due);
        assert_eq!(preview["contacts"][0]["outcome"], "queue");
        assert_eq!(
            preview["contacts"][0]["ended"][0][1],
            "Brak celu: 6 miesięcy od utworzenia"
        );
        // The preview changed nothing.
        let (_, card) = consultant
            .call("contact_get", &[("id", &due.to_string())])
            .await;
        assert_eq!(card["state"], "active");

        let (status, run) = manager.call("retention_run_now", &[]).await;
        assert_eq!(status, StatusCode::OK, "{run}");
        let report = finished_run(&manager, run.as_i64().unwrap()).await;
        assert_eq!(report["queued"], 1, "{report}");
        assert_eq!(report["erased"], 0);
        assert_eq!(
            report["by_rule"],
            json!([["Brak celu: 6 miesięcy od utworzenia", 1, 0]])
        );
        let (_, card) = consultant
            .call("contact_get", &[("id", &due.to_string())])
            .await;
        assert_eq!(card["state"], "erasure_pending");
        let (_, card) = consultant
            .call("contact_get", &[("id", &kept.to_string())])
            .await;
        assert_eq!(card["state"], "active");
        // The person's copy says how long the data is kept, and until when (Art. 15(1)(d)).
        let (status, copy) = consultant
            .call("contact_data_export", &[("contact_id", &kept.to_string())])
            .await;
        assert_eq!(status, StatusCode::OK, "{copy}");
        let retention = copy["retention"].as_str().unwrap_or_default();
        assert!(
            retention.starts_with("Brak celu: 6 miesięcy od utworzenia: 6 mies. 0 dni"),
            "{retention}"
        );
        assert!(retention.contains("przechowujemy do 20"), "{retention}");
        // In the managers' queue, with the ground and the rule instead of a person.
        let (status, queue) = manager.call("erasure_queue", &[]).await;
        assert_eq!(status, StatusCode::OK, "{queue}");
        let item = queue
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["contact_id"] == due)
            .unwrap_or_else(|| panic!("{queue}"))
            .clone();
        assert_eq!(item["ground"], "no_longer_needed");
        assert_eq!(
            item["retention_rule"],
            "Brak celu: 6 miesięcy od utworzenia"
        );
        assert!(item["requested_by"].is_null());
    }
);
