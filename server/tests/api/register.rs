//! The Art. 30 register on both databases through the endpoints and the page: built
//! from what managers defined, completed field by field, versioned, printable; the
//! recipient's transfer outside the EEA comes from the recipients' register.

use crate::common;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::Value;

async fn register(client: &common::Client, version: Option<&str>) -> (StatusCode, Value) {
    match version {
        Some(v) => client.call("register_get", &[("version", v)]).await,
        None => client.call("register_get", &[]).await,
    }
}

both_backends!(
    the_register_is_completed_and_kept_in_versions,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let newsletter = manager.define_consent("Newsletter", "email", true).await;
        let (status, body) = manager
            .call(
                "recipient_save",
                &[
                    ("name", "Chmura Sp. z o.o."),
                    ("role", "processor"),
                    ("active", "on"),
                    ("transfer", "USA — standardowe klauzule umowne"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let (status, reg) = register(&manager, None).await;
        assert_eq!(status, StatusCode::OK, "{reg}");
        let doc = &reg["document"];
        let key = format!("zgoda-{newsletter}");
        assert_eq!(doc["activities"][0]["key"], key.as_str());
        assert_eq!(doc["activities"][0]["data_suggested"], true);
        assert_eq!(
            doc["activities"].as_array().unwrap().last().unwrap()["key"],
            "sprawy"
        );
        assert_eq!(
            doc["recipients"][0]["transfer"],
            "USA — standardowe klauzule umowne"
        );
        assert_eq!(reg["versions"], serde_json::json!([]));

        // Categories are required; an unknown purpose is not found.
        let (status, body) = manager
            .call(
                "register_purpose_save",
                &[
                    ("key", key.as_str()),
                    ("data_categories", " "),
                    ("subject_categories", "x"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["detail"][0]["field"], "data_categories", "{body}");
        let (status, _) = manager
            .call(
                "register_purpose_save",
                &[
                    ("key", "zgoda-999999"),
                    ("data_categories", "a"),
                    ("subject_categories", "b"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = manager
            .call(
                "register_purpose_save",
                &[
                    ("key", key.as_str()),
                    ("data_categories", "adres e-mail"),
                    ("subject_categories", "subskrybenci newslettera"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = manager
            .call(
                "register_settings_save",
                &[
                    ("controller", "Call Center S.A., ul. Piotrkowska 1, Łódź"),
                    ("dpo", "iod@callcenter.example"),
                    (
                        "security_measures",
                        "Szyfrowanie danych osobowych.\nPolityka haseł.",
                    ),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let (status, first) = manager.call("register_version_save", &[]).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        assert_eq!(first, 1);
        let (status, _) = manager
            .call(
                "register_settings_save",
                &[
                    ("controller", "Nowa nazwa"),
                    ("dpo", ""),
                    ("security_measures", ""),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, old) = register(&manager, Some("1")).await;
        assert_eq!(status, StatusCode::OK, "{old}");
        assert_eq!(old["version"]["version"], 1);
        assert_eq!(
            old["document"]["controller"],
            "Call Center S.A., ul. Piotrkowska 1, Łódź"
        );
        assert_eq!(
            old["document"]["activities"][0]["data_categories"],
            "adres e-mail"
        );
        let (_, now) = register(&manager, None).await;
        assert_eq!(now["document"]["controller"], "Nowa nazwa");
        let (status, _) = register(&manager, Some("7")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // The page, without JavaScript: the current register and a saved version.
        let res = manager.get("/menedzer/rejestr-czynnosci").await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(html.contains("<h1>Rejestr czynności przetwarzania</h1>"));
        assert!(html.contains("subskrybenci newslettera"));
        assert!(html.contains("USA — standardowe klauzule umowne"));
        assert!(html.contains("Zapisz wersję rejestru"));
        let res = manager.get("/menedzer/rejestr-czynnosci?wersja=1").await;
        let html = res.text().await.unwrap();
        assert!(html.contains(r#"data-testid="register-version""#));
        assert!(html.contains("ul. Piotrkowska 1"));
        assert!(
            !html.contains("Zapisz wersję rejestru"),
            "a saved version is read-only"
        );

        // The register and a saved version as files for the DPO's records.
        let res = manager
            .get("/menedzer/rejestr-czynnosci/plik?format=csv&wersja=1")
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let disposition = res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            disposition.contains("zgoda-rejestr-czynnosci-v1.csv"),
            "{disposition}"
        );
        let csv = String::from_utf8(res.bytes().await.unwrap()[3..].to_vec()).unwrap();
        assert!(
            csv.contains("Call Center S.A., ul. Piotrkowska 1, Łódź"),
            "{csv}"
        );
        assert!(csv.contains("Newsletter;"), "{csv}");
        assert!(
            csv.contains("adres e-mail;subskrybenci newslettera"),
            "{csv}"
        );
        assert!(
            csv.contains("Chmura Sp. z o.o.;podmiot przetwarzający;"),
            "{csv}"
        );
        let res = manager
            .get("/menedzer/rejestr-czynnosci/plik?format=xlsx")
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.bytes().await.unwrap().starts_with(b"PK"));
        let res = manager
            .get("/menedzer/rejestr-czynnosci/plik?format=csv&wersja=9")
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);

        // Consultants have no register.
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let (status, _) = register(&consultant, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = consultant.call("register_version_save", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);
