//! Generated contacts for `zgoda seed-demo` and the benchmarks: deterministic, so a
//! benchmark knows which phone number belongs to which contact without storing it.

use super::model::{Channel, ContactData, ContactKind};
use super::validate::validate;
use crate::db::Db;
use crate::error::AppError;
use crate::vault::Vault;

const FIRST: &[&str] = &[
    "Anna",
    "Piotr",
    "Katarzyna",
    "Krzysztof",
    "Małgorzata",
    "Andrzej",
    "Agnieszka",
    "Tomasz",
    "Barbara",
    "Paweł",
    "Ewa",
    "Michał",
    "Magdalena",
    "Marcin",
    "Elżbieta",
    "Łukasz",
    "Zofia",
    "Jakub",
    "Joanna",
    "Grzegorz",
    "Aleksandra",
    "Wojciech",
    "Monika",
    "Mateusz",
];
const LAST: &[&str] = &[
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Jankowski",
    "Mazur",
    "Kwiatkowski",
    "Krawczyk",
    "Piotrowski",
    "Grabowski",
    "Nowakowski",
    "Pawłowski",
    "Michalski",
    "Król",
    "Wieczorek",
    "Jabłoński",
    "Wróbel",
    "Majewski",
    "Olszewski",
    "Stępień",
    "Malinowski",
    "Jaworski",
];
const CITIES: &[&str] = &[
    "Warszawa",
    "Kraków",
    "Łódź",
    "Wrocław",
    "Poznań",
    "Gdańsk",
    "Szczecin",
    "Bydgoszcz",
    "Lublin",
    "Białystok",
    "Katowice",
    "Gdynia",
    "Częstochowa",
    "Radom",
    "Toruń",
    "Rzeszów",
];
const STREETS: &[&str] = &[
    "Długa",
    "Krótka",
    "Polna",
    "Leśna",
    "Słoneczna",
    "Kwiatowa",
    "Szkolna",
    "Ogrodowa",
    "Lipowa",
    "Brzozowa",
    "Łąkowa",
    "Kościuszki",
    "Mickiewicza",
    "Sienkiewicza",
];

/// The phone number of sample contact `n` (unique below 10^8).
pub fn phone(n: u64) -> String {
    format!("+485{:08}", n % 100_000_000)
}

/// Sample contact `n`: a person (every tenth a company) with a phone, an e-mail,
/// an address and, for every third, a PESEL.
pub fn contact(n: u64) -> ContactData {
    let pick = |list: &[&'static str], salt: u64| {
        list[((n.wrapping_mul(2654435761) >> 7) ^ salt) as usize % list.len()]
    };
    let first = pick(FIRST, 0);
    let mut last = pick(LAST, 13).to_string();
    if first.ends_with('a') && last.ends_with("ski") {
        last = format!("{}ska", &last[..last.len() - 3]);
    }
    let company = n % 10 == 9;
    let ascii = crate::domain::words::name_words(&format!("{first} {last}")).join(".");
    ContactData {
        kind: if company {
            ContactKind::Company
        } else {
            ContactKind::Person
        },
        first_name: first.to_string(),
        last_name: last.clone(),
        company: if company {
            format!("{last} i Wspólnicy sp.j.")
        } else {
            String::new()
        },
        phones: vec![Channel {
            value: phone(n),
            for_call: true,
            for_sms: n.is_multiple_of(2),
            ..Channel::default()
        }],
        emails: vec![Channel {
            value: format!("{ascii}.{n}@example.com"),
            for_email: true,
            ..Channel::default()
        }],
        street: format!("ul. {} {}", pick(STREETS, 5), n % 120 + 1),
        postal_code: format!("{:02}-{:03}", n % 100, n % 1000),
        city: pick(CITIES, 29).to_string(),
        pesel: if n.is_multiple_of(3) {
            let month = n % 12 + 1;
            let day = n % 28 + 1;
            crate::domain::pesel::with_check_digit(&format!(
                "{:02}{month:02}{day:02}{:04}",
                50 + n % 40,
                n % 10_000
            ))
        } else {
            String::new()
        },
        notes: String::new(),
        ..ContactData::default()
    }
}

/// Adds sample contacts `start .. start + count` in one transaction; returns how many.
pub async fn insert_range(db: &Db, vault: &Vault, start: u64, count: u64) -> Result<u64, AppError> {
    let mut tx = db.begin_write().await?;
    for n in start..start + count {
        let valid = validate(&contact(n)).map_err(AppError::Validation)?;
        super::store::insert(&mut tx, vault, None, None, &valid).await?;
    }
    tx.commit().await?;
    Ok(count)
}

/// Demo contacts for trying the app, numbered after those already there.
pub async fn seed(db: &Db, vault: &Vault, count: u64) -> Result<u64, AppError> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts")
        .fetch_one(db.pool())
        .await?;
    insert_range(db, vault, existing as u64, count).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_is_valid() {
        for n in 0..2000 {
            let data = contact(n);
            assert!(validate(&data).is_ok(), "{n}: {data:?}");
        }
        assert_eq!(validate(&contact(7)).unwrap().phones[0].value, phone(7));
    }
}
