//! What the log says about a request: every line carries the request's span (its id, the
//! route by shape, the user id, the endpoint), the client gets the same id in a header,
//! and nothing a person typed reaches the log, not even in a failing request.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

use crate::common;
use app::auth::Role;
use reqwest::StatusCode;
use serde_json::json;

/// Everything logged by this test binary since the first test here asked for it.
static LOG: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Sink;

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOG.lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("info")
            .with_ansi(false)
            .with_writer(|| Sink)
            .try_init();
    });
}

fn lines_with(needle: &str) -> Vec<String> {
    let log = LOG.lock().unwrap_or_else(|e| e.into_inner());
    String::from_utf8_lossy(&log)
        .lines()
        .filter(|line| line.contains(needle))
        .map(str::to_string)
        .collect()
}

const SURNAME: &str = "Wierzbicka-Śledź";
const PHONE: &str = "+48 601 234 987";

both_backends!(
    a_database_error_names_its_request_and_never_what_was_typed,
    |app| async move {
        capture();
        let consultant = app.signed_in("logi", Role::Consultant).await;
        let contact = consultant
            .contact_save(json!({
                "data": {
                    "kind": "person", "first_name": "Ola", "last_name": SURNAME,
                    "phones": [{"value": PHONE, "for_call": true}],
                },
                "reason": "",
            }))
            .await;
        assert!(contact > 0);
        let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE login = 'logi'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();

        // A request that works: its id comes back in a header and names its log line.
        let res = consultant
            .http
            .post(format!("{}/api/contact_search", consultant.base))
            .form(&[("q", SURNAME)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let id = res
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .expect("a request id")
            .to_string();
        assert_eq!(id.len(), 16, "{id}");
        let answered = lines_with(&format!("id={id}"));
        assert!(
            answered.iter().any(|l| l.contains("answered")
                && l.contains("route=/api/contact_search")
                && l.contains(&format!("user_id={user_id}"))
                && l.contains("status=200")),
            "{answered:?}"
        );

        // A store that fails: the error line says which request and endpoint it was.
        app.exec("ALTER TABLE contact_index RENAME TO contact_index_gone")
            .await;
        let res = consultant
            .http
            .post(format!("{}/api/contact_search", consultant.base))
            .form(&[("q", PHONE)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
        let failed = lines_with(&format!("id={id}"));
        assert!(
            failed.iter().any(|l| l.contains("database error")
                && l.contains("endpoint=\"contact_search\"")
                && l.contains(&format!("user_id={user_id}"))),
            "{failed:?}"
        );
        app.exec("ALTER TABLE contact_index_gone RENAME TO contact_index")
            .await;

        for typed in [SURNAME, "Śledź", "601 234 987", "601234987", "Wierzbicka"] {
            assert!(lines_with(typed).is_empty(), "the log holds {typed:?}");
        }
    }
);
