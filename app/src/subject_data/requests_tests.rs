//! Requests for a copy on both databases: one open request per kind, a month to answer,
//! delivered by the copy handed out, refused for an erased person.

use super::model::AccessKind;
use super::requests::{deliver, of_contact, record};
use crate::ids::{ContactId, UserId};
use crate::store_error::StoreError;
use crate::test_db::{store_test, TestDb};
use crate::time_fmt::{add_months, day_start_ms};

const CONSULTANT: UserId = UserId(1);

async fn person(t: &TestDb) -> ContactId {
    t.exec(
        "INSERT INTO users (id, login, display_name, role, password_hash, password_changed_at, \
         created_at) VALUES (1, 'k', 'Konsultantka', 'consultant', '-', 0, 0) \
         ON CONFLICT (id) DO NOTHING",
    )
    .await;
    t.person("Żaneta", "Grzęda-Pawłowska").await
}

store_test!(
    a_request_is_due_in_a_month_and_delivered_by_the_copy,
    |t| async move {
        let c = person(&t).await;
        let now = day_start_ms("2026-01-31").unwrap() + 10 * 3_600_000;
        let mut conn = t.db.pool().acquire().await.unwrap();
        let first = record(&mut conn, CONSULTANT, c, AccessKind::Access, now)
            .await
            .unwrap();
        // The same kind asked again while open is the same request; the other kind is its own.
        let again = record(&mut conn, CONSULTANT, c, AccessKind::Access, now + 5)
            .await
            .unwrap();
        assert_eq!(first, again);
        record(&mut conn, CONSULTANT, c, AccessKind::Portability, now + 10)
            .await
            .unwrap();
        let list = of_contact(&mut conn, c, now).await.unwrap();
        assert_eq!(list.len(), 2);
        let access = list.iter().find(|r| r.kind == AccessKind::Access).unwrap();
        // A calendar month, clamped to February's end.
        assert_eq!(access.deadline_at, add_months(now, 1));
        assert_eq!(
            crate::time_fmt::format_utc(access.deadline_at),
            "2026-02-28 10:00 UTC"
        );
        assert_eq!(access.requested_by.as_deref(), Some("Konsultantka"));
        let late = of_contact(&mut conn, c, add_months(now, 1) + 1_000)
            .await
            .unwrap();
        assert!(late.iter().all(|r| r.overdue));

        assert_eq!(
            deliver(&mut conn, CONSULTANT, c, now + 100).await.unwrap(),
            2
        );
        let done = of_contact(&mut conn, c, add_months(now, 2)).await.unwrap();
        assert!(done
            .iter()
            .all(|r| r.delivered_at == Some(now + 100) && !r.overdue));
        // Delivered, a new request is a new one.
        let next = record(&mut conn, CONSULTANT, c, AccessKind::Access, now + 200)
            .await
            .unwrap();
        assert_ne!(next, first);
    }
);

store_test!(nobody_and_the_erased_have_no_requests, |t| async move {
    let c = person(&t).await;
    let mut conn = t.db.pool().acquire().await.unwrap();
    let missing = record(
        &mut conn,
        CONSULTANT,
        ContactId(c.get() + 1000),
        AccessKind::Access,
        1,
    )
    .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    t.exec(&format!(
        "UPDATE contacts SET state = 'erased' WHERE id = {c}"
    ))
    .await;
    let erased = record(&mut conn, CONSULTANT, c, AccessKind::Access, 1).await;
    assert!(matches!(erased, Err(StoreError::Refused(_))), "{erased:?}");
});
