//! "Raporty" on both databases through the endpoints and the page: a report built from
//! what managers and consultants did, its chart rendered by the server, saved reports,
//! bad queries answered field by field, and consultants kept out.

use crate::common;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn run(client: &common::Client, query: &str) -> (StatusCode, Value) {
    client.call("report_run", &[("query", query)]).await
}

both_backends!(
    a_report_counts_what_happened_and_draws_it,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        let anna = manager
            .contact_save(json!({"data": {"first_name": "Anna", "last_name": "Wąsowska"}}))
            .await;
        let jan = consultant
            .contact_save(
                json!({"data": {"first_name": "Jan", "last_name": "Brzęczyszczykiewicz"}}),
            )
            .await;
        let email = manager
            .define_consent("Newsletter e-mail", "email", true)
            .await;
        manager.decide(anna, email, "granted").await;
        consultant.decide(jan, email, "granted").await;
        consultant.decide(jan, email, "withdrawn").await;

        let (status, body) = run(&manager, "zbior=zgody&grupuj=uzytkownik").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["total"], 3, "{body}");
        let groups = body["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 2);
        // Granted, refused, withdrawn per user; the manager's display name is "Test User"
        // for both test accounts, so the figures tell them apart.
        let mut figures: Vec<Vec<i64>> = groups
            .iter()
            .map(|g| {
                g["values"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_i64().unwrap())
                    .collect()
            })
            .collect();
        figures.sort();
        assert_eq!(figures, vec![vec![1, 0, 0], vec![1, 0, 1]]);

        // Lines carry ids and labels, never a sealed value.
        let (status, body) = run(&manager, "zbior=zgody").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["lines"].as_array().unwrap().len(), 3);
        let text = body.to_string();
        assert!(
            !text.contains("Wąsowska") && !text.contains("Anna"),
            "{text}"
        );

        // The page renders the chart and the table from its URL alone.
        let res = manager
            .get("/menedzer/raporty?zbior=zgody&grupuj=miesiac")
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(html.contains("<h1>Raporty</h1>"));
        assert!(html.contains(r#"data-testid="report-chart""#), "chart");
        assert!(html.contains("<svg"), "inline SVG");
        assert!(html.contains("<rect"), "bars");
        assert!(html.contains(r#"data-testid="report-groups""#));
        assert!(html.contains("Gotowe raporty"));
        assert!(html.contains("Odczyty kart według użytkowników"));

        // A bad query shows its message on the page and names its field through the API.
        let res = manager
            .get("/menedzer/raporty?zbior=zgody&od=2026-13-01")
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let (status, body) = run(&manager, "zbior=odczyty&grupuj=rok").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["detail"][0]["field"], "grupuj", "{body}");

        // The same table as a file: CSV for Excel (BOM, ";"), and XLSX.
        let res = manager
            .get("/menedzer/raporty/plik?zbior=zgody&grupuj=uzytkownik&format=csv")
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let disposition = res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(disposition.contains("zgoda-raport-zgody-"), "{disposition}");
        let bytes = res.bytes().await.unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM");
        let csv = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let mut lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.remove(0), "Użytkownik;wyrażona;odmowa;wycofana");
        lines.sort();
        assert_eq!(lines, vec!["Test User;1;0;0", "Test User;1;0;1"]);
        let res = manager
            .get("/menedzer/raporty/plik?zbior=zgody&format=xlsx")
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml"));
        assert!(res.bytes().await.unwrap().starts_with(b"PK"), "a zip");
        // A bad report goes back to the page instead of failing.
        let res = manager.get("/menedzer/raporty/plik?zbior=nic").await;
        assert!(res.status().is_redirection(), "{}", res.status());

        // Consultants do not see reports, by the endpoint, the page or the file.
        let res = consultant
            .get("/menedzer/raporty/plik?zbior=zgody&format=csv")
            .await;
        assert_ne!(res.status(), StatusCode::OK);
        let (status, _) = run(&consultant, "zbior=zgody").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let res = consultant.get("/menedzer/raporty").await;
        assert!(res.status().is_redirection(), "{}", res.status());
    }
);

both_backends!(
    reports_are_saved_by_name_for_every_manager,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let other = app.signed_in("menedzer2", Role::Manager).await;
        let (status, id) = manager
            .call(
                "report_save",
                &[
                    ("name", "Zgody co miesiąc"),
                    ("query", "zbior=zgody&grupuj=miesiac&zrodlo=5"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{id}");
        let (status, again) = other
            .call(
                "report_save",
                &[("name", "Zgody co miesiąc"), ("query", "zbior=zgody")],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{again}");
        assert_eq!(again["detail"][0]["field"], "name", "{again}");
        let (status, blank) = other
            .call("report_save", &[("name", "  "), ("query", "zbior=zgody")])
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{blank}");

        let (status, list) = other.call("reports_saved", &[]).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list[0]["name"], "Zgody co miesiąc");
        // Kept as the dataset understands it: a source filter means nothing for consents.
        assert_eq!(list[0]["query"], "zbior=zgody&grupuj=miesiac");

        let id = id.as_i64().unwrap().to_string();
        let (status, _) = other.call("report_delete", &[("id", id.as_str())]).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = other.call("report_delete", &[("id", id.as_str())]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, list) = manager.call("reports_saved", &[]).await;
        assert_eq!(list, json!([]));
    }
);
