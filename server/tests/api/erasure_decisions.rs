//! The managers' decisions on requests to be forgotten, on both databases: a deadline is
//! extended once only and the queue shows it; a legal hold blocks approval until released;
//! a refusal states its reason and the consultant sees it. An undo racing an approval, and
//! two managers approving at once, have exactly one outcome; approving several requests
//! reports each, even when one fails at commit.

use crate::common;
use crate::erasure::{asked, card, person, Asked};

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::json;

both_backends!(
    a_deadline_is_extended_once_only_and_the_queue_shows_it,
    |app| async move {
        let Asked {
            manager, request, ..
        } = asked(&app).await;
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
    }
);

both_backends!(
    a_legal_hold_blocks_approval_until_released,
    |app| async move {
        let Asked {
            consultant,
            manager,
            id,
            request,
        } = asked(&app).await;
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
        let (status, body) = manager.approve_erasure(request).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "released, it no longer blocks: {body}"
        );
    }
);

both_backends!(
    a_refusal_states_its_reason_and_the_consultant_sees_it,
    |app| async move {
        let Asked {
            consultant,
            manager,
            id,
            request,
        } = asked(&app).await;
        let r = request.to_string();
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
    }
);

both_backends!(
    undo_racing_approval_has_exactly_one_outcome,
    |app| async move {
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let manager = app.signed_in("menedzer", Role::Manager).await;
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
        }
    }
);

both_backends!(
    two_managers_approving_at_once_have_exactly_one_outcome,
    |app| async move {
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let second = app.signed_in("menedzer2", Role::Manager).await;
        for round in 0..4 {
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
    }
);

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
