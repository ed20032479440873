//! Contacts at scale, on SQLite: generates N sample contacts (encrypted, indexed) once,
//! then measures the server time of the contact card, of a lookup by phone and of a
//! lookup by a name word, the filters of 'Szukaj' (one alone, four combined), and the
//! decryption cost of one card.
//!
//! `scripts/bench-contacts` runs it; the figures go to docs/perf.md.
//! Settings: ZGODA_BENCH_CONTACTS (default 1000000), ZGODA_BENCH_DIR (default
//! target/bench), ZGODA_BENCH_SAMPLES (default 2000).

mod common;

use app::ids::ContactId;
use std::time::{Duration, Instant};

use app::consents;
use app::contacts::{sample, search};
use app::db::Db;
use app::vault::Vault;
use common::{bench_dir, open_store, setting};
use rand::{Rng, SeedableRng};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "| {name} | {} | {:.2} ms | {:.2} ms | {:.2} ms |",
        times.len(),
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let target = setting("ZGODA_BENCH_CONTACTS", 1_000_000);
    let samples = setting("ZGODA_BENCH_SAMPLES", 2000) as usize;
    // Kept between runs: generating a million contacts takes a while.
    let dir = bench_dir();
    let (db, vault) = open_store(&dir, "contacts.db").await;

    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let mut have = existing as u64;
    if have < target {
        println!(
            "Generating contacts {have}..{target} (kept in {} for later runs)",
            dir.display()
        );
        let started = Instant::now();
        let from = have;
        while have < target {
            let batch = 5000.min(target - have);
            sample::insert_range(&db, &vault, have, batch)
                .await
                .expect("insert");
            have += batch;
            if have.is_multiple_of(100_000) || have == target {
                let rate = (have - from) as f64 / started.elapsed().as_secs_f64();
                println!("  {have} contacts, {rate:.0} per second");
            }
        }
        sqlx::query("ANALYZE").execute(db.pool()).await.unwrap();
    }
    let max_id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM contacts")
        .fetch_one(db.pool())
        .await
        .unwrap();
    println!();
    println!("{have} contacts; {samples} samples each; times are server-side, one connection.");
    println!();
    println!("| operation | samples | p50 | p99 | max |");
    println!("|---|---|---|---|---|");

    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut conn = db.pool().acquire().await.unwrap();

    // Warm the page cache the way a running server would be.
    for _ in 0..200 {
        let id = ContactId(rng.gen_range(1..=max_id));
        search::card(&mut conn, &vault, id).await.unwrap();
    }

    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let id = ContactId(rng.gen_range(1..=max_id));
        let t = Instant::now();
        let card = search::card(&mut conn, &vault, id).await.unwrap();
        times.push(t.elapsed());
        assert_eq!(card.id, id);
    }
    report("contact card (`contact_get`)", times);

    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let n = rng.gen_range(0..have);
        // Typed the way people type it.
        let typed = sample::phone(n).replacen("+48", "", 1);
        let t = Instant::now();
        let page = search::search(&mut conn, &vault, &typed, None)
            .await
            .unwrap();
        times.push(t.elapsed());
        assert_eq!(page.rows.len(), 1, "{typed}");
    }
    report("lookup by phone (`contact_search`)", times);

    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let n = rng.gen_range(0..have);
        let email = sample::contact(n).emails[0].value.clone();
        let t = Instant::now();
        let page = search::search(&mut conn, &vault, &email, None)
            .await
            .unwrap();
        times.push(t.elapsed());
        assert_eq!(page.rows.len(), 1);
    }
    report("lookup by e-mail (`contact_search`)", times);

    let mut times = Vec::with_capacity(samples / 4);
    for _ in 0..samples / 4 {
        let n = rng.gen_range(0..have);
        let c = sample::contact(n);
        let q = format!("{} {}", c.first_name, c.last_name);
        let t = Instant::now();
        let page = search::search(&mut conn, &vault, &q, None).await.unwrap();
        times.push(t.elapsed());
        assert!(!page.rows.is_empty());
    }
    report("lookup by first and last name, first page of 25", times);

    // The contact check: a marketing e-mail consent, granted to every tenth contact.
    let definitions = consents::store::definitions(&mut conn, true).await.unwrap();
    if definitions.is_empty() {
        let user: Option<app::ids::UserId> = sqlx::query_scalar("SELECT MIN(id) FROM users")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        let user = match user {
            Some(id) => id,
            None => {
                let password = Some("Bench-Zgoda-2026!".to_string());
                let role = app::auth::Role::Administrator;
                app::auth::admin::provision(&db, "bench", "Bench", role, password)
                    .await
                    .unwrap()
                    .0
            }
        };
        let definition = consents::Definition {
            name: "Marketing e-mail".into(),
            statement: "Wyrażam zgodę na oferty e-mailem.".into(),
            purpose: "Marketing bezpośredni".into(),
            channel: consents::model::ConsentChannel::Email,
            marketing: true,
            active: true,
            ..consents::Definition::default()
        };
        let def = consents::store::save_definition(&mut conn, user, &definition)
            .await
            .unwrap();
        let mut tx = db.pool().begin().await.unwrap();
        for id in (1..=max_id).step_by(10).take(20_000).map(ContactId) {
            let new = consents::store::NewDecision {
                contact_id: id,
                definition_id: def,
                decision: consents::model::Decision::Granted,
                method: consents::model::Method::Call,
                case_id: None,
                statement_version: None,
                evidence: None,
            };
            consents::store::record(&mut tx, &vault, Some(user), new)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    }
    let mut times = Vec::with_capacity(samples);
    let mut granted = 0;
    for i in 0..samples {
        // Half the samples among contacts with a grant, half anywhere.
        let id = if i % 2 == 0 {
            1 + 10 * rng.gen_range(0..20_000.min(max_id / 10))
        } else {
            rng.gen_range(1..=max_id)
        };
        let t = Instant::now();
        let check = consents::check::check(
            &mut conn,
            ContactId(id),
            consents::model::ConsentChannel::Email,
            consents::model::Purpose::Marketing,
        )
        .await
        .unwrap();
        times.push(t.elapsed());
        granted += usize::from(check.allowed);
    }
    report("contact check (`can_contact`, marketing by e-mail)", times);
    println!();
    println!("({granted} of {samples} checks allowed.)");

    dialer_batches(&vault, &mut conn, have, &mut rng).await;

    search_cases(&db, &vault, &mut conn, have, samples / 10, &mut rng).await;

    // Decryption alone: unwrap the data key and open the card's sealed values.
    let id = ContactId(rng.gen_range(1..=max_id));
    let row: (app::ids::MasterKeyId, i64, Vec<u8>) = sqlx::query_as(
        "SELECT master_key_id, key_version, wrapped_key FROM contact_keys WHERE contact_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    let columns = [
        "first_name",
        "last_name",
        "street",
        "postal_code",
        "city",
        "pesel",
    ];
    let values = sqlx::query(&format!(
        "SELECT {} FROM contacts WHERE id = $1",
        columns.join(", ")
    ))
    .bind(id)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    let sealed: Vec<Option<Vec<u8>>> = columns
        .iter()
        .map(|c| sqlx::Row::try_get(&values, *c).unwrap())
        .collect();
    let rounds = 20_000u32;
    let t = Instant::now();
    for _ in 0..rounds {
        let key = vault
            .unwrap(id, row.0, row.1, Some(&row.2))
            .unwrap()
            .unwrap();
        for (col, value) in columns.iter().zip(&sealed) {
            let place = app::vault::Place::new("contacts", col, id);
            std::hint::black_box(
                app::contacts::store::open(Some(&key), place, value.clone()).unwrap(),
            );
        }
    }
    let per_card = t.elapsed() / rounds;
    println!();
    println!(
        "Decryption per card (unwrap the data key, open 6 values): {:.1} µs",
        per_card.as_secs_f64() * 1e6
    );
}

/// "Szukaj": a page of 50 with the total, as `contact_filter` answers it, for single
/// filters and four combined. Contacts stored before the city and postal-code tokens
/// existed get them first (the pass the server runs at start).
/// The dialer's check (`dialer_check`): batches of 10,000 numbers, half of them known
/// contacts' (typed without the country code), half numbers nobody has.
async fn dialer_batches(
    vault: &Vault,
    conn: &mut sqlx::AnyConnection,
    have: u64,
    rng: &mut rand::rngs::StdRng,
) {
    let batches = setting("ZGODA_BENCH_DIALER_BATCHES", 10) as usize;
    let mut times = Vec::with_capacity(batches);
    let mut allowed = 0;
    for _ in 0..batches {
        let numbers: Vec<String> = (0..10_000)
            .map(|i| {
                if i % 2 == 0 {
                    sample::phone(rng.gen_range(0..have)).replacen("+48", "", 1)
                } else {
                    // Sample phones are +485…; these are +487…, which no contact has.
                    format!("7{:08}", rng.gen_range(0..100_000_000u64))
                }
            })
            .collect();
        let t = Instant::now();
        let answers = consents::dialer::check_numbers(
            conn,
            vault,
            &numbers,
            consents::model::ConsentChannel::Call,
            consents::model::Purpose::Marketing,
        )
        .await
        .unwrap();
        times.push(t.elapsed());
        assert_eq!(answers.len(), numbers.len());
        allowed += answers.iter().filter(|a| a.allowed).count();
    }
    report(
        "dialer check, 10,000 numbers per batch (`dialer_check`)",
        times,
    );
    println!("({allowed} numbers allowed in all.)");
}

async fn search_cases(
    db: &Db,
    vault: &Vault,
    conn: &mut sqlx::AnyConnection,
    have: u64,
    samples: usize,
    rng: &mut rand::rngs::StdRng,
) {
    use app::search::{store::search_page, SearchFilter, SearchView};
    let t = Instant::now();
    let added = app::search::backfill::run(db, vault, 2000).await.unwrap();
    if added > 0 {
        println!();
        println!(
            "(City and postal-code tokens added to {added} older contacts in {:.1} s.)",
            t.elapsed().as_secs_f64()
        );
        sqlx::query("ANALYZE").execute(&mut *conn).await.unwrap();
    }
    let def: i64 = sqlx::query_scalar("SELECT MIN(id) FROM consent_definitions")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    println!();
    println!(
        "| Szukaj: page of 50 + total count | samples | p50 | p99 | max | found (last sample) |"
    );
    println!("|---|---|---|---|---|---|");
    let samples = samples.max(20);
    type Query = Box<dyn Fn(u64) -> String>;
    let cases: Vec<(&str, Query)> = vec![
        (
            "phone (exact)",
            Box::new(|n| format!("telefon={}", sample::phone(n))),
        ),
        (
            "city (exact)",
            Box::new(|n| format!("miasto={}", sample::contact(n).city)),
        ),
        (
            "postal code (exact)",
            Box::new(|n| format!("kod={}", sample::contact(n).postal_code)),
        ),
        (
            "last name word",
            Box::new(|n| format!("nazwa={}", sample::contact(n).last_name)),
        ),
        (
            "state = active (every contact)",
            Box::new(|_| "stan=active".to_string()),
        ),
        (
            "created between dates",
            Box::new(|_| "utworzono_od=2020-01-01&utworzono_do=2099-12-31".to_string()),
        ),
        (
            "consent granted",
            Box::new(move |_| format!("zgoda_{def}=granted")),
        ),
        (
            "consent never asked",
            Box::new(move |_| format!("zgoda_{def}=never")),
        ),
        (
            "marketing allowed by e-mail",
            Box::new(|_| "marketing=email".to_string()),
        ),
        (
            "four: city + last name + marketing e-mail + active",
            Box::new(|n| {
                let c = sample::contact(n);
                format!(
                    "miasto={}&nazwa={}&marketing=email&stan=active",
                    c.city, c.last_name
                )
            }),
        ),
        (
            "four: city + consent granted + created + active, by source desc, page 3",
            Box::new(move |n| {
                let c = sample::contact(n);
                format!(
                    "miasto={}&zgoda_{def}=granted&utworzono_od=2020-01-01&stan=active&sort=source&kier=desc&strona=3",
                    c.city
                )
            }),
        ),
    ];
    for (name, query) in cases {
        let mut times = Vec::with_capacity(samples);
        let mut total = 0;
        for _ in 0..samples {
            let n = rng.gen_range(0..have);
            // The query as the browser sends it (the city and name carry Polish letters).
            let q: String = query(n)
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((k, v)) => format!("{k}={}", app::search::query::encode(v)),
                    None => pair.to_string(),
                })
                .collect::<Vec<_>>()
                .join("&");
            let filter = SearchFilter::from_query(&q).unwrap();
            let view = SearchView::from_query(&q);
            let t = Instant::now();
            let page = search_page(conn, vault, &filter, &view).await.unwrap();
            times.push(t.elapsed());
            total = page.total;
        }
        times.sort();
        println!(
            "| {name} | {} | {:.1} ms | {:.1} ms | {:.1} ms | {total} |",
            times.len(),
            percentile(&times, 0.50).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3,
            times.last().unwrap().as_secs_f64() * 1e3,
        );
    }
}
