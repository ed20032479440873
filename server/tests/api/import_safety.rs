//! The import's writes on both databases: values with quotes and backslashes arrive
//! exactly even when the PostgreSQL server's default reads backslashes in literals as
//! escapes, and a node that lost an import to another node does not delete its file.

use crate::common;

use app::auth::Role;
use app::db::{now_ms, Db};
use app::imports::claims;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn upload(client: &common::Client, name: &str, bytes: Vec<u8>) -> Value {
    let (status, body) = client.upload_import(name, bytes).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// The same database through a pool of its own, opened after the database's default
/// was turned to `standard_conforming_strings = off` (PostgreSQL before 9.1, or a
/// server configured so): only what Zgoda sets per connection protects its literals.
async fn pool_with_escaping_default(app: &common::TestApp) -> Db {
    if app.kind == common::Kind::Sqlite {
        return app.db.clone();
    }
    let name: String = sqlx::query_scalar("SELECT current_database()::text")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    app.exec(&format!(
        "ALTER DATABASE {name} SET standard_conforming_strings = off"
    ))
    .await;
    let admin = std::env::var("ZGODA_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let db = Db::connect(&format!("{base}/{name}"), 5).await.unwrap();
    let setting: String = sqlx::query_scalar("SHOW standard_conforming_strings")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(
        setting, "on",
        "set on every connection, whatever the default"
    );
    db
}

const TRICKY_NAME: &str = "O'Brien\\'; --";
const TRICKY_CITY: &str = "C:\\temp\\";
const TRICKY_HEADER: &str = "E-mail O'Brien\\' C:\\";

both_backends!(quotes_and_backslashes_arrive_exactly, |app| async move {
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let source = manager.import_source("Lista").await;
    let file = format!(
        "Nazwisko;Miasto;{TRICKY_HEADER}\n\
         \"{TRICKY_NAME}\";{TRICKY_CITY};zly-mail\n\
         \"{TRICKY_NAME}\";{TRICKY_CITY};obrien@example.pl\n"
    );
    let loaded = upload(&manager, "trudne.csv", file.into_bytes()).await;
    assert_eq!(loaded["preview"]["headers"][2], TRICKY_HEADER, "{loaded}");
    let id = loaded["id"].as_i64().unwrap();
    let p = &loaded["preview"];
    let settings = json!({
        "file_name": "trudne.csv", "name": "Trudne", "description": "", "source_id": source,
        "consents": [], "encoding": p["encoding"], "delimiter": p["delimiter"],
        "quote": p["quote"], "has_header": true, "mapping": ["last_name", "city", "email"],
        "duplicates": "skip",
        "phone": {"strip_separators": true, "international_prefix": true, "leading_zero": true,
                  "default_country": "48", "validate": true, "invalid": "drop"}
    });
    // Claimed by this test's node (no job is queued for it, so the app's workers leave it) and
    // run on the pool opened under the escaping default.
    app.exec(&format!(
        "UPDATE imports SET status = 'running', owner = 'node-test', heartbeat_at = {}, \
         settings = '{}', name = 'Trudne', source_id = {source} WHERE id = {id}",
        now_ms(),
        settings.to_string().replace('\'', "''")
    ))
    .await;
    let db = pool_with_escaping_default(&app).await;
    let failure =
        app::imports::engine::run(&db, &app.state.vault, app::ids::ImportId(id), "node-test")
            .await
            .unwrap();
    assert_eq!(failure, None);

    let (status, report) = manager
        .call("import_status", &[("id", &id.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["status"], "done", "{report}");
    assert_eq!(report["counters"]["added"], 1, "{report}");
    assert_eq!(report["rejections"][0]["column"], TRICKY_HEADER, "{report}");
    assert_eq!(
        report["rejections"][0]["reason"], "ErrEmailInvalid",
        "{report}"
    );

    let (status, found) = manager
        .call("contact_search", &[("q", "obrien@example.pl")])
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let card = manager
        .contact_card(found["rows"][0]["id"].as_i64().unwrap())
        .await;
    assert_eq!(card["data"]["last_name"], TRICKY_NAME, "{card}");
    assert_eq!(card["data"]["city"], TRICKY_CITY, "{card}");
    if db.backend() == app::db::Backend::Postgres {
        db.close().await;
    }
});

async fn chunks(app: &common::TestApp, id: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM import_chunks WHERE import_id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

both_backends!(
    a_node_that_lost_the_import_leaves_its_file,
    |app| async move {
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let loaded = upload(&manager, "lista.csv", b"Nazwisko\nNowak\n".to_vec()).await;
        let id = loaded["id"].as_i64().unwrap();
        assert_eq!(chunks(&app, id).await, 1);
        // Node A runs it (no job is queued for it, so the app's own workers stay away)...
        app.exec(&format!(
            "UPDATE imports SET status = 'running', owner = 'node-a', heartbeat_at = {} \
         WHERE id = {id}",
            now_ms()
        ))
        .await;
        // ...stalls, its job lease runs out and node B is given the import.
        assert!(claims::take(&app.db, app::ids::ImportId(id), "node-b")
            .await
            .unwrap());

        // A wakes up and finishes: B's import and file stay as they are.
        assert!(
            !claims::finish(&app.db, app::ids::ImportId(id), "node-a", None)
                .await
                .unwrap()
        );
        assert_eq!(chunks(&app, id).await, 1, "the file B is reading is kept");
        let (owner, status): (String, String) =
            sqlx::query_as("SELECT owner, status FROM imports WHERE id = $1")
                .bind(id)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!((owner.as_str(), status.as_str()), ("node-b", "running"));

        // B's own finish ends it and deletes the file.
        assert!(
            claims::finish(&app.db, app::ids::ImportId(id), "node-b", None)
                .await
                .unwrap()
        );
        assert_eq!(chunks(&app, id).await, 0);
    }
);
