//! Restriction of processing (Art. 18) on both databases, through every path that
//! reads or writes a contact: the card shows it, an edit and a disclosure are refused,
//! the contact check says "restricted", lifting needs the person told, and the
//! activities keep both steps.

use crate::common;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::json;

async fn restrict(
    client: &common::Client,
    contact: i64,
    ground: &str,
    note: &str,
) -> (StatusCode, serde_json::Value) {
    client
        .call_json(
            "contact_restrict",
            json!({"contact_id": contact, "ground": ground, "note": note}),
        )
        .await
}

async fn lift(
    client: &common::Client,
    contact: i64,
    informed: bool,
) -> (StatusCode, serde_json::Value) {
    client
        .call_json(
            "contact_restriction_lift",
            json!({"contact_id": contact, "person_informed": informed, "note": "Telefonicznie 30.11"}),
        )
        .await
}

both_backends!(
    a_restricted_contact_is_kept_and_shown_but_not_changed_contacted_or_disclosed,
    |app| async move {
        let manager = app.signed_in("kierownik", Role::Manager).await;
        let definition = manager
            .define_consent("Marketing telefoniczny", "call", true)
            .await;
        let consultant = app.signed_in("konsultantka", Role::Consultant).await;
        let contact = consultant
            .contact_save(
                json!({"data": {"first_name": "Grzegorz", "last_name": "Brzęczyszczykiewicz",
            "phones": [{"value": "600 100 200"}]}}),
            )
            .await;
        consultant.decide(contact, definition, "granted").await;

        let (status, body) = restrict(
            &consultant,
            contact,
            "accuracy",
            "Kwestionuje numer telefonu",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["ground"], "accuracy");
        assert_eq!(body["note"], "Kwestionuje numer telefonu");

        // The card shows the data and the restriction plainly.
        let card = consultant.contact_card(contact).await;
        assert_eq!(card["state"], "restricted");
        assert_eq!(card["data"]["last_name"], "Brzęczyszczykiewicz");
        assert_eq!(card["restriction"]["ground"], "accuracy");
        assert_eq!(card["restriction"]["restricted_by"], "Test User");

        // Not changed: an edit of the version shown is refused, and nothing moved.
        let version = card["version"].as_i64().unwrap();
        let (status, body) = consultant
            .call_json(
                "contact_save",
                json!({"input": {"id": contact, "version": version, "reason": "korekta",
                "data": {"first_name": "Grzegorz", "last_name": "Zmieniony"}}}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["detail"], "ErrContactRestricted");
        assert_eq!(
            consultant.contact_card(contact).await["data"]["last_name"],
            "Brzęczyszczykiewicz"
        );

        // Not contacted, whatever the consent says.
        let (status, check) = consultant
            .call_json(
                "can_contact",
                json!({"contact_id": contact, "channel": "call", "purpose": "marketing"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{check}");
        assert_eq!(check["allowed"], false);
        assert_eq!(check["reason"], "restricted");

        // Not disclosed.
        let (status, recipient) = manager
            .call(
                "recipient_save",
                &[
                    ("name", "Kurier Sp. z o.o."),
                    ("role", "controller"),
                    ("active", "on"),
                    ("scope[city]", "contract"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{recipient}");
        let (status, body) = manager
            .call(
                "disclosure_record",
                &[
                    ("recipient_id", &recipient.to_string()),
                    ("contact_ids", &contact.to_string()),
                    ("purpose", "Doręczenie przesyłki"),
                    ("fields[city]", "on"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.to_string().contains("contact_ids"), "{body}");

        // Lifted only once the person was told (Art. 18(3)).
        let (status, body) = lift(&consultant, contact, false).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.to_string().contains("person_informed"), "{body}");
        assert_eq!(
            consultant.contact_card(contact).await["state"],
            "restricted"
        );
        let (status, body) = lift(&consultant, contact, true).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let card = consultant.contact_card(contact).await;
        assert_eq!(card["state"], "active");
        assert!(card["restriction"].is_null(), "{card}");
        let (_, check) = consultant
            .call_json(
                "can_contact",
                json!({"contact_id": contact, "channel": "call", "purpose": "marketing"}),
            )
            .await;
        assert_eq!(check["allowed"], true, "{check}");

        // Both steps are in the person's activities and in the audit trail.
        let (status, history) = consultant
            .call("contact_history", &[("contact_id", &contact.to_string())])
            .await;
        assert_eq!(status, StatusCode::OK, "{history}");
        let kinds: Vec<&str> = history["activities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["detail"]["kind"].as_str().unwrap())
            .collect();
        assert!(
            kinds.contains(&"restricted") && kinds.contains(&"restriction_lifted"),
            "{kinds:?}"
        );
        let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
        assert!(
            actions.iter().any(|a| a == "contact.restricted"),
            "{actions:?}"
        );
        assert!(
            actions.iter().any(|a| a == "contact.restriction_lifted"),
            "{actions:?}"
        );
    }
);

both_backends!(
    a_restriction_needs_a_known_ground_and_a_contact_that_can_take_it,
    |app| async move {
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let contact = consultant
            .contact_save(json!({"data": {"first_name": "Ala", "last_name": "Wójcik"}}))
            .await;
        let (status, body) = restrict(&consultant, contact, "because", "").await;
        assert!(status.is_client_error(), "{status} {body}");
        let (status, body) = restrict(&consultant, 987_654, "accuracy", "").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, body) = lift(&consultant, contact, true).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");

        let (status, body) = restrict(&consultant, contact, "objection", "").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = restrict(&consultant, contact, "unlawful", "").await;
        assert_eq!(status, StatusCode::CONFLICT, "restricted once: {body}");
        assert_eq!(body["detail"], "ErrAlreadyRestricted");

        // A restricted person may still ask to be forgotten; while that waits, the
        // restriction is neither lifted nor added.
        let request = consultant.ask_erasure(contact).await;
        let (status, body) = lift(&consultant, contact, true).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        // The restriction still holds while the request waits: shown, and no edit.
        let card = consultant.contact_card(contact).await;
        assert_eq!(card["state"], "erasure_pending");
        assert_eq!(card["restriction"]["ground"], "objection");
        let (status, body) = consultant
            .call_json(
                "contact_save",
                json!({"input": {"id": contact, "version": card["version"], "reason": "korekta",
                    "data": {"first_name": "Ala", "last_name": "Zmieniona"}}}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["detail"], "ErrContactRestricted");
        // Taken back: restricted again, as before the request.
        let (status, body) = consultant.withdraw_erasure(request).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            consultant.contact_card(contact).await["state"],
            "restricted"
        );
    }
);
