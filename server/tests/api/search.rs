//! "Szukaj" on both databases: every filter alone, combined, sorted and paged; saved
//! searches kept per manager; the city and postal-code tokens added to older contacts;
//! the page rendered from its URL alone.

use crate::common;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn search(client: &common::Client, query: &str) -> (StatusCode, Value) {
    client.call("contact_filter", &[("query", query)]).await
}

/// The ids found, in the order of the page.
async fn found(client: &common::Client, query: &str) -> Vec<i64> {
    let (status, body) = search(client, query).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

/// The ids found, ascending (for filters, where the order is not the point).
async fn set(client: &common::Client, query: &str) -> Vec<i64> {
    let mut ids = found(client, query).await;
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort();
    ids
}

async fn scalar(app: &common::TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.db.pool())
        .await
        .expect(sql)
}

/// Milliseconds of a UTC instant written `YYYY-MM-DD HH:MM`.
fn utc(at: &str) -> i64 {
    let day = app::time_fmt::day_start_ms(&at[..10]).unwrap();
    let h: i64 = at[11..13].parse().unwrap();
    let m: i64 = at[14..16].parse().unwrap();
    day + (h * 60 + m) * 60_000
}

struct Fixture {
    manager: common::Client,
    /// Anna Zgodna, Zielona Góra 65-001: PESEL, phone for calls and SMS, e-mail.
    a: i64,
    /// Jan Kowalski, Kraków: NIP, phone for calls only, a partner's source, imported.
    b: i64,
    /// Jan Nowak, Zielona Góra 65-002: restricted, imported.
    c: i64,
    /// Ewa Zgodna, Zielona Góra 65-001: erased.
    d: i64,
    /// Piotr Reklama: objected to marketing.
    e: i64,
    source: i64,
    import: i64,
    marketing_email: i64,
    processing: i64,
}

async fn fixture(app: &common::TestApp) -> Fixture {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    app.exec(
        "INSERT INTO data_sources (name, kind, created_at) VALUES ('Baza partnera', 'partner', 0)",
    )
    .await;
    let source = scalar(app, "SELECT MAX(id) FROM data_sources").await;
    let a = manager
        .contact_save(json!({"data": {
            "first_name": "Anna", "last_name": "Zgodna",
            "phones": [{"value": "600100200", "for_call": true, "for_sms": true}],
            "emails": [{"value": "anna@example.pl", "for_email": true}],
            "pesel": "44051401359", "city": "Zielona Góra", "postal_code": "65-001"
        }}))
        .await;
    let b = manager
        .contact_save(json!({"source_id": source, "data": {
            "first_name": "Jan", "last_name": "Kowalski",
            "phones": [{"value": "600100201", "for_call": true, "for_sms": false}],
            "nip": "5260001246", "city": "Kraków", "postal_code": "30-001"
        }}))
        .await;
    let c = manager
        .contact_save(json!({"data": {
            "first_name": "Jan", "last_name": "Nowak",
            "emails": [{"value": "jan.nowak@example.pl", "for_email": true}],
            "city": "Zielona Góra", "postal_code": "65-002"
        }}))
        .await;
    let d = manager
        .contact_save(json!({"data": {
            "first_name": "Ewa", "last_name": "Zgodna",
            "city": "Zielona Góra", "postal_code": "65-001"
        }}))
        .await;
    let e = manager
        .contact_save(json!({"data": {
            "first_name": "Piotr", "last_name": "Reklama",
            "emails": [{"value": "piotr@example.pl", "for_email": true}]
        }}))
        .await;
    let marketing_email = manager
        .define_consent("Marketing e-mail", "email", true)
        .await;
    let marketing_sms = manager.define_consent("Marketing SMS", "sms", true).await;
    let processing = manager.define_consent("Przetwarzanie", "any", false).await;
    manager.decide(a, marketing_email, "granted").await;
    manager.decide(a, marketing_sms, "granted").await;
    manager.decide(a, processing, "granted").await;
    manager.decide(b, marketing_email, "refused").await;
    manager.decide(b, marketing_sms, "granted").await;
    manager.decide(c, marketing_email, "granted").await;
    manager.decide(c, marketing_email, "withdrawn").await;
    manager.decide(e, marketing_email, "granted").await;
    app.exec(&format!(
        "UPDATE contacts SET state = 'restricted', updated_at = {} WHERE id = {c}",
        utc("2026-07-01 10:00")
    ))
    .await;
    app.exec(&format!(
        "UPDATE contacts SET state = 'erased' WHERE id = {d}"
    ))
    .await;
    app.exec(&format!(
        "UPDATE contacts SET marketing_objection_at = 1 WHERE id = {e}"
    ))
    .await;
    // Created late on New Year's Eve in UTC: already 1 January in Warsaw.
    app.exec(&format!(
        "UPDATE contacts SET created_at = {} WHERE id = {a}",
        utc("2025-06-15 10:00")
    ))
    .await;
    app.exec(&format!(
        "UPDATE contacts SET created_at = {} WHERE id = {b}",
        utc("2025-12-31 23:30")
    ))
    .await;
    app.exec(
        "INSERT INTO imports (file_name, format, encoding, master_key_id, created_at, updated_at) \
         VALUES ('baza.csv', 'delimited', 'utf-8', 1, 0, 0)",
    )
    .await;
    let import = scalar(app, "SELECT MAX(id) FROM imports").await;
    app.exec(&format!(
        "UPDATE contacts SET import_id = {import} WHERE id IN ({b}, {c})"
    ))
    .await;
    for (contact, status) in [(a, "new"), (b, "closed"), (c, "in_progress")] {
        app.exec(&format!(
            "INSERT INTO cases (contact_id, status, channel, created_at, updated_at) \
             VALUES ({contact}, '{status}', 'phone', 0, 0)"
        ))
        .await;
    }
    for (contact, outcome, at) in [
        (a, "done", "2026-03-10 12:00"),
        (b, "done", "2026-01-05 12:00"),
        (b, "blocked", "2026-03-10 12:00"),
        (c, "done", "2026-03-10 12:00"),
        (c, "done", "2026-04-20 12:00"),
    ] {
        app.exec(&format!(
            "INSERT INTO communications (contact_id, channel, purpose, outcome, at) \
             VALUES ({contact}, 'call', 'service', '{outcome}', {})",
            utc(at)
        ))
        .await;
    }
    Fixture {
        manager,
        a,
        b,
        c,
        d,
        e,
        source,
        import,
        marketing_email,
        processing,
    }
}

both_backends!(
    each_filter_alone_finds_exactly_its_contacts,
    |app| async move {
        let f = fixture(&app).await;
        let m = &f.manager;
        let (a, b, c, d, e) = (f.a, f.b, f.c, f.d, f.e);
        // Everything but the erased contact, when nothing is asked.
        assert_eq!(set(m, "szukaj=1").await, vec![a, b, c, e]);
        // Name: whole words, every one of them.
        assert_eq!(set(m, "nazwa=jan").await, sorted(vec![b, c]));
        assert_eq!(set(m, "nazwa=Jan+Nowak").await, vec![c]);
        assert_eq!(set(m, "nazwa=ZGODNA").await, vec![a]);
        assert_eq!(set(m, "nazwa=Zgodn").await, Vec::<i64>::new());
        // Blind-index equality, normalised as the quick lookup does.
        assert_eq!(set(m, "telefon=600+100+200").await, vec![a]);
        assert_eq!(set(m, "telefon=%2B48600100201").await, vec![b]);
        assert_eq!(set(m, "email=ANNA%40example.pl").await, vec![a]);
        assert_eq!(set(m, "pesel=44051401359").await, vec![a]);
        assert_eq!(set(m, "nip=PL+526-000-12-46").await, vec![b]);
        assert_eq!(set(m, "miasto=zielona+gora").await, sorted(vec![a, c]));
        assert_eq!(set(m, "miasto=Zielona+G%C3%B3ra").await, sorted(vec![a, c]));
        assert_eq!(set(m, "miasto=Zielona").await, Vec::<i64>::new());
        assert_eq!(set(m, "kod=65-001").await, vec![a]);
        assert_eq!(set(m, "kod=65+002").await, vec![c]);
        // Plain columns.
        assert_eq!(set(m, &format!("zrodlo={}", f.source)).await, vec![b]);
        assert_eq!(
            set(m, &format!("import={}", f.import)).await,
            sorted(vec![b, c])
        );
        assert_eq!(
            set(m, "utworzono_od=2026-01-01&utworzono_do=2026-01-01").await,
            vec![b]
        );
        assert_eq!(set(m, "utworzono_do=2025-12-31").await, vec![a]);
        assert_eq!(
            set(m, "zmieniono_od=2026-07-01&zmieniono_do=2026-07-01").await,
            vec![c]
        );
        assert_eq!(set(m, "stan=restricted").await, vec![c]);
        assert_eq!(set(m, "stan=active").await, sorted(vec![a, b, e]));
        assert_eq!(set(m, "stan=erased").await, vec![d]);
        assert_eq!(set(m, "stan=erased&miasto=zielona+gora").await, vec![d]);
        // Consents, including never asked.
        let me = f.marketing_email;
        assert_eq!(
            set(m, &format!("zgoda_{me}=granted")).await,
            sorted(vec![a, e])
        );
        assert_eq!(set(m, &format!("zgoda_{me}=refused")).await, vec![b]);
        assert_eq!(set(m, &format!("zgoda_{me}=withdrawn")).await, vec![c]);
        assert_eq!(
            set(m, &format!("zgoda_{me}=never")).await,
            Vec::<i64>::new()
        );
        let p = f.processing;
        assert_eq!(
            set(m, &format!("zgoda_{p}=never")).await,
            sorted(vec![b, c, e])
        );
        assert_eq!(set(m, &format!("zgoda_{p}=granted")).await, vec![a]);
        // Cases and the last contact (blocked attempts are not contacts).
        assert_eq!(set(m, "otwarta_sprawa=1").await, sorted(vec![a, c]));
        assert_eq!(set(m, "status_sprawy=closed").await, vec![b]);
        assert_eq!(set(m, "status_sprawy=new").await, vec![a]);
        assert_eq!(
            set(m, "kontakt_od=2026-03-01&kontakt_do=2026-03-31").await,
            vec![a]
        );
        assert_eq!(set(m, "kontakt_od=2026-04-01").await, vec![c]);
        assert_eq!(set(m, "kontakt_do=2026-01-31").await, vec![b]);
    }
);

both_backends!(
    marketing_by_channel_decides_as_the_contact_check,
    |app| async move {
        use app::consents::model::{ConsentChannel, Purpose};
        let f = fixture(&app).await;
        assert_eq!(set(&f.manager, "marketing=email").await, vec![f.a]);
        // B granted SMS marketing, but its phone does not serve SMS.
        assert_eq!(set(&f.manager, "marketing=sms").await, vec![f.a]);
        let mut conn = app.db.pool().acquire().await.unwrap();
        for channel in app::search::model::MARKETING_CHANNELS {
            let mut allowed = Vec::new();
            for id in [f.a, f.b, f.c, f.d, f.e] {
                let check = app::consents::check::check(
                    &mut conn,
                    app::ids::ContactId(id),
                    channel,
                    Purpose::Marketing,
                )
                .await
                .unwrap();
                if check.allowed {
                    allowed.push(id);
                }
            }
            let query = format!("marketing={}", channel.as_str());
            assert_eq!(set(&f.manager, &query).await, allowed, "{query}");
        }
        assert_eq!(set(&f.manager, "marketing=call").await, Vec::<i64>::new());
        let _ = ConsentChannel::Any;
    }
);

both_backends!(filters_combine_sort_and_count, |app| async move {
    let f = fixture(&app).await;
    let m = &f.manager;
    let four = "miasto=Zielona+G%C3%B3ra&nazwa=jan&otwarta_sprawa=1&stan=restricted";
    assert_eq!(set(m, four).await, vec![f.c]);
    let (_, body) = search(m, four).await;
    assert_eq!(body["total"], 1);
    assert_eq!(body["rows"][0]["name"], "Jan Nowak");
    assert_eq!(body["rows"][0]["city"], "Zielona Góra");
    assert_eq!(body["rows"][0]["email"], "jan.nowak@example.pl");
    assert_eq!(body["rows"][0]["state"], "restricted");
    assert_eq!(body["rows"][0]["consents_granted"], 0);
    assert_eq!(body["rows"][0]["consents_total"], 3);
    let other_four = "miasto=Zielona+G%C3%B3ra&nazwa=jan&otwarta_sprawa=1&stan=active";
    assert_eq!(set(m, other_four).await, Vec::<i64>::new());
    let me = f.marketing_email;
    let mixed = format!("zgoda_{me}=granted&kod=65-001&kontakt_od=2026-03-01&status_sprawy=new");
    assert_eq!(set(m, &mixed).await, vec![f.a]);
    let (_, body) = search(m, &mixed).await;
    assert_eq!(body["rows"][0]["phone"], "+48600100200");
    assert_eq!(body["rows"][0]["consents_granted"], 3);
    assert_eq!(body["rows"][0]["source"], "Konsultant (rozmowa z osobą)");

    let (a, b, c, e) = (f.a, f.b, f.c, f.e);
    assert_eq!(found(m, "sort=id&kier=asc").await, vec![a, b, c, e]);
    assert_eq!(found(m, "sort=id&kier=desc").await, vec![e, c, b, a]);
    assert_eq!(found(m, "sort=created&kier=asc").await, vec![a, b, c, e]);
    assert_eq!(found(m, "sort=created&kier=desc").await, vec![e, c, b, a]);
    assert_eq!(
        found(m, "sort=changed&kier=asc&stan=restricted").await,
        vec![c]
    );
    assert_eq!(found(m, "sort=state&kier=asc").await, vec![a, b, e, c]);
    assert_eq!(found(m, "sort=source&kier=asc").await, vec![b, a, c, e]);
    assert_eq!(found(m, "sort=source&kier=desc").await, vec![e, c, a, b]);

    // A page of results is a read of each contact on it.
    app.state.reads.flush(&app.db).await.unwrap();
    let read = scalar(
        &app,
        &format!(
            "SELECT COUNT(*) FROM bulk_read_contacts r JOIN bulk_reads b ON b.id = r.bulk_read_id \
             WHERE b.via = 'search' AND r.contact_id = {}",
            f.c
        ),
    )
    .await;
    assert!(read >= 1);
});

both_backends!(pages_of_fifty_with_the_total, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let mut ids = Vec::new();
    for i in 0..53 {
        ids.push(
            manager
                .contact_save(json!({"data": {
                    "first_name": format!("Osoba{i}"), "last_name": "Seria",
                    "city": "Gdańsk"
                }}))
                .await,
        );
    }
    manager
        .contact_save(json!({"data": {"first_name": "Inna", "last_name": "Osoba"}}))
        .await;
    let (status, first) = search(&manager, "nazwa=seria&sort=id&kier=asc").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["total"], 53);
    assert_eq!(first["total_exact"], true);
    assert_eq!(first["page"], 1);
    assert_eq!(first["page_size"], 50);
    assert_eq!(first["rows"].as_array().unwrap().len(), 50);
    let page1 = found(&manager, "nazwa=seria&sort=id&kier=asc").await;
    let page2 = found(&manager, "nazwa=seria&sort=id&kier=asc&strona=2").await;
    assert_eq!(page2.len(), 3);
    let (_, second) = search(&manager, "nazwa=seria&sort=id&kier=asc&strona=2").await;
    assert_eq!(second["total"], 53);
    let all: Vec<i64> = page1.into_iter().chain(page2).collect();
    assert_eq!(all, ids);
    assert!(found(&manager, "nazwa=seria&strona=3").await.is_empty());
    // The contract the export relies on: every id, ascending, beyond one page.
    let filter = app::search::SearchFilter::from_query("miasto=gdansk").unwrap();
    let mut conn = app.db.pool().acquire().await.unwrap();
    let every = app::search::store::matching_ids(&mut conn, &app.state.vault, &filter)
        .await
        .unwrap();
    assert_eq!(
        every,
        ids.into_iter().map(app::ids::ContactId).collect::<Vec<_>>()
    );
});

both_backends!(bad_input_is_a_field_error, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    for (query, field, msg) in [
        ("utworzono_od=2026-02-30", "utworzono_od", "ErrDate"),
        ("kontakt_do=31.12.2026", "kontakt_do", "ErrDate"),
        ("telefon=12", "telefon", "ErrPhoneInvalid"),
        ("pesel=12345678901", "pesel", "ErrPeselInvalid"),
        ("stan=deleted", "stan", "SearchErrChoice"),
        ("zgoda_1=maybe", "zgoda_1", "SearchErrChoice"),
    ] {
        let (status, body) = search(&manager, query).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(body["detail"][0]["field"], field, "{query}");
        assert_eq!(body["detail"][0]["msg"], msg, "{query}");
    }
});

both_backends!(consultants_are_refused, |app| async move {
    let consultant = app.signed_in("konsultant", Role::Consultant).await;
    let (status, _) = search(&consultant, "szukaj=1").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = consultant.call("saved_searches", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let res = consultant.get("/menedzer/szukaj?szukaj=1").await;
    assert!(res.status().is_redirection(), "{}", res.status());
});

both_backends!(saved_searches_belong_to_who_saved_them, |app| async move {
    let first = app.signed_in("menedzer1", Role::Manager).await;
    let second = app.signed_in("menedzer2", Role::Manager).await;
    let (status, body) = first
        .call(
            "saved_search_save",
            &[
                ("name", "Zielona Góra"),
                ("query", "miasto=Zielona+G%C3%B3ra&strona=3&sort=id"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = body.as_i64().unwrap();
    let (_, list) = first.call("saved_searches", &[]).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "Zielona Góra");
    // Only the filter is kept, as the page writes it.
    assert_eq!(list[0]["query"], "miasto=Zielona+G%C3%B3ra");
    let (_, theirs) = second.call("saved_searches", &[]).await;
    assert_eq!(theirs, json!([]));
    let (status, _) = second
        .call("saved_search_delete", &[("id", &id.to_string())])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = first.call("saved_searches", &[]).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "still there");
    let (status, body) = first
        .call(
            "saved_search_save",
            &[("name", " "), ("query", "stan=active")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0]["field"], "name");
    let (status, body) = first
        .call(
            "saved_search_save",
            &[("name", "Zła"), ("query", "stan=nope")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = first
        .call("saved_search_delete", &[("id", &id.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, list) = first.call("saved_searches", &[]).await;
    assert_eq!(list, json!([]));
    let audited = scalar(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('saved_search.saved', 'saved_search.deleted')",
    )
    .await;
    assert_eq!(audited, 2);
});

both_backends!(the_page_renders_results_from_its_url, |app| async move {
    let f = fixture(&app).await;
    let res = f
        .manager
        .get("/menedzer/szukaj?miasto=Zielona+G%C3%B3ra&sort=id&kier=asc&szukaj=1")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("<h1>Szukaj</h1>"), "title");
    assert!(html.contains("Anna Zgodna"), "a result");
    assert!(html.contains("Jan Nowak"), "a result");
    assert!(!html.contains("Kowalski"), "not a result");
    assert!(html.contains("Baza danych i przydzielanie"));
    assert!(html.contains("Import z pliku"));
    assert!(html.contains("tylko dokładne dopasowanie"));
    assert!(html.contains(">Eksportuj<"));
    assert!(html.contains("/menedzer/szukaj/eksport?miasto=Zielona+G%C3%B3ra"));
    assert!(html.contains(r#"data-testid="search-total""#));
    // A bad date shows its message instead of failing the page.
    let res = f
        .manager
        .get("/menedzer/szukaj?utworzono_od=2026-13-01")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Podaj datę w formacie RRRR-MM-DD."));
});

both_backends!(
    older_contacts_get_city_and_postal_tokens,
    |app| async move {
        use app::vault::TokenKind;
        let f = fixture(&app).await;
        // As if A and C were saved before the city and postal-code tokens existed.
        let index = app.state.vault.index();
        for token in [
            index.token(TokenKind::City, "zielona gora"),
            index.token(TokenKind::PostalCode, "65001"),
            index.token(TokenKind::PostalCode, "65002"),
        ] {
            sqlx::query("DELETE FROM contact_index WHERE token = $1")
                .bind(token)
                .execute(app.db.pool())
                .await
                .unwrap();
        }
        app.exec(
            "UPDATE search_backfill SET next_id = 1, last_id = (SELECT MAX(id) FROM contacts)",
        )
        .await;
        assert!(set(&f.manager, "miasto=zielona+gora").await.is_empty());
        let seen = app::search::backfill::run(&app.db, &app.state.vault, 2)
            .await
            .unwrap();
        assert_eq!(seen, 4, "every contact but the erased one");
        assert_eq!(
            set(&f.manager, "miasto=zielona+gora").await,
            sorted(vec![f.a, f.c])
        );
        assert_eq!(set(&f.manager, "kod=65-002").await, vec![f.c]);
        let tokens = scalar(&app, "SELECT COUNT(*) FROM contact_index").await;
        // A second run finds nothing left, and running the work again changes nothing.
        assert_eq!(
            app::search::backfill::run(&app.db, &app.state.vault, 2)
                .await
                .unwrap(),
            0
        );
        app.exec("UPDATE search_backfill SET next_id = 1").await;
        app::search::backfill::run(&app.db, &app.state.vault, 3)
            .await
            .unwrap();
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM contact_index").await,
            tokens
        );
    }
);

both_backends!(
    imported_contacts_are_found_by_city_postal_code_and_batch,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let source = manager.import_source("Targi").await;
        let file = "Imię;Nazwisko;Telefon;Kod pocztowy;Miasto\r\n\
                Łucja;Żółkiewska;601234567;90-001;Łódź\r\n\
                Jan;Kowalski;601234568;25-001;Kielce\r\n";
        let (status, loaded) = manager
            .upload_import("targi.csv", file.as_bytes().to_vec())
            .await;
        assert_eq!(status, StatusCode::OK, "{loaded}");
        let id = loaded["id"].as_i64().unwrap();
        let p = &loaded["preview"];
        let settings = json!({
            "file_name": loaded["file_name"], "name": "Targi", "description": "",
            "source_id": source, "consents": [], "encoding": p["encoding"],
            "delimiter": p["delimiter"], "quote": p["quote"], "has_header": p["has_header"],
            "mapping": ["first_name", "last_name", "phone", "postal_code", "city"],
            "duplicates": "skip",
            "phone": {"strip_separators": true, "international_prefix": true, "leading_zero": true,
                      "default_country": "48", "validate": true, "invalid": "drop"}
        });
        let (status, body) = manager
            .call_json("import_start", json!({"id": id, "settings": settings}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let report = manager.import_report(id, 600).await;
        assert_eq!(report["status"], "done", "{report}");
        assert_eq!(report["counters"]["added"], 2, "{report}");
        let (_, page) = search(&manager, "miasto=lodz").await;
        assert_eq!(page["total"], 1, "{page}");
        assert_eq!(page["rows"][0]["name"], "Łucja Żółkiewska");
        assert_eq!(page["rows"][0]["source"], "Targi");
        let (_, page) = search(&manager, "kod=25-001").await;
        assert_eq!(page["rows"][0]["city"], "Kielce");
        assert_eq!(set(&manager, &format!("import={id}")).await.len(), 2);
    }
);
