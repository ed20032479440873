//! The search store on both databases: the capped count of results.

use super::model::{SearchFilter, SearchView};
use super::store::{count_capped, search_page};
use crate::test_db::{store_test, TestDb};

async fn contact(t: &TestDb, last_name: &str) {
    t.person("Ewa", last_name).await;
}

fn by_name(name: &str) -> SearchFilter {
    SearchFilter {
        name: name.into(),
        ..SearchFilter::default()
    }
}

store_test!(the_count_stops_at_its_cap_and_says_so, |t| async move {
    for name in ["Wąsowska", "Wąsowska", "Wąsowska", "Żółkiewska"] {
        contact(&t, name).await;
    }
    let mut conn = t.db.pool().acquire().await.unwrap();
    let filter = by_name("wąsowska");
    for (cap, expected) in [(2, (2, false)), (3, (3, true)), (10, (3, true))] {
        let got = count_capped(&mut conn, &t.vault, &filter, cap)
            .await
            .unwrap();
        assert_eq!(got, expected, "cap {cap}");
    }
    let nobody = count_capped(&mut conn, &t.vault, &by_name("Nowak"), 1)
        .await
        .unwrap();
    assert_eq!(nobody, (0, true));
    let everyone = count_capped(&mut conn, &t.vault, &SearchFilter::default(), 3)
        .await
        .unwrap();
    assert_eq!(everyone, (3, false));

    let page = search_page(&mut conn, &t.vault, &filter, &SearchView::default())
        .await
        .unwrap();
    assert_eq!(
        (page.total, page.total_exact, page.rows.len()),
        (3, true, 3)
    );
});
