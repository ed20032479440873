//! Suggesting where each file column goes, from its header in Polish or English, and
//! applying a saved template to a file whose columns come in another order.

use super::model::{MappingTemplate, Target};
use crate::domain::words::name_words;

/// A header as it is compared: folded words joined without spaces ("Nr telefonu" →
/// "nrtelefonu", "E-mail" → "email").
pub fn fold_header(header: &str) -> String {
    name_words(header).concat()
}

const EXACT: &[(&str, Target)] = &[
    ("imie", Target::FirstName),
    ("firstname", Target::FirstName),
    ("givenname", Target::FirstName),
    ("nazwisko", Target::LastName),
    ("lastname", Target::LastName),
    ("surname", Target::LastName),
    ("familyname", Target::LastName),
    ("imieinazwisko", Target::FullName),
    ("nazwiskoiimie", Target::FullName),
    ("name", Target::FullName),
    ("fullname", Target::FullName),
    ("osoba", Target::FullName),
    ("klient", Target::FullName),
    ("kontakt", Target::FullName),
    ("contactname", Target::FullName),
    ("firma", Target::Company),
    ("nazwafirmy", Target::Company),
    ("company", Target::Company),
    ("companyname", Target::Company),
    ("organizacja", Target::Company),
    ("organization", Target::Company),
    ("ulica", Target::Street),
    ("ulicainumer", Target::Street),
    ("adres", Target::Street),
    ("street", Target::Street),
    ("address", Target::Street),
    ("kod", Target::PostalCode),
    ("kodpocztowy", Target::PostalCode),
    ("postalcode", Target::PostalCode),
    ("postcode", Target::PostalCode),
    ("zip", Target::PostalCode),
    ("zipcode", Target::PostalCode),
    ("miasto", Target::City),
    ("miejscowosc", Target::City),
    ("city", Target::City),
    ("town", Target::City),
    ("pesel", Target::Pesel),
    ("nip", Target::Nip),
    ("vat", Target::Nip),
    ("vatid", Target::Nip),
    ("taxid", Target::Nip),
    ("uwagi", Target::Notes),
    ("notatki", Target::Notes),
    ("notes", Target::Notes),
    ("komentarz", Target::Notes),
    ("comment", Target::Notes),
    ("opis", Target::Notes),
];

fn suggest_one(header: &str) -> Target {
    let folded = fold_header(header);
    if folded.is_empty() {
        return Target::Skip;
    }
    if let Some((_, target)) = EXACT.iter().find(|(h, _)| *h == folded) {
        return *target;
    }
    if folded.contains("mail") {
        Target::Email
    } else if folded.starts_with("tel")
        || folded.contains("telefon")
        || folded.contains("phone")
        || folded.contains("komork")
        || folded.contains("mobile")
        || folded == "gsm"
    {
        Target::Phone
    } else {
        Target::Skip
    }
}

/// One target per header; a single-valued target goes to its first column only.
pub fn suggest(headers: &[String]) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::with_capacity(headers.len());
    for header in headers {
        let target = suggest_one(header);
        let taken = !target.repeatable() && out.contains(&target);
        out.push(if taken { Target::Skip } else { target });
    }
    let split = out.contains(&Target::FirstName) || out.contains(&Target::LastName);
    if split {
        for t in out.iter_mut().filter(|t| **t == Target::FullName) {
            *t = Target::Skip;
        }
    }
    out
}

/// A template's targets for these headers; columns it does not know are skipped.
pub fn apply_template(template: &MappingTemplate, headers: &[String]) -> Vec<Target> {
    headers
        .iter()
        .map(|h| {
            let folded = fold_header(h);
            template
                .columns
                .iter()
                .find(|(c, _)| *c == folded)
                .map_or(Target::Skip, |(_, t)| *t)
        })
        .collect()
}

/// "Kowalski Jan" or "Jan Kowalski": the last word is taken as the surname unless the
/// name has a comma ("Kowalski, Jan").
pub fn split_full_name(full: &str) -> (String, String) {
    let full = full.trim();
    if let Some((last, first)) = full.split_once(',') {
        return (first.trim().to_string(), last.trim().to_string());
    }
    match full.rsplit_once(char::is_whitespace) {
        Some((first, last)) => (first.trim().to_string(), last.trim().to_string()),
        None => (String::new(), full.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn polish_and_english_headers_are_recognised() {
        let got = suggest(&headers(&[
            "Imię",
            "NAZWISKO",
            "Nr telefonu",
            "Tel. komórkowy",
            "Adres e-mail",
            "Kod pocztowy",
            "Miejscowość",
            "Uwagi",
            "Zupełnie coś innego",
        ]));
        assert_eq!(
            got,
            vec![
                Target::FirstName,
                Target::LastName,
                Target::Phone,
                Target::Phone,
                Target::Email,
                Target::PostalCode,
                Target::City,
                Target::Notes,
                Target::Skip
            ]
        );
        let english = suggest(&headers(&[
            "Name",
            "Company",
            "Phone number",
            "E-mail",
            "City",
        ]));
        assert_eq!(
            english,
            vec![
                Target::FullName,
                Target::Company,
                Target::Phone,
                Target::Email,
                Target::City
            ]
        );
    }

    #[test]
    fn a_second_column_for_a_single_field_is_skipped() {
        assert_eq!(
            suggest(&headers(&["Miasto", "City"])),
            vec![Target::City, Target::Skip]
        );
        assert_eq!(
            suggest(&headers(&["Imię", "Name"])),
            vec![Target::FirstName, Target::Skip]
        );
    }

    #[test]
    fn a_template_follows_headers_in_any_order() {
        let template = MappingTemplate {
            id: 1,
            name: "Targi".into(),
            columns: vec![
                ("telefon".into(), Target::Phone),
                ("klientka".into(), Target::FullName),
            ],
        };
        assert_eq!(
            apply_template(&template, &headers(&["Klientka", "Inne", "TELEFON"])),
            vec![Target::FullName, Target::Skip, Target::Phone]
        );
    }

    #[test]
    fn full_names_split_into_first_and_last() {
        assert_eq!(
            split_full_name("Jan Maria Kowalski"),
            ("Jan Maria".into(), "Kowalski".into())
        );
        assert_eq!(
            split_full_name("Kowalska, Anna"),
            ("Anna".into(), "Kowalska".into())
        );
        assert_eq!(split_full_name("Nowak"), (String::new(), "Nowak".into()));
    }
}
