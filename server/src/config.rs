//! Configuration: defaults that work with nothing set, an optional TOML file
//! (`ZGODA_CONFIG`, or `zgoda.toml` in the working directory), then environment variables.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A value that must not reach logs: `Debug` prints a placeholder.
#[derive(Clone, Default)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: Option<Secret>,
    /// The keyring itself (`ZGODA_KEYRING`), for deployments that keep secrets in the
    /// environment; otherwise it is read from `keyring_file`.
    pub keyring: Option<Secret>,
    pub keyring_file: Option<PathBuf>,
    /// The register of erased contacts; by default `erased` beside the keyring file (or
    /// in the data directory when the keyring comes from `ZGODA_KEYRING`).
    pub erased_register: Option<PathBuf>,
    /// Days a master key wraps new data keys before the scheduled rotation replaces it;
    /// 0 turns the scheduled rotation off.
    pub key_rotation_days: u32,
    /// Days after its epoch began that a master key leaves the keyring.
    pub key_retire_days: u32,
    pub db_max_connections: u32,
    pub site_addr: SocketAddr,
    pub site_root: PathBuf,
    pub public_url: Option<String>,
    pub session_idle_minutes: u32,
    pub session_absolute_hours: u32,
    pub lockout_threshold: u32,
    pub address_lockout_threshold: u32,
    pub lockout_minutes: u32,
    /// Seconds a node holds a background job without renewing its lease: how long a
    /// dead node's job waits before another node takes it over.
    pub job_lease_seconds: u32,
    pub trust_forwarded_for: bool,
    pub log: String,
    pub dev_reload: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    keyring_file: Option<PathBuf>,
    erased_register: Option<PathBuf>,
    key_rotation_days: Option<u32>,
    key_retire_days: Option<u32>,
    db_max_connections: Option<u32>,
    site_addr: Option<String>,
    site_root: Option<PathBuf>,
    public_url: Option<String>,
    session_idle_minutes: Option<u32>,
    session_absolute_hours: Option<u32>,
    lockout_threshold: Option<u32>,
    address_lockout_threshold: Option<u32>,
    lockout_minutes: Option<u32>,
    job_lease_seconds: Option<u32>,
    trust_forwarded_for: Option<bool>,
    log: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("{name} has an invalid value: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error("the data directory {path} is not writable: {reason}")]
    DataDir { path: String, reason: String },
}

type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

impl Config {
    pub fn load() -> Result<Self, ConfigError> {
        Self::from_sources(&|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Builds the configuration from a variable lookup, so tests need not touch the
    /// process environment.
    pub fn from_sources(env: Lookup<'_>) -> Result<Self, ConfigError> {
        let file = match env("ZGODA_CONFIG") {
            Some(path) => read_file(Path::new(&path))?,
            None if Path::new("zgoda.toml").exists() => read_file(Path::new("zgoda.toml"))?,
            None => FileConfig::default(),
        };
        let site_addr_raw = env("LEPTOS_SITE_ADDR")
            .or(file.site_addr)
            .unwrap_or_else(|| "127.0.0.1:3000".to_string());
        let site_addr = site_addr_raw.parse().map_err(|_| ConfigError::Invalid {
            name: "LEPTOS_SITE_ADDR",
            reason: format!("{site_addr_raw:?} is not an address:port"),
        })?;
        let public_url = env("ZGODA_PUBLIC_URL").or(file.public_url);
        if let Some(url) = &public_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError::Invalid {
                    name: "ZGODA_PUBLIC_URL",
                    reason: "must start with http:// or https://".into(),
                });
            }
        }
        let key_rotation_days = number(
            env,
            "ZGODA_KEY_ROTATION_DAYS",
            file.key_rotation_days,
            30,
            0..=3650,
        )?;
        let key_retire_days = number(
            env,
            "ZGODA_KEY_RETIRE_DAYS",
            file.key_retire_days,
            35,
            1..=3650,
        )?;
        if key_rotation_days > 0 && key_retire_days < key_rotation_days {
            return Err(ConfigError::Invalid {
                name: "ZGODA_KEY_RETIRE_DAYS",
                reason: format!(
                    "{key_retire_days} is shorter than the rotation period ({key_rotation_days} days): a key would leave the keyring while still current"
                ),
            });
        }
        Ok(Self {
            erased_register: env("ZGODA_ERASED_REGISTER")
                .map(PathBuf::from)
                .or(file.erased_register),
            key_rotation_days,
            key_retire_days,
            data_dir: env("ZGODA_DATA_DIR")
                .map(PathBuf::from)
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from("data")),
            database_url: env("DATABASE_URL").or(file.database_url).map(Secret),
            keyring: env("ZGODA_KEYRING").map(Secret),
            keyring_file: env("ZGODA_KEYRING_FILE")
                .map(PathBuf::from)
                .or(file.keyring_file),
            db_max_connections: number(
                env,
                "ZGODA_DB_MAX_CONNECTIONS",
                file.db_max_connections,
                10,
                1..=200,
            )?,
            site_addr,
            site_root: env("LEPTOS_SITE_ROOT")
                .map(PathBuf::from)
                .or(file.site_root)
                .unwrap_or_else(|| PathBuf::from("target/site")),
            public_url,
            session_idle_minutes: number(
                env,
                "ZGODA_SESSION_IDLE_MINUTES",
                file.session_idle_minutes,
                30,
                1..=1440,
            )?,
            session_absolute_hours: number(
                env,
                "ZGODA_SESSION_ABSOLUTE_HOURS",
                file.session_absolute_hours,
                12,
                1..=168,
            )?,
            lockout_threshold: number(
                env,
                "ZGODA_LOCKOUT_THRESHOLD",
                file.lockout_threshold,
                5,
                1..=100,
            )?,
            address_lockout_threshold: number(
                env,
                "ZGODA_ADDRESS_LOCKOUT_THRESHOLD",
                file.address_lockout_threshold,
                100,
                5..=100_000,
            )?,
            lockout_minutes: number(
                env,
                "ZGODA_LOCKOUT_MINUTES",
                file.lockout_minutes,
                15,
                1..=1440,
            )?,
            job_lease_seconds: number(
                env,
                "ZGODA_JOB_LEASE_SECONDS",
                file.job_lease_seconds,
                30,
                2..=3600,
            )?,
            trust_forwarded_for: match env("ZGODA_TRUST_FORWARDED_FOR") {
                Some(raw) => flag("ZGODA_TRUST_FORWARDED_FOR", &raw)?,
                None => file.trust_forwarded_for.unwrap_or(false),
            },
            log: env("ZGODA_LOG")
                .or(file.log)
                .unwrap_or_else(|| "info".to_string()),
            dev_reload: env("LEPTOS_RELOAD_PORT").and_then(|p| p.parse().ok()),
        })
    }

    pub fn https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// The database URL in force: `DATABASE_URL`, or the SQLite file in the data
    /// directory, which is created and checked for writing first.
    pub fn resolved_database_url(&self) -> Result<String, ConfigError> {
        if let Some(url) = &self.database_url {
            return Ok(url.expose().to_string());
        }
        let dir = &self.data_dir;
        let fail = |e: std::io::Error| ConfigError::DataDir {
            path: dir.display().to_string(),
            reason: e.to_string(),
        };
        // The database and the keyring live here: owner only.
        app::vault::keyring::private_dir(dir).map_err(fail)?;
        let probe = dir.join(".zgoda-write-check");
        std::fs::write(&probe, b"ok").map_err(fail)?;
        let _ = std::fs::remove_file(&probe);
        let absolute = std::fs::canonicalize(dir).map_err(fail)?;
        Ok(format!(
            "sqlite://{}?mode=rwc",
            absolute.join("zgoda.db").display()
        ))
    }

    /// Where the keyring comes from: `ZGODA_KEYRING`, else `ZGODA_KEYRING_FILE`, else
    /// `keyring` in the data directory (generated there on the first start).
    pub fn key_source(&self) -> app::vault::KeySource {
        match (&self.keyring, &self.keyring_file) {
            (Some(text), _) => app::vault::KeySource::Env(text.expose().to_string()),
            (None, Some(path)) => app::vault::KeySource::File(path.clone()),
            (None, None) => app::vault::KeySource::File(self.data_dir.join("keyring")),
        }
    }

    /// Where the erasure register lives: `ZGODA_ERASED_REGISTER`, else `erased` beside
    /// the keyring file, else (keyring in the environment) in the data directory.
    pub fn erased_register_path(&self) -> PathBuf {
        if let Some(path) = &self.erased_register {
            return path.clone();
        }
        match self.key_source() {
            app::vault::KeySource::File(keyring) => app::vault::beside(&keyring, "erased"),
            app::vault::KeySource::Env(_) => self.data_dir.join("erased"),
        }
    }

    /// The scheduled rotation's policy; `None` when it is turned off.
    pub fn key_policy(&self) -> Option<app::vault::epochs::Policy> {
        (self.key_rotation_days > 0)
            .then(|| app::vault::epochs::Policy::days(self.key_rotation_days, self.key_retire_days))
    }

    pub fn security(&self) -> app::state::Security {
        app::state::Security {
            https: self.https(),
            session_idle_ms: i64::from(self.session_idle_minutes) * 60_000,
            session_absolute_ms: i64::from(self.session_absolute_hours) * 3_600_000,
            lockout_threshold: i64::from(self.lockout_threshold),
            address_lockout_threshold: i64::from(self.address_lockout_threshold),
            lockout_ms: i64::from(self.lockout_minutes) * 60_000,
            job_lease_ms: i64::from(self.job_lease_seconds) * 1000,
            trust_forwarded_for: self.trust_forwarded_for,
            public_url: self
                .public_url
                .as_ref()
                .map(|u| u.trim_end_matches('/').to_string()),
            key_rotation: self.key_policy(),
            ..app::state::Security::default()
        }
    }
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let fail = |reason: String| ConfigError::File {
        path: path.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    toml::from_str(&text).map_err(|e| fail(e.message().to_string()))
}

fn flag(name: &'static str, raw: &str) -> Result<bool, ConfigError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ConfigError::Invalid {
            name,
            reason: format!("{raw:?} is not true or false"),
        }),
    }
}

fn number(
    env: Lookup<'_>,
    name: &'static str,
    from_file: Option<u32>,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32, ConfigError> {
    let value = match env(name) {
        Some(raw) => raw
            .trim()
            .parse::<u32>()
            .map_err(|_| ConfigError::Invalid {
                name,
                reason: format!("{raw:?} is not a whole number"),
            })?,
        None => from_file.unwrap_or(default),
    };
    if !range.contains(&value) {
        return Err(ConfigError::Invalid {
            name,
            reason: format!("{value} is outside {}..={}", range.start(), range.end()),
        });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_sources(&move |name| map.get(name).cloned())
    }

    #[test]
    fn defaults_work_with_nothing_set() {
        let c = load(&[]).unwrap();
        assert_eq!(c.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.data_dir, PathBuf::from("data"));
        assert!(c.database_url.is_none());
        assert_eq!(c.session_idle_minutes, 30);
        assert!(!c.https());
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let c = load(&[
            ("DATABASE_URL", "postgres://u:topsecret@h/db"),
            ("ZGODA_KEYRING", "index topsecretkey"),
        ])
        .unwrap();
        let printed = format!("{c:?}");
        assert!(!printed.contains("topsecret"), "{printed}");
    }

    #[test]
    fn the_keyring_source_is_env_then_file_then_data_dir() {
        use app::vault::KeySource;
        let c = load(&[("ZGODA_DATA_DIR", "/srv/zgoda")]).unwrap();
        assert_eq!(c.key_source(), KeySource::File("/srv/zgoda/keyring".into()));
        let c = load(&[("ZGODA_KEYRING_FILE", "/etc/zgoda/keyring")]).unwrap();
        assert_eq!(c.key_source(), KeySource::File("/etc/zgoda/keyring".into()));
        let c = load(&[
            ("ZGODA_KEYRING", "text"),
            ("ZGODA_KEYRING_FILE", "/etc/zgoda/keyring"),
        ])
        .unwrap();
        assert_eq!(c.key_source(), KeySource::Env("text".into()));
    }

    #[test]
    fn the_erased_register_sits_beside_the_keyring() {
        let c = load(&[("ZGODA_DATA_DIR", "/srv/zgoda")]).unwrap();
        assert_eq!(c.erased_register_path(), PathBuf::from("/srv/zgoda/erased"));
        let c = load(&[("ZGODA_KEYRING_FILE", "/etc/zgoda/keyring")]).unwrap();
        assert_eq!(c.erased_register_path(), PathBuf::from("/etc/zgoda/erased"));
        let c = load(&[("ZGODA_KEYRING", "text"), ("ZGODA_DATA_DIR", "/srv/z")]).unwrap();
        assert_eq!(c.erased_register_path(), PathBuf::from("/srv/z/erased"));
        let c = load(&[("ZGODA_ERASED_REGISTER", "/shared/erased")]).unwrap();
        assert_eq!(c.erased_register_path(), PathBuf::from("/shared/erased"));
    }

    #[test]
    fn key_epochs_default_to_a_month_and_35_days() {
        let c = load(&[]).unwrap();
        assert_eq!(
            c.key_policy(),
            Some(app::vault::epochs::Policy::days(30, 35))
        );
        assert!(load(&[("ZGODA_KEY_ROTATION_DAYS", "0")])
            .unwrap()
            .key_policy()
            .is_none());
        let err = load(&[("ZGODA_KEY_RETIRE_DAYS", "10")]).unwrap_err();
        assert!(
            err.to_string().starts_with("ZGODA_KEY_RETIRE_DAYS"),
            "{err}"
        );
    }

    #[test]
    fn bad_values_are_named() {
        let err = load(&[("ZGODA_SESSION_IDLE_MINUTES", "soon")]).unwrap_err();
        assert!(
            err.to_string().starts_with("ZGODA_SESSION_IDLE_MINUTES"),
            "{err}"
        );
        assert!(load(&[("LEPTOS_SITE_ADDR", "nowhere")]).is_err());
        assert!(load(&[("ZGODA_PUBLIC_URL", "ftp://x")]).is_err());
        assert!(load(&[("ZGODA_TRUST_FORWARDED_FOR", "maybe")]).is_err());
        assert!(
            load(&[("ZGODA_TRUST_FORWARDED_FOR", "true")])
                .unwrap()
                .trust_forwarded_for
        );
    }

    #[test]
    fn the_file_is_read_and_env_wins() {
        let dir = std::env::temp_dir().join(format!("zgoda-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("zgoda.toml");
        std::fs::write(&path, "session_idle_minutes = 10\nlockout_minutes = 5\n").unwrap();
        let p = path.to_str().unwrap();
        let c = load(&[("ZGODA_CONFIG", p), ("ZGODA_LOCKOUT_MINUTES", "7")]).unwrap();
        assert_eq!(c.session_idle_minutes, 10);
        assert_eq!(c.lockout_minutes, 7);
        std::fs::write(&path, "no_such_key = 1\n").unwrap();
        assert!(matches!(
            load(&[("ZGODA_CONFIG", p)]),
            Err(ConfigError::File { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
