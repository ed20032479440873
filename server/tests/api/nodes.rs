//! Two Zgoda nodes on one database (#20), each with its own pool, state, background jobs
//! and port, as behind a load balancer: a session opened on one is good on the other;
//! two edits of one contact at the same moment from both nodes, exactly one wins and the
//! other hears "changed meanwhile"; two approvals of one erasure request at once, one
//! outcome: the contact erased once, one approval on record, the other told it was
//! decided. On SQLite the two nodes share the file, as two processes would.

use crate::common;
use app::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn person() -> Value {
    json!({"kind": "person", "first_name": "Bożena", "last_name": "Wieczorek",
           "phones": [{"value": "600 700 800", "for_call": true}], "city": "Opole"})
}

async fn save(client: &common::Client, id: i64, version: i64, last: &str) -> (StatusCode, Value) {
    let mut data = person();
    data["last_name"] = json!(last);
    client
        .call_json(
            "contact_save",
            json!({"input": {"id": id, "version": version, "data": data}}),
        )
        .await
}

both_backends!(
    a_session_from_one_node_is_good_on_the_other,
    |app| async move {
        let node = app.second_node().await;
        let on_first = app.signed_in("konsultant", Role::Consultant).await;
        let id = on_first.contact_save(json!({"data": person()})).await;
        // The same browser (its session cookie), its next request sent to the other node
        // by the balancer: the addresses differ only by the port here, the origin follows.
        let res = on_first
            .http
            .post(format!("{}/api/contact_get", node.base))
            .header("origin", &node.base)
            .form(&[("id", id.to_string())])
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::OK);
        let card: Value = res.json().await.expect("card");
        assert_eq!(card["data"]["last_name"], "Wieczorek");
    }
);

both_backends!(
    two_edits_at_once_from_two_nodes_one_wins,
    |app| async move {
        let node = app.second_node().await;
        let first = app.signed_in("konsultant", Role::Consultant).await;
        app.add_user("konsultantka", Role::Consultant, common::TEST_PASSWORD)
            .await;
        let second = app.sign_in_at(&node.base, "konsultantka").await;
        let id = first.contact_save(json!({"data": person()})).await;
        for round in 0..5 {
            let version = first.contact_card(id).await["version"].as_i64().unwrap();
            let (mine, theirs) = (format!("Pierwsza-{round}"), format!("Druga-{round}"));
            let (a, b) = tokio::join!(
                save(&first, id, version, &mine),
                save(&second, id, version, &theirs),
            );
            let outcomes = [a.0, b.0];
            assert!(
                outcomes.contains(&StatusCode::OK) && outcomes.contains(&StatusCode::CONFLICT),
                "round {round}: exactly one wins, the other is refused: {a:?} {b:?}"
            );
            let loser = if a.0 == StatusCode::CONFLICT {
                &a.1
            } else {
                &b.1
            };
            assert_eq!(loser["detail"], "ErrStaleRecord");
            let winner = if a.0 == StatusCode::OK {
                "Pierwsza"
            } else {
                "Druga"
            };
            let card = second.contact_card(id).await;
            assert_eq!(card["version"], version + 1, "round {round}");
            assert_eq!(card["data"]["last_name"], format!("{winner}-{round}"));
        }
    }
);

both_backends!(
    two_approvals_at_once_from_two_nodes_one_outcome,
    |app| async move {
        let node = app.second_node().await;
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let first = app.signed_in("kierownik", Role::Manager).await;
        app.add_user("kierowniczka", Role::Manager, common::TEST_PASSWORD)
            .await;
        let second = app.sign_in_at(&node.base, "kierowniczka").await;
        let id = consultant.contact_save(json!({"data": person()})).await;
        let request = consultant.ask_erasure(id).await;

        let (a, b) = tokio::join!(
            first.approve_erasure(request),
            second.approve_erasure(request)
        );
        let approved = [&a, &b]
            .iter()
            .filter(|(status, _)| *status == StatusCode::OK)
            .count();
        assert_eq!(approved, 1, "one approval goes through: {a:?} {b:?}");
        let refused = if a.0 == StatusCode::OK { &b } else { &a };
        assert_eq!(refused.0, StatusCode::CONFLICT, "{refused:?}");
        assert_eq!(refused.1["detail"], "ErrErasureDecided");

        let card = consultant.contact_card(id).await;
        assert_eq!(card["state"], "erased");
        assert_eq!(card["data"]["last_name"], "");
        let approvals: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'erasure.approved'")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(approvals, 1, "one approval on record");
        let register = std::fs::read_to_string(app.keyring.with_file_name("erased")).unwrap();
        let lines = register.lines().filter(|l| !l.starts_with('#')).count();
        assert_eq!(lines, 1, "the register names the erasure once: {register}");
    }
);
