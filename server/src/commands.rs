//! What each subcommand does.

use std::io::{IsTerminal, Read};
use std::net::SocketAddr;
use std::time::Duration;

use app::audit::store as audit;
use app::auth::{admin, session, Role};
use app::db::Db;
use app::vault::{Opened, Vault};

use crate::cli::{AuditCommand, Cli, Command, JobsCommand, KeysCommand, TokenCommand, UserCommand};
use crate::config::Config;
use crate::startup::{self, StartError};

/// Runs a command and returns the process exit code.
pub async fn run(cli: Cli) -> Result<i32, StartError> {
    let config = Config::load()?;
    init_tracing(&config.log);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await.map(|_| 0),
        Command::Migrate => {
            let db = startup::open_database(&config).await?;
            println!("Migrations applied ({}).", db.backend().name());
            Ok(0)
        }
        Command::User {
            command: UserCommand::Add { login, role, name },
        } => {
            let db = startup::open_database(&config).await?;
            add_user(&db, &login, role.into(), name.as_deref())
                .await
                .map(|_| 0)
        }
        Command::SeedDemo => {
            let db = startup::open_database(&config).await?;
            let (vault, opened) = startup::open_vault(&config, &db).await?;
            announce_keyring(&opened);
            seed_demo(&db, &vault).await.map(|_| 0)
        }
        Command::Keys {
            command: KeysCommand::Rotate,
        } => {
            let db = startup::open_database(&config).await?;
            let (vault, opened) = startup::open_vault(&config, &db).await?;
            announce_keyring(&opened);
            rotate_keys(&db, &vault).await
        }
        Command::Jobs { command } => {
            let db = startup::open_database(&config).await?;
            match command.unwrap_or(JobsCommand::List {
                status: None,
                limit: 50,
            }) {
                JobsCommand::List { status, limit } => {
                    crate::jobs::print(&db, status.map(Into::into), limit).await
                }
                JobsCommand::Retry { id } => crate::jobs::retry(&db, app::ids::JobId(id)).await,
            }
            .map_err(|e| StartError::Other(describe(&e)))
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let db = startup::open_database(&config).await?;
            verify_audit(&db).await
        }
        Command::Token {
            command:
                TokenCommand::Add {
                    name,
                    role,
                    endpoints,
                    addresses,
                    days,
                    rate,
                },
        } => {
            let db = startup::open_database(&config).await?;
            let new = app::integrations::rules::check(
                &name,
                Role::from(role).as_str(),
                endpoints.as_deref().unwrap_or(""),
                addresses.as_deref().unwrap_or(""),
                &days.map(|d| d.to_string()).unwrap_or_default(),
                &rate.map(|r| r.to_string()).unwrap_or_default(),
            )
            .map_err(|fields| {
                StartError::Other(describe(&app::error::AppError::Validation(fields)))
            })?;
            add_token(&db, &new).await.map(|_| 0)
        }
    }
}

/// Creates a token from the command line: audited with the command line as its source,
/// printed as the last line of the output and kept nowhere but in the caller's hands.
async fn add_token(db: &Db, new: &app::integrations::rules::NewToken) -> Result<(), StartError> {
    let failed = |e: app::store_error::StoreError| StartError::Other(describe(&e.into()));
    let mut tx = db.begin_write().await.map_err(|e| failed(e.into()))?;
    let issued = app::integrations::store::create(&mut tx, None, new)
        .await
        .map_err(failed)?;
    let event = audit::Event::new("api_token.created", audit::Outcome::Success)
        .subject(format!("api_token:{}", issued.id))
        .source("command-line");
    audit::append_in(&mut tx, db.backend(), &event)
        .await
        .map_err(failed)?;
    tx.commit().await.map_err(|e| failed(e.into()))?;
    println!("{}", issued.token);
    Ok(())
}

/// Logs go to stdout; stderr is kept for the one line that explains a failed start.
fn init_tracing(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stdout)
        .with_target(false)
        .try_init();
    crate::security::log_panics_without_their_message();
}

/// A keyring generated just now must be backed up before any data depends on it.
fn announce_keyring(opened: &Opened) {
    if let Opened::Created(path) = opened {
        println!();
        println!("  Zgoda: a new keyring was generated at {path}");
        println!("  Back it up now and keep the copy apart from database backups:");
        println!("  without it no personal data stored by Zgoda can be read.");
        println!();
    }
}

async fn serve(config: Config) -> Result<(), StartError> {
    let db = startup::open_database(&config).await?;
    let (vault, opened) = startup::open_vault(&config, &db).await?;
    announce_keyring(&opened);
    startup::reapply_erasures(&db, &vault).await?;
    if let Some(issued) = startup::ensure_first_administrator(&db).await? {
        println!();
        println!("  Zgoda: first start. An administrator account was created:");
        println!("    login:    {}", issued.login);
        println!("    password: {}", issued.password);
        println!(
            "  This one-time password is shown only now; you set your own at the first sign-in."
        );
        println!();
    }
    let state = startup::app_state(&config, db.clone(), vault);
    let state_for_jobs = state.clone();
    let security = state.security.clone();
    let reads = state.reads.clone();
    let router = crate::router::build(state, config.dev_reload);
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| StartError::Other(format!("cannot listen on {}: {e}", config.site_addr)))?;

    // Card reads are written in batches.
    let batch_reads = reads.clone();
    let reads_db = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            if let Err(e) = batch_reads.flush(&reads_db).await {
                tracing::warn!(error = %e, "writing card reads failed");
            }
        }
    });

    let url = config.database_url.as_ref().map(|u| u.expose().to_string());
    let node = crate::jobs::spawn(&state_for_jobs, url.as_deref()).await;
    tracing::info!(node = %node, "background jobs started");

    let purge_db = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = session::purge_expired(&purge_db, &security).await {
                tracing::warn!(error = %e, "session purge failed");
            }
        }
    });

    tracing::info!(address = %config.site_addr, database = db.backend().name(), "Zgoda is serving");
    println!("Zgoda: http://{}", config.site_addr);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| StartError::Other(format!("server error: {e}")))?;
    if let Err(e) = reads.flush(&db).await {
        tracing::warn!(error = %e, "writing the last card reads failed");
    }
    db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

fn piped_password() -> Result<Option<String>, StartError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    let mut input = String::new();
    stdin
        .lock()
        .read_to_string(&mut input)
        .map_err(|e| StartError::Other(format!("cannot read the password from stdin: {e}")))?;
    let password = input.trim_end_matches(['\r', '\n']).to_string();
    Ok((!password.is_empty()).then_some(password))
}

async fn add_user(db: &Db, login: &str, role: Role, name: Option<&str>) -> Result<(), StartError> {
    let password = piped_password()?;
    let generated = password.is_none();
    let (id, issued) = admin::provision(db, login, name.unwrap_or(""), role, password)
        .await
        .map_err(|e| StartError::Other(describe(&e)))?;
    audit_user_created(db, id, "command-line").await?;
    println!("User {} ({}) added.", issued.login, role.as_str());
    if generated {
        println!("One-time password: {}", issued.password);
        println!("It is shown only now and must be changed at the first sign-in.");
    }
    Ok(())
}

async fn rotate_keys(db: &Db, vault: &Vault) -> Result<i32, StartError> {
    let report = app::vault::rotate::rotate(db, vault).await?;
    println!(
        "Master key {} is current: {} data keys re-wrapped.",
        report.master_id, report.rewrapped
    );
    if !report.retired.is_empty() {
        println!(
            "Master keys {:?} removed from {}. Back up the keyring again; keep the previous copy with the database backups made before today.",
            report.retired,
            vault.source().describe()
        );
    }
    if report.failed.is_empty() {
        return Ok(0);
    }
    println!(
        "{} data keys could not be unwrapped (damaged) and keep their old wrapping: contacts {:?}",
        report.failed.len(),
        report.failed
    );
    Ok(2)
}

async fn seed_demo(db: &Db, vault: &Vault) -> Result<(), StartError> {
    let accounts = [
        ("konsultant", "Konsultant Demo", Role::Consultant),
        ("menedzer", "Menedżer Demo", Role::Manager),
    ];
    for (login, name, role) in accounts {
        match admin::provision(db, login, name, role, None).await {
            Ok((id, issued)) => {
                audit_user_created(db, id, "seed-demo").await?;
                println!(
                    "Demo user {login} ({}): one-time password {}",
                    role.as_str(),
                    issued.password
                );
            }
            Err(app::error::AppError::Validation(_)) => {
                println!("Demo user {login} already exists.")
            }
            Err(e) => return Err(StartError::Other(describe(&e))),
        }
    }
    let added = app::contacts::sample::seed(db, vault, 40)
        .await
        .map_err(|e| StartError::Other(describe(&e)))?;
    println!("{added} demo contacts added.");
    Ok(())
}

async fn audit_user_created(
    db: &Db,
    user_id: app::ids::UserId,
    source: &str,
) -> Result<(), StartError> {
    let event = audit::Event::new("user.created", audit::Outcome::Success)
        .subject(format!("user:{user_id}"))
        .source(source);
    audit::append_with_db(db, event)
        .await
        .map_err(|e| StartError::Other(describe(&e.into())))
}

async fn verify_audit(db: &Db) -> Result<i32, StartError> {
    let report = audit::verify(db)
        .await
        .map_err(|e| StartError::Other(describe(&e.into())))?;
    if report.problems.is_empty() {
        println!("Audit trail intact: {} rows.", report.rows);
        return Ok(0);
    }
    println!("Audit trail damaged ({} rows checked):", report.rows);
    for problem in &report.problems {
        println!("  - {problem}");
    }
    Ok(2)
}

/// An application error in English for the terminal.
fn describe(err: &app::error::AppError) -> String {
    match err {
        app::error::AppError::Validation(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.msg.text(app::i18n::Lang::En)))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.message(app::i18n::Lang::En),
    }
}
