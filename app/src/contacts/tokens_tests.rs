//! Tokens on both databases: a saved contact's tokens and their list, an import's staged
//! tokens (found on resume, removed with their contact, moved when it ends).

use super::bulk::{ContactRow, ContactRows};
use super::tokens::{merge, remove, staged_lookups};
use crate::ids::{ContactId, ImportId, SourceId, UserId};
use crate::test_db::{store_test, TestDb};

async fn count(t: &TestDb, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(t.db.pool())
        .await
        .unwrap()
}

const INDEXED: &str = "SELECT COUNT(*) FROM contact_index WHERE contact_id = $1";
const LISTED: &str = "SELECT COUNT(*) FROM contact_tokens WHERE contact_id = $1";
const STAGED: &str = "SELECT COUNT(*) FROM staged_tokens WHERE contact_id = $1";

async fn import(t: &TestDb) -> ImportId {
    sqlx::query(
        "INSERT INTO users (id, login, display_name, role, password_hash, password_changed_at, created_at) \
         VALUES (7, 'imp', 'Imp', 'manager', '-', 0, 0)",
    )
    .execute(t.db.pool())
    .await
    .unwrap();
    let mut tx = t.db.begin_write().await.unwrap();
    let (id, _) = crate::imports::store::create_draft(
        &mut tx,
        &t.vault,
        UserId(7),
        "lista.csv",
        crate::imports::model::FileFormat::Delimited,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Two imported contacts, as the import writes them: three tokens each, one a phone's.
async fn imported(t: &TestDb, import_id: ImportId) -> [ContactId; 2] {
    let ids = crate::bulk::reserve_ids(&t.db, "contacts", 2)
        .await
        .unwrap();
    let mut rows = ContactRows::for_import(import_id, 2);
    for id in &ids {
        let id = ContactId(*id);
        rows.contact(ContactRow {
            id,
            kind: "person",
            source_id: SourceId(1),
            user_id: None,
            at: 0,
            import_id,
            personal: vec![None; crate::contacts::store::PERSONAL.len()],
        });
        for n in 0..3u8 {
            // Tokens in different buckets, and one shared by both contacts.
            let first = if n == 2 {
                0xee
            } else {
                (id.get() as u8).wrapping_mul(31).wrapping_add(n)
            };
            rows.token(vec![first; 32], id, n == 0);
        }
    }
    let mut tx = t.db.begin_write().await.unwrap();
    rows.insert(&mut tx, t.db.backend()).await.unwrap();
    tx.commit().await.unwrap();
    [ContactId(ids[0]), ContactId(ids[1])]
}

store_test!(
    a_saved_contact_is_indexed_and_listed_at_once,
    |t| async move {
        let id = t.person("Grzegorz", "Brzęczyszczykiewicz").await;
        assert_eq!(count(&t, INDEXED, id.get()).await, 2);
        assert_eq!(count(&t, LISTED, id.get()).await, 2);
        let mut conn = t.db.pool().acquire().await.unwrap();
        remove(&mut conn, id).await.unwrap();
        assert_eq!(count(&t, INDEXED, id.get()).await, 0);
        assert_eq!(count(&t, LISTED, id.get()).await, 0);
    }
);

store_test!(
    an_import_s_tokens_wait_then_move_in_token_order,
    |t| async move {
        let import_id = import(&t).await;
        let [kept, erased] = imported(&t, import_id).await;
        for id in [kept, erased] {
            assert_eq!(
                count(&t, INDEXED, id.get()).await,
                0,
                "not found until the end"
            );
            assert_eq!(count(&t, LISTED, id.get()).await, 3);
            assert_eq!(count(&t, STAGED, id.get()).await, 3);
        }
        let mut conn = t.db.pool().acquire().await.unwrap();
        let mut lookups = Vec::new();
        staged_lookups(&mut conn, import_id, |token, id| {
            lookups.push((token.to_vec(), id))
        })
        .await
        .unwrap();
        lookups.sort();
        let mut expected: Vec<(Vec<u8>, i64)> = [kept, erased]
            .iter()
            .map(|id| (vec![(id.get() as u8).wrapping_mul(31); 32], id.get()))
            .collect();
        expected.sort();
        assert_eq!(lookups, expected, "phones and e-mails only, for a resume");

        // Erased (or changed) before the import ends: its staged tokens go with it.
        remove(&mut conn, erased).await.unwrap();
        drop(conn);
        assert_eq!(count(&t, STAGED, erased.get()).await, 0);
        assert_eq!(count(&t, LISTED, erased.get()).await, 0);

        merge(&t.db, import_id).await.unwrap();
        assert_eq!(count(&t, INDEXED, kept.get()).await, 3);
        assert_eq!(count(&t, STAGED, kept.get()).await, 0);
        assert_eq!(count(&t, INDEXED, erased.get()).await, 0);
        // Again (a resumed or second node's run): nothing left, nothing doubled.
        merge(&t.db, import_id).await.unwrap();
        assert_eq!(count(&t, INDEXED, kept.get()).await, 3);
        let shared: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contact_index WHERE token = $1")
            .bind(vec![0xeeu8; 32])
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        assert_eq!(shared, 1);
    }
);

store_test!(
    the_purge_moves_what_a_given_up_import_left,
    |t| async move {
        let import_id = import(&t).await;
        let [a, _] = imported(&t, import_id).await;
        // The import is not running (a draft here; failed or done in life).
        assert_eq!(
            crate::contacts::tokens::merge_leftovers(&t.db)
                .await
                .unwrap(),
            1
        );
        assert_eq!(count(&t, INDEXED, a.get()).await, 3);
        assert_eq!(
            crate::contacts::tokens::merge_leftovers(&t.db)
                .await
                .unwrap(),
            0
        );
    }
);
