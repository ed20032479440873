//! Writing many rows per statement. Imports write a million contacts, each a dozen rows
//! across seven tables; one statement per row would spend the time in round trips. Each
//! feature's store builds the rows of its own tables (`contacts::bulk`,
//! `consents::bulk`, …) with the column list beside the row; this module only writes. Ids
//! are reserved ahead (ciphertexts are bound to their row's id) and every value is
//! written inline as a literal: SQLite looks a numbered parameter up by a linear scan,
//! so thousands of `$n` in one statement cost quadratic time (measured: 40% of an
//! import). Ciphertexts and tokens become hex blob literals; text is quoted.

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

/// Text as a standard SQL string literal (PostgreSQL's standard_conforming_strings is on
/// by default, so a backslash is an ordinary character in both).
pub fn text_literal(text: &str, out: &mut String) {
    out.push('\'');
    for c in text.chars().filter(|c| !c.is_control()) {
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
/// writer's turn on SQLite) per many batches, not three per batch.
pub struct IdPool {
    table: &'static str,
    free: std::collections::VecDeque<i64>,
}

const ID_BLOCK: usize = 20_000;

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
}
