//! Webhooks on both databases: an administrator subscribes a receiver; a withdrawal
//! reaches it within seconds, signed, retried after a failed answer, and the delivery
//! log says how it went; a receiver hears only the events it subscribed to.

use std::sync::{Arc, Mutex};

use crate::common;

use app::auth::Role;
use axum::{body::Bytes, extract::State, http::HeaderMap, routing::post, Router};
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::sync::mpsc;

/// What a receiver got: the signature header, the event header and the body.
type Received = (String, String, Vec<u8>);

/// Where the receiver reports what it got, and the statuses it answers with in turn.
type ReceiverState = (
    mpsc::UnboundedSender<Received>,
    Arc<Mutex<std::vec::IntoIter<u16>>>,
);

/// A receiver on a port of its own that answers with `answers` in turn (then 204).
async fn receiver(answers: Vec<u16>) -> (String, mpsc::UnboundedReceiver<Received>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let answers = Arc::new(Mutex::new(answers.into_iter()));
    let handler = |State((tx, answers)): State<ReceiverState>, headers: HeaderMap, body: Bytes| async move {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let _ = tx.send((
            header("zgoda-signature"),
            header("zgoda-event"),
            body.to_vec(),
        ));
        let status = answers.lock().unwrap().next().unwrap_or(204);
        axum::http::StatusCode::from_u16(status).unwrap()
    };
    let app = Router::new()
        .route("/hook", post(handler))
        .with_state((tx, answers));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), rx)
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Received>) -> Received {
    tokio::time::timeout(std::time::Duration::from_secs(20), rx.recv())
        .await
        .expect("a delivery within 20 s")
        .expect("the receiver is running")
}

fn verify(secret: &str, header: &str, body: &[u8]) -> bool {
    let Some((t, v1)) = header
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
    else {
        return false;
    };
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    hex::encode(mac.finalize().into_bytes()) == v1
}

async fn subscribe(admin: &common::Client, name: &str, url: &str, events: &[&str]) -> String {
    let mut fields = vec![("name", name), ("url", url)];
    for event in events {
        fields.push((*event, "on"));
    }
    let (status, body) = admin.call("webhook_create", &fields).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["secret"].as_str().unwrap().to_string()
}

both_backends!(
    a_withdrawal_reaches_the_dialer_signed_and_retried_after_a_failure,
    security = app::state::Security {
        webhook_retry_base_ms: 300,
        ..app::state::Security::default()
    },
    |app| async move {
        let admin = app.signed_in("admin", Role::Administrator).await;
        let (dialer_url, mut dialer) = receiver(vec![503]).await;
        let (crm_url, mut crm) = receiver(vec![]).await;
        let secret = subscribe(&admin, "Dialer", &dialer_url, &["consent_withdrawn"]).await;
        subscribe(&admin, "CRM", &crm_url, &["erasure_approved"]).await;
        assert!(secret.starts_with("zgw_"));

        let manager = app.signed_in("kierownik", Role::Manager).await;
        let definition = manager
            .define_consent("Marketing telefoniczny", "call", true)
            .await;
        let contact = manager
            .contact_save(
                json!({"data": {"first_name": "Zdzisław", "last_name": "Szczęsny",
                "phones": [{"value": "600 100 200"}]}}),
            )
            .await;
        manager.decide(contact, definition, "granted").await;
        manager.decide(contact, definition, "withdrawn").await;

        // Refused once (503), then delivered: the same delivery, signed each time.
        let (first_sig, event, first_body) = next(&mut dialer).await;
        assert_eq!(event, "consent_withdrawn");
        assert!(verify(&secret, &first_sig, &first_body), "{first_sig}");
        let (second_sig, _, body) = next(&mut dialer).await;
        assert!(verify(&secret, &second_sig, &body));
        assert!(!verify("zgw_other", &second_sig, &body));
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["event"], "consent_withdrawn");
        assert_eq!(body["data"]["contact_id"], contact);
        assert_eq!(body["data"]["definition_id"], definition);
        assert_eq!(body["data"]["channel"], "call");
        assert_eq!(
            serde_json::from_slice::<Value>(&first_body).unwrap()["id"],
            body["id"]
        );
        // Ids only: nothing the person typed travels.
        let text = body.to_string();
        assert!(
            !text.contains("Szczęsny") && !text.contains("600100200"),
            "{text}"
        );

        // The log, as the administrator sees it.
        let log = loop {
            let (status, log) = admin.call("webhook_deliveries", &[]).await;
            assert_eq!(status, StatusCode::OK, "{log}");
            if log[0]["state"] == "delivered" {
                break log;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        };
        assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
        assert_eq!(log[0]["attempts"], 2);
        assert_eq!(log[0]["last_status"], 204);
        assert_eq!(log[0]["webhook"], "Dialer");

        // The CRM subscribed to erasures only and heard nothing of the withdrawal.
        assert!(crm.try_recv().is_err());
        let (status, _) = manager.call("webhooks_list", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "administrators only");
    }
);

both_backends!(
    an_objection_is_announced_once_and_a_switched_off_webhook_hears_nothing,
    |app| async move {
        let admin = app.signed_in("admin", Role::Administrator).await;
        let (url, mut dialer) = receiver(vec![]).await;
        subscribe(&admin, "Dialer", &url, &["marketing_objection"]).await;
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let contact = consultant
            .contact_save(json!({"data": {"first_name": "Jan", "last_name": "Nowak",
                "phones": [{"value": "601 000 001"}]}}))
            .await;
        let object = |objected: bool| {
            consultant.call_json(
                "marketing_objection_set",
                json!({"contact_id": contact, "objected": objected}),
            )
        };
        // Said twice during one call: one objection, announced once.
        for _ in 0..2 {
            let (status, body) = object(true).await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        let (_, event, _) = next(&mut dialer).await;
        assert_eq!(event, "marketing_objection");

        let (_, list) = admin.call("webhooks_list", &[]).await;
        let id = list[0]["id"].as_i64().unwrap().to_string();
        let (status, body) = admin
            .call("webhook_set_active", &[("id", &id), ("active", "false")])
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // Withdrawn and made again while the webhook is off: nothing is sent.
        object(false).await;
        object(true).await;
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        assert!(dialer.try_recv().is_err(), "one delivery, then silence");
        let (_, log) = admin.call("webhook_deliveries", &[]).await;
        let states: Vec<&str> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["state"].as_str().unwrap())
            .collect();
        assert_eq!(states, ["delivered"], "{log}");

        let (status, body) = admin
            .call(
                "webhook_create",
                &[("name", ""), ("url", "ftp://x"), ("erasure_approved", "on")],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = body["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["name", "url"]);
        let (status, body) = admin
            .call(
                "webhook_create",
                &[("name", "CRM"), ("url", "https://crm.example.pl/h")],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["detail"][0]["field"], "events");
    }
);

both_backends!(
    a_restriction_and_its_lifting_reach_the_receivers_subscribed_to_them,
    |app| async move {
        let admin = app.signed_in("admin", Role::Administrator).await;
        let (url, mut crm) = receiver(vec![]).await;
        subscribe(
            &admin,
            "CRM",
            &url,
            &["processing_restricted", "restriction_lifted"],
        )
        .await;
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let contact = consultant
            .contact_save(json!({"data": {"first_name": "Ewa", "last_name": "Ograniczona"}}))
            .await;
        let (status, body) = consultant
            .call_json(
                "contact_restrict",
                json!({"contact_id": contact, "ground": "legal_claims", "note": "Spór sądowy"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, event, body) = next(&mut crm).await;
        assert_eq!(event, "processing_restricted");
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["data"]["contact_id"], contact);
        assert_eq!(body["data"]["ground"], "legal_claims");
        assert!(!body.to_string().contains("Spór"), "ids only: {body}");

        let (status, body) = consultant
            .call_json(
                "contact_restriction_lift",
                json!({"contact_id": contact, "person_informed": true}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, event, body) = next(&mut crm).await;
        assert_eq!(event, "restriction_lifted");
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["data"]["contact_id"], contact);
    }
);
