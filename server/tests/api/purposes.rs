//! Purposes beyond a plain consent, on both databases: the example set of consents, an
//! objection to a purpose based on legitimate interest (Art. 21(1)) in the contact check
//! and the person's activities, and disclosures on the basis of consent, which need the
//! person's consent to sharing.

use crate::common;

use app::auth::Role;
use reqwest::multipart::Form;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn contact(client: &common::Client) -> i64 {
    let (status, body) = client
        .call_json(
            "contact_save",
            json!({"input": {"data": {
                "first_name": "Celina", "last_name": "Sprzeciwska",
                "phones": [{"value": "600100300", "for_call": true, "for_sms": true}],
                "emails": [{"value": "celina@example.pl", "for_email": true}]
            }}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().unwrap()
}

async fn adopt_examples(manager: &common::Client) -> Vec<Value> {
    let (status, ids) = manager.call("consent_examples_adopt", &[]).await;
    assert_eq!(status, StatusCode::OK, "{ids}");
    assert_eq!(ids.as_array().unwrap().len(), 5, "{ids}");
    let (_, list) = manager.call("consent_definitions", &[]).await;
    list.as_array().unwrap().clone()
}

fn id_of(defs: &[Value], name: &str) -> i64 {
    defs.iter()
        .find(|d| d["name"] == name)
        .unwrap_or_else(|| panic!("no definition {name}"))["id"]
        .as_i64()
        .unwrap()
}

async fn decide(client: &common::Client, contact: i64, definition: i64, decision: &str) {
    let form = Form::new()
        .text("contact_id", contact.to_string())
        .text("definition_id", definition.to_string())
        .text("decision", decision.to_string())
        .text("method", "call");
    let (status, body) = client.call_multipart("consent_record", form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn check_purpose(client: &common::Client, contact: i64, channel: &str, def: i64) -> Value {
    let (status, body) = client
        .call(
            "can_contact",
            &[
                ("contact_id", &contact.to_string()),
                ("channel", channel),
                ("purpose", "service"),
                ("definition_id", &def.to_string()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

both_backends!(
    a_manager_adopts_the_example_consents_once_on_an_empty_page,
    |app| async move {
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let (status, _) = consultant.call("consent_examples_adopt", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let defs = adopt_examples(&manager).await;
        let names: Vec<&str> = defs.iter().map(|d| d["name"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            [
                "Obsługa zgłoszenia",
                "Marketing i newsletter: e-mail",
                "Marketing: SMS",
                "Marketing: telefon",
                "Udostępnianie danych innym podmiotom"
            ]
        );
        assert!(defs.iter().all(|d| d["legal_basis"] == "consent"));
        assert_eq!(defs[4]["sharing"], true);
        assert_eq!(defs[0]["required"], true);
        // Once: the page offers the set only while nothing is defined.
        let (status, body) = manager.call("consent_examples_adopt", &[]).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["detail"], "ErrConsentExamplesNotEmpty");
        let (_, list) = manager.call("consent_definitions", &[]).await;
        assert_eq!(list.as_array().unwrap().len(), 5);
        // The set works like any consent: marketing by e-mail needs its own grant.
        let person = contact(&consultant).await;
        let email = id_of(&defs, "Marketing i newsletter: e-mail");
        let (_, before) = consultant
            .call(
                "can_contact",
                &[
                    ("contact_id", &person.to_string()),
                    ("channel", "email"),
                    ("purpose", "marketing"),
                ],
            )
            .await;
        assert_eq!(before["reason"], "no_consent");
        decide(&consultant, person, email, "granted").await;
        assert_eq!(
            check_purpose(&consultant, person, "email", email).await,
            json!({"allowed": true, "reason": null})
        );
        assert_eq!(
            check_purpose(&consultant, person, "sms", id_of(&defs, "Marketing: SMS")).await,
            json!({"allowed": false, "reason": "no_consent"})
        );
    }
);

both_backends!(
    an_objection_to_a_legitimate_interest_stops_that_purpose_until_lifted,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let (status, survey) = manager
            .call(
                "consent_definition_save",
                &[
                    ("name", "Badanie satysfakcji"),
                    (
                        "statement",
                        "Po zakończeniu zgłoszenia możemy zadzwonić z pytaniem o ocenę obsługi.",
                    ),
                    ("purpose", "Badanie satysfakcji klientów"),
                    ("legal_basis", "legitimate_interest"),
                    (
                        "balancing_note",
                        "Krótka ankieta po zgłoszeniu; osoba może się sprzeciwić.",
                    ),
                    ("channel", "call"),
                    ("active", "on"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{survey}");
        let survey = survey.as_i64().unwrap();
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let person = contact(&consultant).await;
        let allowed = json!({"allowed": true, "reason": null});
        assert_eq!(
            check_purpose(&consultant, person, "call", survey).await,
            allowed
        );

        let ids = [
            ("contact_id", person.to_string()),
            ("definition_id", survey.to_string()),
        ];
        let args = |extra: &[(&'static str, &'static str)]| {
            let mut v: Vec<(&str, String)> = ids.to_vec();
            v.extend(extra.iter().map(|(k, x)| (*k, x.to_string())));
            v
        };
        let call =
            |client: &common::Client, endpoint: &'static str, a: Vec<(&'static str, String)>| {
                let client = client.clone();
                async move {
                    let refs: Vec<(&str, &str)> = a.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    client.call(endpoint, &refs).await
                }
            };
        let (status, list) = call(&consultant, "purpose_objection_record", args(&[])).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let item = list
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["definition_id"] == survey)
            .unwrap()
            .clone();
        assert_eq!(item["legal_basis"], "legitimate_interest");
        assert!(item["objected_at"].is_i64(), "{item}");
        // Saying it again changes nothing.
        let (status, again) = call(&consultant, "purpose_objection_record", args(&[])).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again, list);
        assert_eq!(
            check_purpose(&consultant, person, "call", survey).await,
            json!({"allowed": false, "reason": "objection"})
        );
        // Other purposes go on: the general check for service is not affected.
        let (_, service) = consultant
            .call(
                "can_contact",
                &[
                    ("contact_id", &person.to_string()),
                    ("channel", "call"),
                    ("purpose", "service"),
                ],
            )
            .await;
        assert_eq!(service, allowed);

        // Overriding the person is a manager's decision.
        let (status, body) = call(
            &consultant,
            "purpose_objection_lift",
            args(&[("ground", "compelling_grounds")]),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["detail"][0]["field"], "ground");
        let (status, body) = call(
            &consultant,
            "purpose_objection_lift",
            args(&[("ground", "x")]),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = call(
            &consultant,
            "purpose_objection_lift",
            args(&[("ground", "withdrawn")]),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            check_purpose(&consultant, person, "call", survey).await,
            allowed
        );
        let (status, body) = call(
            &consultant,
            "purpose_objection_lift",
            args(&[("ground", "withdrawn")]),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["detail"][0]["msg"], "ErrObjectionNotInForce");
        // Again, and a manager overrides it on compelling grounds.
        call(&consultant, "purpose_objection_record", args(&[])).await;
        let (status, body) = call(
            &manager,
            "purpose_objection_lift",
            args(&[("ground", "compelling_grounds")]),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        // Both objections and both lifts are the person's activities.
        let (_, history) = consultant
            .call("contact_history", &[("contact_id", &person.to_string())])
            .await;
        let kinds: Vec<&str> = history["activities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["detail"]["kind"].as_str().unwrap())
            .filter(|k| k.starts_with("objection"))
            .collect();
        assert_eq!(
            kinds,
            [
                "objection_lifted",
                "objection_recorded",
                "objection_lifted",
                "objection_recorded"
            ],
            "{history}"
        );

        // A consent is withdrawn, not objected to.
        let (status, processing) = manager
            .call(
                "consent_definition_save",
                &[
                    ("name", "Przetwarzanie"),
                    ("statement", "Wyrażam zgodę."),
                    ("purpose", "Obsługa"),
                    ("legal_basis", "consent"),
                    ("channel", "any"),
                    ("active", "on"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{processing}");
        let (status, body) = consultant
            .call(
                "purpose_objection_record",
                &[
                    ("contact_id", &person.to_string()),
                    ("definition_id", &processing.to_string()),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            body["detail"][0]["msg"],
            "ErrObjectionLegitimateInterestOnly"
        );
        let processing = processing.as_i64().unwrap();
        assert_eq!(
            check_purpose(&consultant, person, "call", processing).await,
            json!({"allowed": false, "reason": "no_consent"})
        );
        // An unknown purpose is named, not guessed.
        let (status, body) = consultant
            .call(
                "can_contact",
                &[
                    ("contact_id", &person.to_string()),
                    ("channel", "call"),
                    ("purpose", "service"),
                    ("definition_id", "999999"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["detail"][0]["field"], "definition_id");
    }
);

both_backends!(
    a_disclosure_on_the_basis_of_consent_needs_the_persons_consent_to_sharing,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let defs = adopt_examples(&manager).await;
        let sharing = id_of(&defs, "Udostępnianie danych innym podmiotom");
        let (status, partner) = manager
            .call(
                "recipient_save",
                &[
                    ("name", "Partner Handlowy S.A."),
                    ("role", "controller"),
                    ("active", "on"),
                    ("scope[phones]", "consent"),
                    ("scope[city]", "contract"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{partner}");
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let person = contact(&consultant).await;
        let disclose = |field: &'static str| {
            let manager = manager.clone();
            let partner = partner.to_string();
            async move {
                manager
                    .call(
                        "disclosure_record",
                        &[
                            ("recipient_id", partner.as_str()),
                            ("contact_ids", &person.to_string()),
                            ("purpose", "Oferta partnera"),
                            (field, "on"),
                        ],
                    )
                    .await
            }
        };
        // On the basis of a contract the consent is not asked for.
        let (status, body) = disclose("fields[city]").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = disclose("fields[phones]").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["detail"][0]["field"], "contact_ids");
        assert_eq!(body["detail"][0]["msg"], "ErrNoSharingConsent");
        decide(&consultant, person, sharing, "granted").await;
        let (status, body) = disclose("fields[phones]").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        decide(&consultant, person, sharing, "withdrawn").await;
        let (status, body) = disclose("fields[phones]").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (_, log) = manager
            .call(
                "disclosures_list",
                &[("recipient_id", &partner.to_string())],
            )
            .await;
        assert_eq!(log.as_array().unwrap().len(), 2, "refusals leave nothing");
    }
);
