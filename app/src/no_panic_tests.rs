//! Arbitrary text, Polish letters first among it, fed to every parser and lookup that a
//! request reaches: none may panic. A panic slicing "Wójcik" inside a character once
//! left the search page waiting forever.

use proptest::prelude::*;

use crate::contacts::model::{Channel, ContactData};

/// Text that leans on what contact centres really see: Polish letters, digits,
/// separators, '@', and any other Unicode.
fn polish_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-ZąćęłńóśźżĄĆĘŁŃÓŚŹŻ0-9 +()./@_'-]{0,40}",
        "(pl|PL|Pl)[ąółżĄÓŁŻ0-9 -]{0,15}",
        "\\PC{0,60}",
        "\\PC{0,4}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn search_and_domain_values(q in polish_text()) {
        let _ = crate::contacts::lookup::classify(&q);
        let _ = crate::domain::Email::parse(&q);
        let _ = crate::domain::Phone::parse(&q);
        let _ = crate::domain::Pesel::parse(&q);
        let _ = crate::domain::Nip::parse(&q);
        let _ = crate::domain::words::name_words(&q);
        let _ = crate::domain::text::check_plain_text(&q, 10);
        let _ = crate::domain::text::check_single_line(&q, 10);
        let _ = crate::auth::normalize_login(&q);
        let _ = crate::auth::policy::PasswordPolicy::spec().check(&q);
        let _ = crate::time_fmt::is_date(&q);
        let _ = crate::time_fmt::day_start_ms(&q);
        let _ = crate::auth::access::path::judge(&q);
        let _ = crate::imports::model::single_ascii(&q);
    }

    #[test]
    fn import_headers_and_cells(headers in proptest::collection::vec(polish_text(), 0..8), cell in polish_text()) {
        let _ = crate::imports::mapping::suggest(&headers);
        for h in &headers {
            let _ = crate::imports::mapping::fold_header(h);
        }
        let _ = crate::imports::mapping::split_full_name(&cell);
        let options = crate::imports::model::PhoneRepair::default();
        let _ = crate::imports::phone_repair::repair(&cell, &options, &|_| true);
    }

    #[test]
    fn contact_forms(first in polish_text(), last in polish_text(), phone in polish_text(),
                     email in polish_text(), pesel in polish_text(), nip in polish_text(),
                     postal in polish_text()) {
        let data = ContactData {
            first_name: first,
            last_name: last,
            phones: vec![Channel { value: phone, ..Channel::default() }],
            emails: vec![Channel { value: email, ..Channel::default() }],
            pesel,
            nip,
            postal_code: postal,
            ..ContactData::default()
        };
        let _ = crate::contacts::validate::validate(&data);
    }
}
