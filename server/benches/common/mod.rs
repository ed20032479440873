//! What the benchmarks share: their settings, their folder, a store to work on, and the
//! process's peak memory.
#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;

use app::db::Db;
use app::vault::{KeySource, Vault};

/// A number from the environment (`1_000_000` accepted), or the default.
pub fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// `ZGODA_BENCH_DIR` (default `target/bench`), created.
pub fn bench_dir() -> PathBuf {
    let dir =
        PathBuf::from(std::env::var("ZGODA_BENCH_DIR").unwrap_or_else(|_| "target/bench".into()));
    std::fs::create_dir_all(&dir).expect("bench dir");
    dir
}

/// An empty folder of the bench's own under `bench_dir()`.
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = bench_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");
    dir
}

/// The SQLite database `file` in `dir`, migrated, with its keyring beside it.
pub async fn open_store(dir: &std::path::Path, file: &str) -> (Db, Vault) {
    let url = format!("sqlite://{}?mode=rwc", dir.join(file).display());
    let db = Db::connect(&url, 4).await.expect("database");
    db.migrate().await.expect("migrations");
    let (vault, _) = Vault::open(KeySource::File(dir.join("keyring")), &db)
        .await
        .expect("keyring");
    (db, vault)
}

/// The process's peak resident memory so far, in MB (Linux).
pub fn peak_rss_mb() -> f64 {
    let mut status = String::new();
    std::fs::File::open("/proc/self/status")
        .and_then(|mut f| f.read_to_string(&mut status))
        .ok();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}
