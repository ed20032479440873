//! Export at scale, on SQLite: seeds N encrypted, indexed sample contacts, then times
//! the three parts of an export of all of them: the disclosure (one row per contact in
//! `disclosure_contacts`), the CSV (every personal column, phones and e-mails opened
//! under each contact's key, neutralised, encoded, written to a counting sink), and the
//! XLSX (the same rows into a constant-memory workbook, zipped to a file). Prints rows
//! per second and the process's peak memory.
//!
//! `scripts/bench-export` runs it; the figures go to docs/perf.md.
//! Settings: ZGODA_BENCH_ROWS (default 1000000), ZGODA_BENCH_DIR (default target/bench),
//! ZGODA_BENCH_XLSX=0 skips the workbook, ZGODA_BENCH_REUSE=1 exports the contacts an
//! earlier run seeded (when there are ZGODA_BENCH_ROWS of them) instead of seeding again.

mod common;

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use app::contacts::sample;
use app::exports::model::{Column, CsvEncoding, PLAIN_COLUMNS};
use app::exports::rows::{write_all, Plan};
use app::exports::sink::{CsvSink, XlsxSink};
use common::{bench_dir, fresh_dir, open_store, peak_rss_mb, setting};

/// Counts what the CSV writer would send to the browser.
#[derive(Default)]
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where an export's time goes: the same batches read, opened and written one after
/// another (no overlap), each part timed on its own.
async fn phases(
    db: &app::db::Db,
    vault: &app::vault::Vault,
    plan: &Plan,
    ids: &[app::ids::ContactId],
) {
    use app::exports::rows::{decode, fetch, BATCH};
    use app::exports::sink::Sink;
    let mut conn = db.pool().acquire().await.unwrap();
    let mut sink = CsvSink::new(Counter::default(), b';', CsvEncoding::Utf8Bom).unwrap();
    let (mut read, mut open, mut write) = (0f64, 0f64, 0f64);
    for chunk in ids.chunks(BATCH) {
        let t = Instant::now();
        let batch = fetch(&mut conn, plan, chunk).await.unwrap();
        read += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let rows = decode(vault, plan, batch).unwrap();
        open += t.elapsed().as_secs_f64();
        let t = Instant::now();
        sink.rows(&rows).unwrap();
        write += t.elapsed().as_secs_f64();
    }
    let per_row = |s: f64| s * 1e6 / ids.len() as f64;
    println!(
        "Phases, one after another: read {read:.2} s ({:.1} µs/row), open {open:.2} s ({:.1} µs/row), CSV {write:.2} s ({:.1} µs/row)",
        per_row(read),
        per_row(open),
        per_row(write)
    );
}

/// With ZGODA_BENCH_REUSE=1, the store the previous run seeded, when it holds `rows`
/// contacts: seeding a million takes longer than exporting them, and only the export is
/// measured.
async fn reused(rows: u64) -> Option<(app::db::Db, app::vault::Vault)> {
    let dir = bench_dir().join("export");
    if setting("ZGODA_BENCH_REUSE", 0) != 1 || !dir.join("zgoda.db").exists() {
        return None;
    }
    let (db, vault) = open_store(&dir, "zgoda.db").await;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts")
        .fetch_one(db.pool())
        .await
        .ok()?;
    println!("Reusing the {count} contacts seeded before");
    (count as u64 == rows).then_some((db, vault))
}

async fn seeded(rows: u64) -> (app::db::Db, app::vault::Vault) {
    let dir = fresh_dir("export");
    let (db, vault) = open_store(&dir, "zgoda.db").await;
    sqlx::query(
        "INSERT INTO users (id, login, display_name, role, password_hash, password_changed_at, created_at) \
         VALUES (1, 'bench', 'Bench', 'manager', '-', 0, 0)",
    )
    .execute(db.pool())
    .await
    .unwrap();
    let started = Instant::now();
    let mut done = 0;
    while done < rows {
        let n = (rows - done).min(10_000);
        sample::insert_range(&db, &vault, done, n).await.unwrap();
        done += n;
    }
    println!(
        "Seeded {rows} contacts in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    (db, vault)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let rows = setting("ZGODA_BENCH_ROWS", 1_000_000);
    let (db, vault) = match reused(rows).await {
        Some(store) => store,
        None => seeded(rows).await,
    };
    let vault = Arc::new(vault);
    let rss_before = peak_rss_mb();

    // Every column but the consents (no definitions in a fresh database).
    let columns: Vec<Column> = PLAIN_COLUMNS
        .iter()
        .filter_map(|(k, _)| Column::parse(k))
        .collect();
    let keys: Vec<String> = columns.iter().map(|c| c.key()).collect();
    let ids: Vec<app::ids::ContactId> = sqlx::query_scalar("SELECT id FROM contacts ORDER BY id")
        .fetch_all(db.pool())
        .await
        .unwrap();

    let started = Instant::now();
    let mut tx = db.begin_write().await.unwrap();
    app::recipients::store::disclose_export(&mut tx, app::ids::UserId(1), &ids, &keys, "Benchmark")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let disclosure = started.elapsed().as_secs_f64();
    println!(
        "Disclosure of {} contacts: {disclosure:.2} s ({:.0} rows/s)",
        ids.len(),
        ids.len() as f64 / disclosure
    );

    let mut conn = db.pool().acquire().await.unwrap();
    let plan = Arc::new(Plan::new(&mut conn, columns).await.unwrap());
    drop(conn);

    phases(&db, &vault, &plan, &ids).await;

    let started = Instant::now();
    let sink = CsvSink::new(Counter::default(), b';', CsvEncoding::Utf8Bom).unwrap();
    let (sink, written) = write_all(&db, vault.clone(), plan.clone(), &ids, sink, |_| {})
        .await
        .unwrap();
    let bytes = sink.finish().unwrap().0;
    let csv = started.elapsed().as_secs_f64();
    println!(
        "CSV: {written} rows, {:.1} MB in {csv:.2} s = {:.0} rows/s",
        bytes as f64 / 1e6,
        written as f64 / csv
    );
    println!(
        "Peak RSS: {:.0} MB (after seeding: {rss_before:.0} MB)",
        peak_rss_mb()
    );

    if setting("ZGODA_BENCH_XLSX", 1) == 1 {
        let started = Instant::now();
        let sink = tokio::task::spawn_blocking(XlsxSink::new)
            .await
            .unwrap()
            .unwrap();
        let (sink, written) = write_all(&db, vault.clone(), plan, &ids, sink, |_| {})
            .await
            .unwrap();
        let path = bench_dir().join("export").join("eksport.xlsx");
        let out = path.clone();
        tokio::task::spawn_blocking(move || sink.finish(&out))
            .await
            .unwrap()
            .unwrap();
        let xlsx = started.elapsed().as_secs_f64();
        println!(
            "XLSX: {written} rows, {:.1} MB in {xlsx:.2} s = {:.0} rows/s",
            std::fs::metadata(&path).unwrap().len() as f64 / 1e6,
            written as f64 / xlsx
        );
        println!("Peak RSS: {:.0} MB", peak_rss_mb());
    }
}
