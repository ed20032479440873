use crate::ids::{ImportId, SourceId};
use proptest::prelude::*;

use super::*;

fn full() -> SearchFilter {
    SearchFilter {
        name: "Łucja Nowak-Kowalska".into(),
        phone: "+48 600 100 200".into(),
        email: "a+b@example.pl".into(),
        pesel: "44051401359".into(),
        nip: "526-000-12-46".into(),
        city: "Zielona Góra".into(),
        postal_code: "65-001".into(),
        source_id: Some(SourceId(3)),
        import_id: Some(ImportId(7)),
        created_from: "2026-01-01".into(),
        created_to: "2026-03-29".into(),
        changed_from: "2026-10-25".into(),
        changed_to: "2026-12-31".into(),
        state: Some(ContactState::Restricted),
        consents: vec![(2, ConsentState::NeverAsked), (5, ConsentState::Granted)],
        marketing: Some(ConsentChannel::AutomatedCall),
        open_case: true,
        case_status: Some(CaseStatus::InProgress),
        contact_from: "2025-02-28".into(),
        contact_to: "2026-02-28".into(),
    }
}

#[test]
fn a_full_filter_survives_the_url() {
    let f = full();
    let q = f.to_query();
    assert!(
        q.starts_with("nazwa=%C5%81ucja+Nowak-Kowalska&telefon=%2B48+600"),
        "{q}"
    );
    assert!(q.contains("&zgoda_2=never&zgoda_5=granted&"), "{q}");
    assert_eq!(SearchFilter::from_query(&q), Ok(f));
    assert_eq!(
        SearchFilter::from_query(&format!("?{q}&sort=id&strona=2")).unwrap(),
        full()
    );
}

#[test]
fn empty_and_unknown() {
    assert!(SearchFilter::default().is_empty());
    assert_eq!(SearchFilter::default().to_query(), "");
    let f = SearchFilter::from_query("nazwa=&telefon=++&x=1&strona=3").unwrap();
    assert!(f.is_empty());
    assert!(!full().is_empty());
}

#[test]
fn bad_values_name_their_fields() {
    let Err(AppError::Validation(errors)) = SearchFilter::from_query(
        "telefon=12&utworzono_od=2026-02-30&stan=gone&zgoda_x=granted&zrodlo=-1&kontakt_do=1.1.2026",
    ) else {
        panic!("expected a validation error");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    for field in [
        "telefon",
        "utworzono_od",
        "stan",
        "zgoda_x",
        "zrodlo",
        "kontakt_do",
    ] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    assert!(errors
        .iter()
        .any(|e| e.field == "utworzono_od" && e.msg == Msg::ErrDate));
}

#[test]
fn warsaw_days() {
    use crate::time_fmt::format_utc;
    // Winter: local midnight is 23:00 UTC the day before.
    assert_eq!(
        format_utc(warsaw_day_start_ms("2026-01-15").unwrap()),
        "2026-01-14 23:00 UTC"
    );
    // 2026-03-29 is the spring change day: its midnight is still winter time.
    assert_eq!(
        format_utc(warsaw_day_start_ms("2026-03-29").unwrap()),
        "2026-03-28 23:00 UTC"
    );
    assert_eq!(
        format_utc(warsaw_day_start_ms("2026-03-30").unwrap()),
        "2026-03-29 22:00 UTC"
    );
    // 2026-10-25 is the autumn change day: its midnight is still summer time.
    assert_eq!(
        format_utc(warsaw_day_start_ms("2026-10-25").unwrap()),
        "2026-10-24 22:00 UTC"
    );
    assert_eq!(
        format_utc(warsaw_day_start_ms("2026-10-26").unwrap()),
        "2026-10-25 23:00 UTC"
    );
    assert_eq!(
        warsaw_day_end_ms("2026-03-29").unwrap() - warsaw_day_start_ms("2026-03-29").unwrap(),
        23 * 3_600_000
    );
    assert_eq!(
        format_utc(warsaw_day_end_ms("2026-12-31").unwrap()),
        "2026-12-31 23:00 UTC"
    );
    assert_eq!(warsaw_day_start_ms("2026-02-29"), None);
    assert_eq!(warsaw_day_start_ms("29.02.2024"), None);
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        (1990u32..2040, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
    ]
}

fn text() -> impl Strategy<Value = String> {
    // Any single-line text, trimmed the way the form's values are.
    "[ a-zA-Z0-9ąęłńóśźżĄĘŁŃÓŚŹŻ&=+%?#/.,'\"-]{0,30}".prop_map(|s| s.trim().to_string())
}

fn filter() -> impl Strategy<Value = SearchFilter> {
    let contact_state = prop::option::of(prop::sample::select(vec![
        ContactState::Active,
        ContactState::Restricted,
        ContactState::ErasurePending,
        ContactState::Erased,
    ]));
    let consents = prop::collection::btree_map(
        1i64..50,
        prop::sample::select(ConsentState::ALL.to_vec()),
        0..4,
    )
    .prop_map(|m| m.into_iter().collect::<Vec<_>>());
    (
        (text(), text(), text()),
        (
            prop::option::of(1i64..1_000_000),
            prop::option::of(1i64..1_000_000),
        ),
        (date(), date(), date(), date(), date(), date()),
        contact_state,
        consents,
        prop::option::of(prop::sample::select(MARKETING_CHANNELS.to_vec())),
        any::<bool>(),
        prop::option::of(prop::sample::select(CaseStatus::ALL.to_vec())),
    )
        .prop_map(
            |(
                (name, city, postal_code),
                (source_id, import_id),
                dates,
                state,
                consents,
                marketing,
                open_case,
                case_status,
            )| {
                SearchFilter {
                    name,
                    city,
                    postal_code,
                    source_id: source_id.map(SourceId),
                    import_id: import_id.map(ImportId),
                    created_from: dates.0,
                    created_to: dates.1,
                    changed_from: dates.2,
                    changed_to: dates.3,
                    contact_from: dates.4,
                    contact_to: dates.5,
                    state,
                    consents,
                    marketing,
                    open_case,
                    case_status,
                    ..SearchFilter::default()
                }
            },
        )
}

proptest! {
    #[test]
    fn to_query_and_back(f in filter()) {
        let q = f.to_query();
        prop_assert_eq!(SearchFilter::from_query(&q), Ok(f.clone()));
        prop_assert_eq!(SearchFilter::from_query(&q).map(|g| g.to_query()), Ok(q));
    }
}
