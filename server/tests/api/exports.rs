//! "Eksportuj" on both databases: CSV in UTF-8 with BOM and in Windows-1250 with Polish
//! letters intact, delimiters, formula neutralisation, XLSX that opens, every export on
//! record (disclosure log, reads, audit) before the file, restricted contacts held back
//! without the override, erased ones never, consultants refused, a refused form answered
//! with a message, and the background path with its 24-hour file.

use std::io::Read;

use crate::common;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn contact(client: &common::Client, data: Value) -> i64 {
    client.contact_save(json!({ "data": data })).await
}

/// Three contacts: Polish letters, formula-like values and a plain one.
async fn seed(client: &common::Client) -> (i64, i64, i64) {
    let polish = contact(
        client,
        json!({"first_name": "Zażółć", "last_name": "gęślą jaźń", "city": "Łódź",
               "phones": [{"value": "+48 500 000 001", "for_call": true}],
               "emails": [{"value": "jazn@example.pl", "for_email": true}]}),
    )
    .await;
    let formulas = contact(
        client,
        json!({"first_name": "+1", "last_name": "-2", "company": "@x",
               "notes": "=cmd|' /C calc'!A0", "city": "Kraków; \"Nowa\" Huta"}),
    )
    .await;
    let plain = contact(client, json!({"last_name": "Zwykły", "city": "Gdańsk"})).await;
    (polish, formulas, plain)
}

fn form<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("filter", ""),
        ("col", "id"),
        ("col", "first_name"),
        ("col", "last_name"),
        ("col", "company"),
        ("col", "city"),
        ("col", "phones"),
        ("col", "notes"),
        ("purpose", "Kampania wiosenna"),
    ];
    // A field given here replaces the default one.
    f.retain(|(k, _)| *k == "col" || !extra.iter().any(|(e, _)| e == k));
    f.extend_from_slice(extra);
    f
}

async fn post(client: &common::Client, fields: &[(&str, &str)]) -> reqwest::Response {
    client
        .http
        .post(format!("{}/menedzer/eksport", client.base))
        .form(fields)
        .send()
        .await
        .expect("export request")
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The export, which must be a download; its bytes.
async fn download(res: reqwest::Response, ext: &str) -> Vec<u8> {
    assert_eq!(res.status(), StatusCode::OK, "{}", location(&res));
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"zgoda-eksport-")
            && disposition.ends_with(&format!(".{ext}\""))
            && disposition.len()
                == "attachment; filename=\"zgoda-eksport-YYYYMMDD-HHMM.\"".len() + ext.len(),
        "{disposition}"
    );
    assert_eq!(res.headers()["cache-control"], "no-store");
    res.bytes().await.expect("body").to_vec()
}

fn lines(text: &str) -> Vec<String> {
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Runs the queued background export now, as a node's job worker would (the test
/// nodes leave exports to the tests).
async fn run_queued_export(app: &common::TestApp) {
    let ran = app::jobs::runner::run_next(&app.state, "test-node", &[app::jobs::JobKind::Export])
        .await
        .expect("claiming the export's job");
    assert!(ran, "an export job was waiting");
}

both_backends!(
    csv_keeps_polish_letters_and_neutralises_formulas,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let (polish, formulas, plain) = seed(&manager).await;

        // UTF-8 with BOM, ";" by default.
        let bytes = download(post(&manager, &form(&[])).await, "csv").await;
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "Excel needs the BOM");
        let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
        let rows = lines(&text);
        assert_eq!(
            rows[0], "Identyfikator;Imię;Nazwisko;Nazwa firmy;Miejscowość;Telefony;Notatki",
            "{text}"
        );
        assert_eq!(rows.len(), 4, "{text}");
        assert_eq!(
            rows[1],
            format!("{polish};Zażółć;gęślą jaźń;;Łódź;'+48500000001;")
        );
        // Text cells a spreadsheet would run get an apostrophe; the id stays a bare number;
        // a cell holding the delimiter or a quote is quoted per RFC 4180.
        assert_eq!(
            rows[2],
            format!("{formulas};'+1;'-2;'@x;\"Kraków; \"\"Nowa\"\" Huta\";;'=cmd|' /C calc'!A0")
        );
        assert_eq!(rows[3], format!("{plain};;Zwykły;;Gdańsk;;"));

        // Windows-1250 with a comma: the same letters, one byte each.
        let bytes = download(
            post(
                &manager,
                &form(&[("encoding", "cp1250"), ("delimiter", "comma")]),
            )
            .await,
            "csv",
        )
        .await;
        assert!(!bytes.starts_with(b"\xEF\xBB\xBF"));
        assert!(
            bytes.windows(4).any(|w| w == [0xA3, 0xF3, 0x64, 0x9F]),
            "Łódź in Windows-1250"
        );
        let (decoded, _, bad) = encoding_rs::WINDOWS_1250.decode(&bytes);
        assert!(!bad);
        let rows = lines(&decoded);
        assert_eq!(
            rows[1],
            format!("{polish},Zażółć,gęślą jaźń,,Łódź,'+48500000001,")
        );
        assert!(
            rows[2].contains(",\"Kraków; \"\"Nowa\"\" Huta\","),
            "{}",
            rows[2]
        );

        // Tab as the delimiter.
        let bytes = download(post(&manager, &form(&[("delimiter", "tab")])).await, "csv").await;
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(lines(&text)[3], format!("{plain}\t\tZwykły\t\tGdańsk\t\t"));
    }
);

fn sheet_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an XLSX is a zip");
    let mut sheet = zip.by_name("xl/worksheets/sheet1.xml").expect("the sheet");
    let mut xml = String::new();
    sheet.read_to_string(&mut xml).unwrap();
    xml
}

both_backends!(xlsx_opens_with_numbers_as_numbers, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let (polish, formulas, _) = seed(&manager).await;
    let res = post(&manager, &form(&[("format", "xlsx")])).await;
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = download(res, "xlsx").await;
    let xml = sheet_xml(&bytes);
    // Header plus three rows.
    assert_eq!(xml.matches("<row ").count(), 4, "{xml}");
    // Ids are numeric cells (no type attribute), text is a string cell.
    assert!(
        xml.contains(&format!("<c r=\"A2\"><v>{polish}</v></c>")),
        "{xml}"
    );
    assert!(
        xml.contains(&format!("<c r=\"A3\"><v>{formulas}</v></c>")),
        "{xml}"
    );
    assert!(xml.contains("Zażółć") && xml.contains("Łódź"), "{xml}");
    for neutralised in ["'+1", "'-2", "'@x", "'=cmd|"] {
        assert!(xml.contains(neutralised), "{neutralised} in {xml}");
    }
});

both_backends!(every_export_is_on_record, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let (polish, formulas, plain) = seed(&manager).await;
    // The filter as the "Szukaj" page wrote it, with a key the search does not know.
    let typed = "nazwa=Za%C5%BC%C3%B3%C5%82%C4%87&nieznany=1";
    download(post(&manager, &form(&[("filter", typed)])).await, "csv").await;
    let understood = app::search::model::SearchFilter::from_query(typed)
        .unwrap()
        .to_query();
    let (status, log) = manager.call("disclosures_list", &[]).await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let export = &log[0];
    assert_eq!(export["recipient"], "Organizacja (eksport wewnętrzny)");
    assert_eq!(export["purpose"], "Kampania wiosenna");
    assert_eq!(
        export["fields"],
        json!([
            "id",
            "first_name",
            "last_name",
            "company",
            "city",
            "phones",
            "notes"
        ])
    );
    assert_eq!(export["export_filter"], understood);
    assert_eq!(export["contact_ids"], json!([polish]));
    assert_eq!(export["disclosed_by"], "Test User");

    // Every contact of an unfiltered export, on each one's record of reads.
    download(post(&manager, &form(&[])).await, "csv").await;
    app.state.reads.flush(&app.db).await.unwrap();
    for id in [polish, formulas, plain] {
        let exported: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM bulk_read_contacts c JOIN bulk_reads b ON b.id = c.bulk_read_id \
             WHERE c.contact_id = $1 AND b.via = 'export'",
        )
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(exported, if id == polish { 2 } else { 1 }, "contact {id}");
    }
    let audited: Vec<String> = sqlx::query_scalar(
        "SELECT subject FROM audit_log WHERE action = 'export.created' ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(audited.len(), 2);
    assert!(
        audited.iter().all(|s| s.starts_with("export:")),
        "{audited:?}"
    );
    // The contact's own history lists the export as a disclosure.
    let (_, h) = manager
        .call("contact_history", &[("contact_id", &polish.to_string())])
        .await;
    assert_eq!(h["activities"][0]["detail"]["kind"], "disclosure", "{h}");
});

both_backends!(
    channels_in_card_order_and_consents_per_definition,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let many = contact(
            &manager,
            json!({"last_name": "Wielokanałowa",
                   "phones": [{"value": "+48 500 000 002", "for_call": true},
                              {"value": "+48 600 000 003", "for_sms": true}],
                   "emails": [{"value": "b@example.pl", "for_email": true},
                              {"value": "a@example.pl"}]}),
        )
        .await;
        let none = contact(&manager, json!({"last_name": "Bezkanałowy"})).await;
        let email = manager
            .define_consent("Marketing e-mail", "email", true)
            .await;
        let sms = manager.define_consent("Marketing SMS", "sms", true).await;
        let never = manager.define_consent("Ankiety", "any", false).await;
        manager.decide(many, email, "granted").await;
        manager.decide(many, sms, "granted").await;
        manager.decide(many, sms, "withdrawn").await;
        manager.decide(none, email, "refused").await;

        let (email_col, sms_col, never_col) = (
            format!("consent:{email}"),
            format!("consent:{sms}"),
            format!("consent:{never}"),
        );
        let fields = [
            ("filter", ""),
            ("col", "id"),
            ("col", "phones"),
            ("col", "emails"),
            ("col", email_col.as_str()),
            ("col", sms_col.as_str()),
            ("col", never_col.as_str()),
            ("purpose", "Sprawdzenie kanałów"),
        ];
        let bytes = download(post(&manager, &fields).await, "csv").await;
        let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
        let rows = lines(&text);
        assert_eq!(rows.len(), 3, "{text}");
        assert_eq!(
            rows[0],
            "Identyfikator;Telefony;Adresy e-mail;Zgody (aktualna decyzja): Marketing e-mail;\
             Zgody (aktualna decyzja): Marketing SMS;Zgody (aktualna decyzja): Ankiety",
            "{text}"
        );
        // Every channel, in the card's order, each opened under the contact's key.
        assert_eq!(
            rows[1],
            format!(
                "{many};'+48500000002, +48600000003;b@example.pl, a@example.pl;\
                 wyrażona;wycofana;nie pytano"
            )
        );
        assert_eq!(rows[2], format!("{none};;;odmowa;nie pytano;nie pytano"));
    }
);

both_backends!(
    restricted_only_with_a_reason_erased_never,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let (active, restricted, pending) = seed(&manager).await;
        let erased = contact(&manager, json!({"last_name": "Usunięty"})).await;
        app.exec(&format!(
            "UPDATE contacts SET state = 'restricted' WHERE id = {restricted}"
        ))
        .await;
        app.exec(&format!(
            "UPDATE contacts SET state = 'erasure_pending' WHERE id = {pending}"
        ))
        .await;
        app.exec(&format!(
            "UPDATE contacts SET state = 'erased' WHERE id = {erased}"
        ))
        .await;
        let ids_in = |bytes: Vec<u8>| -> Vec<i64> {
            let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
            lines(&text)[1..]
                .iter()
                .map(|l| l.split(';').next().unwrap().parse().unwrap())
                .collect()
        };
        let (_, preview) = manager.call("export_preview", &[("filter", "")]).await;
        assert_eq!(preview["matching"], 3, "{preview}");
        assert_eq!(preview["held_back"], 2, "{preview}");

        let plain = ids_in(download(post(&manager, &form(&[])).await, "csv").await);
        assert_eq!(plain, vec![active]);

        // The override without a reason is refused with a message.
        let res = post(&manager, &form(&[("override", "on")])).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(
            location(&res).ends_with("blad_eksportu=ErrExportReason"),
            "{}",
            location(&res)
        );

        let with = ids_in(
            download(
                post(
                    &manager,
                    &form(&[("override", "on"), ("reason", "Żądanie organu nadzorczego")]),
                )
                .await,
                "csv",
            )
            .await,
        );
        assert_eq!(with, vec![active, restricted, pending]);
        let (_, log) = manager.call("disclosures_list", &[]).await;
        assert_eq!(log[0]["export_override"], "Żądanie organu nadzorczego");
        assert_eq!(log[0]["contact_ids"], json!([active, restricted, pending]));

        // Asking for erased contacts finds nothing to export, even with the override.
        let res = post(
            &manager,
            &form(&[
                ("filter", "stan=erased"),
                ("override", "on"),
                ("reason", "x"),
            ]),
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(
            location(&res).contains("blad_eksportu=ErrExportNothing"),
            "{}",
            location(&res)
        );
    }
);

both_backends!(a_refused_form_gets_a_message_not_a_500, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    seed(&manager).await;
    let no_purpose: Vec<_> = form(&[])
        .into_iter()
        .filter(|(k, _)| *k != "purpose")
        .collect();
    let res = post(&manager, &no_purpose).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.starts_with("/menedzer/szukaj/eksport?"), "{to}");
    assert!(to.ends_with("blad_eksportu=ErrExportPurpose"), "{to}");
    let page = manager.get(&to).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Podaj cel eksportu."), "{html}");
    assert!(html.contains(">Eksportuj</button>"), "{html}");

    let res = post(&manager, &[("filter", ""), ("purpose", "x")]).await;
    assert!(location(&res).ends_with("blad_eksportu=ErrExportColumns"));
    let res = post(&manager, &form(&[("format", "pdf")])).await;
    assert!(location(&res).ends_with("blad_eksportu=ErrBadRequest"));
    let res = post(&manager, &form(&[("filter", "stan=bogus")])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&res).contains("blad_eksportu="),
        "{}",
        location(&res)
    );
    // Not a form at all.
    let res = manager
        .http
        .post(format!("{}/menedzer/eksport", manager.base))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
});

both_backends!(only_managers_export, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    seed(&manager).await;
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let res = post(&consultant, &form(&[])).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = post(&app.client(), &form(&[])).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // A form posted from another site is refused before anything else.
    let res = manager
        .http
        .post(format!("{}/menedzer/eksport", manager.base))
        .header("origin", "http://evil.example")
        .form(&form(&[]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (status, _) = consultant.call("export_preview", &[("filter", "")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Nothing was exported, nothing logged.
    let (_, log) = manager.call("disclosures_list", &[]).await;
    assert_eq!(log, json!([]));
    // The page itself sends a consultant home.
    let res = consultant.get("/menedzer/szukaj/eksport").await;
    assert!(res.status().is_redirection());
});

both_backends!(
    large_exports_run_in_the_background_and_expire,
    security = app::state::Security {
        export_background_rows: 2,
        ..Default::default()
    },
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let (polish, formulas, plain) = seed(&manager).await;
        let res = post(&manager, &form(&[("encoding", "cp1250")])).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let to = location(&res);
        let id: i64 = to
            .strip_prefix("/menedzer/eksporty/")
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{to}"));
        // Logged when queued, before any file exists.
        let (_, log) = manager.call("disclosures_list", &[]).await;
        assert_eq!(log[0]["contact_ids"], json!([polish, formulas, plain]));
        let (_, job) = manager
            .call("export_status", &[("id", &id.to_string())])
            .await;
        assert_eq!(job["status"], "queued", "{job}");

        run_queued_export(&app).await;
        let (_, job) = manager
            .call("export_status", &[("id", &id.to_string())])
            .await;
        assert_eq!(job["status"], "done", "{job}");
        assert_eq!(job["rows_done"], 3, "{job}");
        let page = manager.get(&to).await.text().await.unwrap();
        assert!(page.contains("Pobierz plik"), "{page}");

        // The file is sealed in the database, never stored in the clear.
        let sealed: Vec<Vec<u8>> =
            sqlx::query_scalar("SELECT content FROM export_chunks WHERE export_id = $1")
                .bind(id)
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        assert_eq!(sealed.len(), 1);
        assert!(!sealed[0].windows(3).any(|w| w == b"Zwy"));

        let file = format!("/menedzer/eksporty/{id}/plik");
        let bytes = download(manager.get(&file).await, "csv").await;
        let (decoded, _, _) = encoding_rs::WINDOWS_1250.decode(&bytes);
        let rows = lines(&decoded);
        assert_eq!(rows.len(), 4, "{decoded}");
        assert!(rows[1].contains("Zażółć;gęślą jaźń;;Łódź"), "{decoded}");
        // Downloading logs nothing new.
        let (_, again) = manager.call("disclosures_list", &[]).await;
        assert_eq!(again.as_array().unwrap().len(), 1);
        let consultant = app.signed_in("konsultant", Role::Consultant).await;
        assert!(consultant.get(&file).await.status().is_redirection());

        // A day later the file is gone.
        let now = app::db::now_ms();
        assert_eq!(
            app::exports::store::purge(&app.db, now - app::exports::store::KEEP_MS)
                .await
                .unwrap(),
            0,
            "a fresh file stays"
        );
        app.exec(&format!(
            "UPDATE exports SET created_at = created_at - {} WHERE id = {id}",
            25 * 60 * 60 * 1000
        ))
        .await;
        assert_eq!(
            app::exports::store::purge(&app.db, now - app::exports::store::KEEP_MS)
                .await
                .unwrap(),
            1
        );
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM export_chunks")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(left, 0);
        assert_eq!(manager.get(&file).await.status(), StatusCode::NOT_FOUND);
        let (_, job) = manager
            .call("export_status", &[("id", &id.to_string())])
            .await;
        assert_eq!(job["purged"], true, "{job}");
    }
);

both_backends!(
    a_background_xlsx_export_is_a_workbook,
    security = app::state::Security {
        export_background_rows: 1,
        ..Default::default()
    },
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        seed(&manager).await;
        let res = post(&manager, &form(&[("format", "xlsx")])).await;
        let to = location(&res);
        run_queued_export(&app).await;
        let bytes = download(manager.get(&format!("{to}/plik")).await, "xlsx").await;
        let xml = sheet_xml(&bytes);
        assert_eq!(xml.matches("<row ").count(), 4, "{xml}");
        assert!(xml.contains("Łódź"));
    }
);
