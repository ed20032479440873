//! From configuration to a ready `AppState`: database, migrations, the first account.

use leptos::config::{Env, LeptosOptions};

use app::auth::{admin, store, Role};
use app::db::{Db, DbError};
use app::state::AppState;
use app::vault::{Opened, Vault};

use crate::config::{Config, ConfigError};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Vault(#[from] app::vault::VaultError),
    #[error("{0}")]
    Other(String),
}

/// Opens the database and applies migrations; a failure stops the start.
pub async fn open_database(config: &Config) -> Result<Db, StartError> {
    let url = config.resolved_database_url()?;
    let db = Db::connect(&url, config.db_max_connections).await?;
    db.migrate().await?;
    Ok(db)
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    // A site built by scripts/lib/site.sh names its JS and wasm by their content and
    // lists the names in hash.txt. leptos looks for that file relative to the binary's
    // folder, so it gets the absolute path.
    let hash_file = config.site_root.join("hash.txt");
    let hashes = if hash_file.is_file() {
        std::path::absolute(&hash_file).ok()
    } else {
        tracing::warn!(
            site_root = %config.site_root.display(),
            "no hash.txt in the site folder: pages will ask for an unhashed bundle (build the site with scripts/run)"
        );
        None
    };
    LeptosOptions::builder()
        .hash_files(hashes.is_some())
        .hash_file(
            hashes
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "hash.txt".into())
                .into(),
        )
        .output_name("zgoda")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .env(if config.dev_reload.is_some() {
            Env::DEV
        } else {
            Env::PROD
        })
        .reload_port(config.dev_reload.unwrap_or(3001))
        .build()
}

/// Loads the keyring and checks it against the database; on the first start of the
/// embedded setup it is generated, and the path returned so the administrator is told
/// to back it up.
pub async fn open_vault(config: &Config, db: &Db) -> Result<(Vault, Opened), StartError> {
    let (vault, opened) = Vault::open(config.key_source(), db).await?;
    Ok((
        vault.with_erased_register(config.erased_register_path()),
        opened,
    ))
}

/// Before serving: every contact the erasure register names that this database still
/// holds readable (it was restored from a backup made before the erasure) is erased
/// again. Says so in one line, with the count only. A failure stops the start: serving
/// a person who was erased is worse than not serving.
pub async fn reapply_erasures(db: &Db, vault: &Vault) -> Result<u64, StartError> {
    let done = app::erasure::register::reapply(db, vault)
        .await
        .map_err(|e| {
            StartError::Other(format!(
                "cannot bring the database in line with the erasure register: {}",
                e.message(app::i18n::Lang::En)
            ))
        })?;
    if done.erased > 0 || done.ignored > 0 || done.kept > 0 {
        tracing::warn!(
            re_erased = done.erased,
            ignored_lines = done.ignored,
            kept_after_later_decision = done.kept,
            "the erasure register named contacts this database still held: re-erased {} before serving",
            done.erased
        );
    }
    Ok(done.erased)
}

pub fn app_state(config: &Config, db: Db, vault: Vault) -> AppState {
    AppState::new(db, leptos_options(config), config.security(), vault)
}

/// On the very first start, with no account at all, creates the administrator `admin`
/// with a one-time password and returns it, to be printed once.
pub async fn ensure_first_administrator(
    db: &Db,
) -> Result<Option<admin::IssuedPassword>, StartError> {
    let none_yet = store::count(db)
        .await
        .map_err(|e| StartError::Other(format!("{e}")))?
        == 0;
    if !none_yet {
        return Ok(None);
    }
    match admin::provision(db, "admin", "Administrator", Role::Administrator, None).await {
        Ok((id, issued)) => {
            let event = app::audit::store::Event::new(
                "user.created_first_administrator",
                app::audit::store::Outcome::Success,
            )
            .subject(format!("user:{id}"))
            .source("startup");
            app::audit::store::append_with_db(db, event)
                .await
                .map_err(|e| StartError::Other(format!("{e}")))?;
            Ok(Some(issued))
        }
        // Another node won the race to create it.
        Err(app::error::AppError::Validation(_)) => Ok(None),
        Err(e) => Err(StartError::Other(format!(
            "cannot create the first administrator: {e}"
        ))),
    }
}
