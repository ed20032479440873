//! The foundation: server-function round trips, health, pages, headers, language, and
//! the process refusing bad configuration with one clear line.

use crate::common;

use reqwest::StatusCode;

both_backends!(server_function_round_trip, |app| async move {
    let client = app.client();
    let (status, body) = client.call("system_info", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let expected = match app.kind {
        common::Kind::Sqlite => "sqlite",
        common::Kind::Postgres => "postgres",
    };
    assert_eq!(body["database"], expected);
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
});

async fn readiness(app: &common::TestApp) -> (StatusCode, serde_json::Value) {
    let res = app.client().get("/readyz").await;
    let status = res.status();
    (status, res.json().await.expect("readiness is JSON"))
}

both_backends!(
    ready_when_database_schema_and_keyring_fit,
    |app| async move {
        let (status, body) = readiness(&app).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            body,
            serde_json::json!({"ready": true, "database": "ok", "migrations": "ok", "keyring": "ok"})
        );

        // A migration this binary carries is not applied.
        app.exec(
            "UPDATE _sqlx_migrations SET version = -1 \
         WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
        )
        .await;
        let (status, body) = readiness(&app).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(
            body["migrations"], "newer",
            "an unknown version comes first"
        );
        app.exec("DELETE FROM _sqlx_migrations WHERE version = -1")
            .await;
        let (status, body) = readiness(&app).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(body["migrations"], "behind");
        assert_eq!(body["keyring"], "ok");
    }
);

both_backends!(not_ready_with_another_keyring, |app| async move {
    // The data was written with another index key (a keyring restored from the wrong
    // backup, say): the node must get no traffic.
    app.exec("UPDATE settings SET value = 'other' WHERE setting_key = 'vault.index_check'")
        .await;
    let (status, body) = readiness(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["keyring"], "mismatch");
    assert_eq!(body["migrations"], "ok");
});

both_backends!(alive_without_the_database_but_not_ready, |app| async move {
    let res = app.client().get("/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    app.db.close().await;
    // Liveness: the process still serves, so a supervisor does not restart every node
    // during a database outage; readiness takes the node out of the balancer.
    let res = app.client().get("/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    let (status, body) = readiness(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(
        body,
        serde_json::json!({"ready": false, "database": "unreachable", "migrations": "unknown", "keyring": "unknown"})
    );
});

both_backends!(login_page_is_polish_with_a_nonce_csp, |app| async move {
    let res = app.client().get("/logowanie").await;
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["referrer-policy"], "same-origin");
    assert!(
        res.headers().get("strict-transport-security").is_none(),
        "no HSTS over http"
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"pl\""), "{html}");
    assert!(html.contains("Logowanie"));
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce in CSP");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the page's scripts carry the CSP nonce"
    );
});

both_backends!(anonymous_pages_redirect_to_login, |app| async move {
    let res = app.client().get("/menedzer").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/logowanie");
});

both_backends!(the_language_is_remembered_in_a_cookie, |app| async move {
    let client = app.client();
    let (status, _) = client.call("set_language", &[("lang", "en")]).await;
    assert_eq!(status, StatusCode::OK);
    let html = client.get("/logowanie").await.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("Sign in"));
    let (status, body) = client.call("set_language", &[("lang", "de")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
});

both_backends!(unknown_pages_are_404, |app| async move {
    let client = app.signed_in("anna", app::auth::Role::Consultant).await;
    let res = client.get("/no-such-page").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("Nie znaleziono strony"));
});

/// Runs the real binary with the given environment; returns exit code and stderr.
fn run_zgoda(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zgoda"))
        .args(args)
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("ZGODA_CONFIG")
        .env("ZGODA_DATA_DIR", dir.path().join("data"))
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run zgoda");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn assert_one_clear_line(code: i32, stderr: &str, needle: &str) {
    assert_ne!(code, 0, "{stderr}");
    assert_eq!(
        stderr.trim().lines().count(),
        1,
        "exactly one line: {stderr}"
    );
    assert!(stderr.starts_with("zgoda: "), "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn unknown_database_scheme_fails_with_one_line() {
    let (code, stderr) = run_zgoda(&["migrate"], &[("DATABASE_URL", "mysql://localhost/zgoda")]);
    assert_one_clear_line(code, &stderr, "unsupported scheme \"mysql\"");
}

#[test]
fn unwritable_data_directory_fails_with_one_line() {
    // A path below a regular file cannot be created, not even by root.
    let file = tempfile::NamedTempFile::new().unwrap();
    let data_dir = file.path().join("data");
    let (code, stderr) = run_zgoda(
        &["migrate"],
        &[("ZGODA_DATA_DIR", data_dir.to_str().unwrap())],
    );
    assert_one_clear_line(code, &stderr, "data directory");
}

#[test]
fn unreachable_postgres_fails_with_one_line_without_the_password() {
    let (code, stderr) = run_zgoda(
        &["migrate"],
        &[("DATABASE_URL", "postgres://zgoda:hunter2@127.0.0.1:1/zgoda")],
    );
    assert_one_clear_line(
        code,
        &stderr,
        "cannot open the postgres database at 127.0.0.1:1/zgoda",
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn bad_setting_fails_with_one_line() {
    let (code, stderr) = run_zgoda(&["migrate"], &[("ZGODA_SESSION_IDLE_MINUTES", "forever")]);
    assert_one_clear_line(code, &stderr, "ZGODA_SESSION_IDLE_MINUTES");
}

#[test]
fn help_lists_the_subcommands() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zgoda"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for sub in ["serve", "migrate", "user", "seed-demo", "audit", "jobs"] {
        assert!(text.contains(sub), "{sub} missing from --help: {text}");
    }
}

#[test]
fn jobs_lists_the_queue_and_refuses_an_unknown_job() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_zgoda"))
            .args(args)
            .env_remove("DATABASE_URL")
            .env("ZGODA_DATA_DIR", dir.path())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, stdout, stderr) = run(&["jobs"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.starts_with("running 0, waiting 0, failed 0"),
        "{stdout}"
    );
    let (code, _, stderr) = run(&["jobs", "list", "--status", "failed"]);
    assert_eq!(code, Some(0), "{stderr}");
    // No such job: one clear line, exit code 1 (the refusals are the store's tests).
    let (code, _, stderr) = run(&["jobs", "retry", "7"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("Not found."), "{stderr}");
}

#[test]
fn user_add_reads_a_piped_password_or_generates_one() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let run = |login: &str, stdin: Option<&str>| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zgoda"))
            .args(["user", "add", "--login", login, "--role", "manager"])
            .env_remove("DATABASE_URL")
            .env("ZGODA_DATA_DIR", dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut pipe = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            pipe.write_all(text.as_bytes()).unwrap();
        }
        drop(pipe);
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, stdout, _) = run("piped", Some("Kot-w-butach7\n"));
    assert_eq!(code, Some(0));
    assert!(!stdout.contains("One-time password"), "{stdout}");
    let (code, stdout, _) = run("generated", None);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("One-time password: "), "{stdout}");
    let (code, _, stderr) = run("weak", Some("haslo\n"));
    assert_eq!(code, Some(1));
    assert!(stderr.contains("password"), "{stderr}");
    let (code, _, stderr) = run("piped", Some("Kot-w-butach7\n"));
    assert_eq!(code, Some(1));
    assert!(stderr.contains("already taken"), "{stderr}");

    // Every addition was audited, and the chain checks out from the command line.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zgoda"))
        .args(["audit", "verify"])
        .env_remove("DATABASE_URL")
        .env("ZGODA_DATA_DIR", dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("Audit trail intact: 2 rows."), "{stdout}");
}

both_backends!(
    https_deployments_get_hsts_and_host_prefixed_cookies,
    security = app::state::Security {
        https: true,
        ..Default::default()
    },
    |app| async move {
        app.add_user("anna", app::auth::Role::Consultant, "Test-Password-42")
            .await;
        let res = app
            .client()
            .http
            .post(format!("{}/api/login", app.base))
            .form(&[("login", "anna"), ("password", "Test-Password-42")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .contains("max-age="));
        let cookie = res.headers()["set-cookie"].to_str().unwrap();
        assert!(cookie.starts_with("__Host-zgoda_session="), "{cookie}");
        assert!(
            cookie.contains("; Secure")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
    }
);
