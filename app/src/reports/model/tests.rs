use super::*;

#[test]
fn a_report_survives_its_url() {
    let q = ReportQuery {
        dataset: Dataset::Consents,
        grouping: Grouping::Month,
        from: "2026-01-01".into(),
        to: "2026-11-30".into(),
        definition_id: Some(3),
        user_id: Some(UserId(7)),
        state: Some("withdrawn".into()),
        channel: Some(ConsentChannel::Email),
        columns: vec![ReportColumn::At, ReportColumn::Decision],
        ..ReportQuery::default()
    };
    let url = q.to_query();
    assert_eq!(ReportQuery::from_query(&url).unwrap(), q);
    assert!(url.starts_with("zbior=zgody&grupuj=miesiac"), "{url}");
}

#[test]
fn filters_a_dataset_ignores_are_dropped() {
    // A source filter means nothing for consent decisions; a saved report must not
    // carry it as if it narrowed the result.
    let q = ReportQuery::from_query("zbior=zgody&zrodlo=4&odbiorca=2&uzytkownik=5").unwrap();
    assert_eq!(q.source_id, None);
    assert_eq!(q.recipient_id, None);
    assert_eq!(q.user_id, Some(UserId(5)));
    let q = ReportQuery::from_query("zbior=kontakty&zrodlo=4").unwrap();
    assert_eq!(q.source_id, Some(SourceId(4)));
}

#[test]
fn another_datasets_choices_are_dropped_when_the_dataset_changes() {
    // The form right after switching from consent decisions to card reads.
    let q = ReportQuery::from_query(
        "zbior=odczyty&grupuj=zgoda&stan=granted&kanal=email&kol=decyzja&kol=kontakt",
    )
    .unwrap();
    assert_eq!(q.grouping, Grouping::None);
    assert_eq!(q.state, None);
    assert_eq!(q.channel, None);
    // Columns picked for the other dataset: this one shows all of its own.
    assert!(q.columns.is_empty());
    let q = ReportQuery::from_query("zbior=komunikacja&kanal=any").unwrap();
    assert_eq!(q.channel, None, "a communication is never on 'any' channel");
}

#[test]
fn bad_values_are_named_by_their_field() {
    for (query, field) in [
        ("zbior=nic", keys::DATASET),
        ("zbior=odczyty&grupuj=rok", keys::GROUPING),
        ("od=2026-13-01", keys::FROM),
        ("od=2026-05-02&do=2026-05-01", keys::TO),
        ("zbior=kontakty&kol=cokolwiek", keys::COLUMN),
        ("zbior=zgody&kanal=fax", keys::CHANNEL),
        ("zbior=kontakty&zrodlo=x", keys::SOURCE),
    ] {
        let Err(AppError::Validation(errors)) = ReportQuery::from_query(query) else {
            panic!("{query} should be refused");
        };
        assert!(
            errors.iter().any(|e| e.field == field),
            "{query}: {errors:?}"
        );
    }
}

#[test]
fn every_column_picked_is_no_column_picked() {
    let all: String = Dataset::Reads
        .columns()
        .iter()
        .map(|c| format!("&kol={}", c.as_str()))
        .collect();
    let q = ReportQuery::from_query(&format!("zbior=odczyty{all}")).unwrap();
    assert!(q.columns.is_empty());
    assert_eq!(q.shown_columns(), Dataset::Reads.columns());
}

#[test]
fn every_dataset_offers_time_groupings_and_its_own_filters() {
    for d in Dataset::ALL {
        let groupings = d.groupings();
        assert_eq!(groupings[0], Grouping::None);
        assert!(groupings.contains(&Grouping::Month));
        assert!(!d.columns().is_empty());
        assert!(!d.measures().is_empty());
        let has_states = !d.states().is_empty();
        assert_eq!(
            has_states,
            d.filters().contains(&FilterKind::State),
            "{d:?}"
        );
    }
}

#[test]
fn ready_made_reports_parse() {
    let ready = ready_made();
    assert_eq!(ready.len(), 5);
    for (_, query) in ready {
        ReportQuery::from_query(&query).unwrap();
    }
}
