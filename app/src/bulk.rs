//! Writing many rows per statement. Imports write a million contacts, each a dozen rows
//! across seven tables; one statement per row would spend the time in round trips. Each
//! feature's store builds the rows of its own tables (`contacts::bulk`,
//! `consents::bulk`, …) with the column list beside the row; this module only writes. Ids
//! are reserved ahead (ciphertexts are bound to their row's id). On SQLite the values
//! are bound to `?` parameters of a statement prepared once per table and row count;
//! `$n` parameters would not do: SQLite looks each up by name with a linear scan, so
//! thousands in one statement cost quadratic time (measured: 40% of an import). On
//! PostgreSQL every value is written inline as a literal (hex blob literals, quoted text).

use crate::store_error::StoreError;
use sqlx::AnyConnection;

use crate::db::{Backend, Db};

/// One value of a row.
pub enum Val {
    Int(i64),
    Null,
    /// A fixed word from the code (a kind, a state): never anything read from a file.
    Word(&'static str),
    Blob(Vec<u8>),
    /// Text from outside (a file's header): quoted, control characters dropped.
    Text(String),
}

/// A blob as a literal of the backend's SQL.
pub fn blob_literal(backend: Backend, bytes: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2 + 12);
    out.push_str(match backend {
        Backend::Sqlite => "X'",
        Backend::Postgres => "'\\x",
    });
    for b in bytes {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out.push_str(match backend {
        Backend::Sqlite => "'",
        Backend::Postgres => "'::bytea",
    });
}

/// Text from outside without its control characters, bound or written as a literal alike.
fn printable(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter(|c| !c.is_control())
}

/// Text as a standard SQL string literal (PostgreSQL's standard_conforming_strings is on
/// by default, so a backslash is an ordinary character in both).
pub fn text_literal(text: &str, out: &mut String) {
    out.push('\'');
    for c in printable(text) {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
}

impl From<Option<Vec<u8>>> for Val {
    fn from(v: Option<Vec<u8>>) -> Self {
        v.map_or(Val::Null, Val::Blob)
    }
}

impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Val::Null, Val::Int)
    }
}

/// Statements stay below a few megabytes of text.
const MAX_SQL: usize = 4 * 1024 * 1024;
const MAX_ROWS: usize = 2_000;

/// Inserts the rows into `table` in as few statements as the limits allow.
pub async fn insert(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
) -> Result<(), StoreError> {
    match backend {
        Backend::Sqlite => insert_bound(conn, table, columns, rows).await,
        Backend::Postgres => insert_literal(conn, backend, table, columns, rows).await,
    }
}

/// Rows per prepared statement on SQLite (fewer for wide rows: a statement takes at most
/// 32,766 parameters).
const BOUND_ROWS: usize = 500;
const MAX_PARAMS: usize = 32_766;

/// SQLite: a prepared statement of `?` parameters per table and row count, kept in the
/// connection's statement cache, so a batch is neither written out as hex nor parsed
/// again. (`?` is numbered by position; `$n` is looked up by name, which made thousands
/// of them quadratic.)
async fn insert_bound(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
) -> Result<(), StoreError> {
    let per = BOUND_ROWS.min(MAX_PARAMS / columns.len().max(1)).max(1);
    let one = format!("({})", vec!["?"; columns.len()].join(","));
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Val>> = rows.by_ref().take(per).collect();
        // A full chunk's statement is used again; a shorter last one rarely is.
        let keep = chunk.len() == per;
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            vec![one.as_str(); chunk.len()].join(",")
        );
        let mut query = sqlx::query(&sql).persistent(keep);
        for v in chunk.into_iter().flatten() {
            query = match v {
                Val::Int(n) => query.bind(n),
                Val::Null => query.bind(None::<i64>),
                Val::Word(w) => query.bind(w),
                Val::Blob(b) => query.bind(b),
                Val::Text(t) => query.bind(printable(&t).collect::<String>()),
            };
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// PostgreSQL: values written inline as literals.
async fn insert_literal(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
) -> Result<(), StoreError> {
    let head = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut sql = head.clone();
        let mut count = 0;
        while let Some(row) = rows.next_if(|_| count < MAX_ROWS && sql.len() < MAX_SQL) {
            if count > 0 {
                sql.push(',');
            }
            sql.push('(');
            for (i, v) in row.into_iter().enumerate() {
                if i > 0 {
                    sql.push(',');
                }
                match v {
                    Val::Int(n) => sql.push_str(&n.to_string()),
                    Val::Null => sql.push_str("NULL"),
                    Val::Word(w) => {
                        debug_assert!(w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
                        sql.push('\'');
                        sql.push_str(w);
                        sql.push('\'');
                    }
                    Val::Blob(b) => blob_literal(backend, &b, &mut sql),
                    Val::Text(t) => text_literal(&t, &mut sql),
                }
            }
            sql.push(')');
            count += 1;
        }
        sqlx::query(&sql)
            .persistent(false)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Ids reserved in blocks: one reservation (a write transaction, which waits for the
/// writer's turn on SQLite, so the reading side stalls until the writer commits) per
/// hundred batches, not three per batch. Measured: 20,000 ids a block cost the import
/// 10% (docs/perf.md).
pub struct IdPool {
    table: &'static str,
    free: std::collections::VecDeque<i64>,
}

const ID_BLOCK: usize = 100_000;

impl IdPool {
    pub fn new(table: &'static str) -> Self {
        Self {
            table,
            free: Default::default(),
        }
    }

    /// `n` ids; unused ones left at the end of an import are gaps, never reused.
    pub async fn take(&mut self, db: &Db, n: usize) -> Result<Vec<i64>, StoreError> {
        if self.free.len() < n {
            let more = reserve_ids(db, self.table, n.max(ID_BLOCK)).await?;
            self.free.extend(more);
        }
        Ok(self.free.drain(..n).collect())
    }
}

/// `n` fresh ids of `table`, never handed out again, whoever inserts next.
pub async fn reserve_ids(db: &Db, table: &'static str, n: usize) -> Result<Vec<i64>, StoreError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let mut tx = db.begin_write().await?;
    let ids = match db.backend() {
        Backend::Postgres => {
            sqlx::query_scalar(&format!(
            "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)"
        ))
            .bind(n as i64)
            .fetch_all(&mut **tx)
            .await?
        }
        Backend::Sqlite => {
            // AUTOINCREMENT continues after the larger of sqlite_sequence and the highest
            // id, so moving the sequence on reserves the range for us.
            sqlx::query(
                "INSERT INTO sqlite_sequence (name, seq) SELECT $1, 0 \
                 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = $1)",
            )
            .bind(table)
            .execute(&mut **tx)
            .await?;
            let last: i64 = sqlx::query_scalar(&format!(
                "UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT COALESCE(MAX(id), 0) FROM {table})) + $1 \
                 WHERE name = $2 RETURNING seq"
            ))
            .bind(n as i64)
            .bind(table)
            .fetch_one(&mut **tx)
            .await?;
            (last - n as i64 + 1..=last).collect()
        }
    };
    tx.commit().await?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_quoted_for_each_backend() {
        let mut s = String::new();
        blob_literal(Backend::Sqlite, &[0, 0xab, 0xff], &mut s);
        assert_eq!(s, "X'00abff'");
        s.clear();
        blob_literal(Backend::Postgres, &[1, 2], &mut s);
        assert_eq!(s, "'\\x0102'::bytea");
        s.clear();
        text_literal("O'Neil\\\u{0}x", &mut s);
        assert_eq!(s, "'O''Neil\\x'");
    }

    // More rows than one statement takes, every kind of value, read back the same on
    // both databases (bound on SQLite, literals on PostgreSQL).
    crate::test_db::store_test!(rows_come_back_as_written, |t| async move {
        let blob = if t.db.backend() == Backend::Sqlite {
            "BLOB"
        } else {
            "BYTEA"
        };
        let mut conn = t.db.pool().acquire().await.unwrap();
        sqlx::query(&format!(
            "CREATE TEMPORARY TABLE probe (n BIGINT, b {blob}, t TEXT, w TEXT)"
        ))
        .execute(&mut *conn)
        .await
        .unwrap();
        let rows: Vec<Vec<Val>> = (0..1_234i64)
            .map(|n| {
                vec![
                    Val::Int(n),
                    if n % 2 == 0 {
                        Val::Blob(vec![0, 0xff, n as u8])
                    } else {
                        Val::Null
                    },
                    Val::Text(format!("O'Neil\\\u{0}{n}")),
                    Val::Word("import"),
                ]
            })
            .collect();
        insert(
            &mut conn,
            t.db.backend(),
            "probe",
            &["n", "b", "t", "w"],
            rows,
        )
        .await
        .unwrap();
        let back: Vec<(i64, Option<Vec<u8>>, String, String)> =
            sqlx::query_as("SELECT n, b, t, w FROM probe ORDER BY n")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        assert_eq!(back.len(), 1_234);
        for (n, b, text, w) in back {
            let expected = (n % 2 == 0).then(|| vec![0, 0xff, n as u8]);
            assert_eq!(b, expected);
            assert_eq!(text, format!("O'Neil\\{n}"), "control characters dropped");
            assert_eq!(w, "import");
        }
        sqlx::query("DROP TABLE probe")
            .execute(&mut *conn)
            .await
            .unwrap();
    });
}
