//! Import at scale, on SQLite: generates a CSV of N rows in Windows-1250 with phone
//! numbers written every which way, stores it as an upload would, then times the import
//! itself (decoding, phone repair with libphonenumber, validation, duplicate lookups,
//! sealing under a fresh key per contact, blind indexes, batched writes with checkpoints)
//! and reads the process's peak memory. For scale, the same file goes through the
//! `sqlite3` shell's `.import` into one plain table.
//!
//! `scripts/bench-import` runs it; the figures go to docs/perf.md.
//! Settings: ZGODA_BENCH_ROWS (default 1000000), ZGODA_BENCH_DIR (default target/bench).

mod common;

use std::io::{BufWriter, Read, Write};
use std::time::Instant;

use app::contacts::sample;
use app::imports::encoding::encode;
use app::imports::model::{FileFormat, ImportSettings, Target, TextEncoding};
use app::imports::{engine, source::CHUNK_BYTES, store};
use common::{fresh_dir, open_store, peak_rss_mb, setting};

const MOBILE: [&str; 12] = [
    "50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88",
];

/// Row `n`'s phone as lists write them: spaced, dashed, "0048", "48", bracketed, bare.
fn messy_phone(n: u64) -> String {
    let prefix = MOBILE[(n % 12) as usize];
    let rest = format!("{:07}", (n / 12) % 10_000_000);
    let national = format!("{prefix}{rest}");
    match n % 6 {
        0 => format!("{} {} {}", &national[..3], &national[3..6], &national[6..]),
        1 => format!(
            "0048 {}-{}-{}",
            &national[..3],
            &national[3..6],
            &national[6..]
        ),
        2 => format!("48{national}"),
        3 => format!("({}) {}", &national[..3], &national[3..]),
        4 => format!("+48 {national}"),
        _ => national,
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    // The import's own log lines (when its tokens were moved, and how long that took).
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "app::contacts::tokens=info",
        ))
        .init();
    let rows = setting("ZGODA_BENCH_ROWS", 1_000_000);
    let dir = fresh_dir("import");

    // The file: header, then N rows, in Windows-1250.
    let csv = dir.join("kontakty.csv");
    let started = Instant::now();
    {
        let mut out = BufWriter::new(std::fs::File::create(&csv).expect("csv"));
        out.write_all(&encode(
            TextEncoding::Windows1250,
            "Imię;Nazwisko;Telefon;E-mail;Ulica;Kod pocztowy;Miejscowość\r\n",
        ))
        .unwrap();
        for n in 0..rows {
            let c = sample::contact(n);
            let line = format!(
                "{};{};{};{}.{}@example.pl;{};{};{}\r\n",
                c.first_name,
                if c.last_name.is_empty() {
                    &c.company
                } else {
                    &c.last_name
                },
                messy_phone(n),
                "osoba",
                n,
                c.street,
                c.postal_code,
                c.city
            );
            out.write_all(&encode(TextEncoding::Windows1250, &line))
                .unwrap();
        }
    }
    let size = std::fs::metadata(&csv).unwrap().len();
    println!(
        "Generated {rows} rows ({:.1} MB) in {:.1} s",
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    let (db, vault) = open_store(&dir, "zgoda.db").await;
    let vault = std::sync::Arc::new(vault);
    sqlx::query(
        "INSERT INTO users (id, login, display_name, role, password_hash, password_changed_at, created_at) \
         VALUES (1, 'bench', 'Bench', 'manager', '-', 0, 0)",
    )
    .execute(db.pool())
    .await
    .unwrap();

    // Stored as the upload stores it.
    let started = Instant::now();
    let mut tx = db.begin_write().await.unwrap();
    let (id, key) = store::create_draft(
        &mut tx,
        &vault,
        app::ids::UserId(1),
        "kontakty.csv",
        FileFormat::Delimited,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut file = std::fs::File::open(&csv).unwrap();
    let mut buf = vec![0u8; CHUNK_BYTES];
    let mut seq = 0;
    loop {
        let mut filled = 0;
        while filled < buf.len() {
            let n = file.read(&mut buf[filled..]).unwrap();
            if n == 0 {
                break;
            }
            filled += n;
        }
        if filled == 0 {
            break;
        }
        let mut tx = db.begin_write().await.unwrap();
        store::put_chunk(&mut tx, &key, id, seq, &buf[..filled])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        seq += 1;
    }
    let mut tx = db.begin_write().await.unwrap();
    store::finish_upload(&mut tx, id, size as i64, TextEncoding::Windows1250, true)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    println!(
        "Stored (sealed pieces) in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let settings = ImportSettings {
        file_name: "kontakty.csv".into(),
        name: "Benchmark".into(),
        source_id: app::ids::SourceId(1),
        encoding: TextEncoding::Windows1250,
        mapping: vec![
            Target::FirstName,
            Target::LastName,
            Target::Phone,
            Target::Email,
            Target::Street,
            Target::PostalCode,
            Target::City,
        ],
        ..ImportSettings::default()
    };
    sqlx::query(
        "UPDATE imports SET status = 'running', owner = 'bench', heartbeat_at = 0, settings = $1, \
         source_id = 1, started_at = $2 WHERE id = $3",
    )
    .bind(serde_json::to_string(&settings).unwrap())
    .bind(app::db::now_ms())
    .bind(id)
    .execute(db.pool())
    .await
    .unwrap();
    let started = Instant::now();
    let failure = engine::run(&db, &vault, id, "bench").await.expect("import");
    let elapsed = started.elapsed().as_secs_f64();
    assert!(failure.is_none(), "the import failed: {failure:?}");
    let (added, rejected, duplicates, repaired): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT added, rejected, duplicates, phones_repaired FROM imports WHERE id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let rate = rows as f64 / elapsed;
    let rss = peak_rss_mb();
    println!(
        "Zgoda import: {rows} rows in {elapsed:.1} s = {rate:.0} rows/s; added {added}, \
         duplicates {duplicates}, rejected {rejected}, phones repaired {repaired}; peak RSS {rss:.0} MB"
    );

    // The same file into one plain table by the sqlite3 shell.
    let plain = dir.join("plain.db");
    let started = Instant::now();
    let status = std::process::Command::new("sqlite3")
        .arg(&plain)
        .arg("-cmd")
        .arg(".separator ;")
        .arg(format!(".import {} kontakty", csv.display()))
        .status();
    match status {
        Ok(s) if s.success() => {
            let plain_secs = started.elapsed().as_secs_f64();
            println!(
                "sqlite3 .import: {rows} rows in {plain_secs:.1} s = {:.0} rows/s; Zgoda takes {:.1}x as long",
                rows as f64 / plain_secs,
                elapsed / plain_secs
            );
        }
        _ => println!("sqlite3 .import: the sqlite3 shell is not installed (apt install sqlite3)"),
    }
}
