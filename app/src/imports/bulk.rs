//! Writing many rows per statement. Imports write a million contacts, each a dozen rows
//! across seven tables; one statement per row would spend the time in round trips. Ids
//! are reserved ahead (ciphertexts are bound to their row's id), integers and fixed
//! words are written inline, and only ciphertexts and tokens travel as parameters.

use sqlx::AnyConnection;

use crate::db::{Backend, Db};
use crate::error::AppError;

/// One value of a row.
pub enum Val {
    Int(i64),
    Null,
    /// A fixed word from the code (a kind, a state): never anything read from a file.
    Word(&'static str),
    Blob(Vec<u8>),
    /// Text from outside (a file's header): always a parameter.
    Text(String),
}

enum Param {
    Blob(Vec<u8>),
    Text(String),
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

/// SQLite takes up to 32,766 parameters per statement, PostgreSQL 65,535.
const MAX_PARAMS: usize = 16_000;
const MAX_ROWS: usize = 2_000;

/// Inserts the rows into `table` in as few statements as the limits allow.
pub async fn insert(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
) -> Result<(), AppError> {
    let head = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut sql = head.clone();
        let mut params: Vec<Param> = Vec::new();
        let mut count = 0;
        while let Some(row) = rows.next_if(|_| count < MAX_ROWS && params.len() < MAX_PARAMS) {
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
                    Val::Blob(b) => {
                        params.push(Param::Blob(b));
                        sql.push('$');
                        sql.push_str(&params.len().to_string());
                    }
                    Val::Text(t) => {
                        params.push(Param::Text(t));
                        sql.push('$');
                        sql.push_str(&params.len().to_string());
                    }
                }
            }
            sql.push(')');
            count += 1;
        }
        let mut query = sqlx::query(&sql).persistent(false);
        for p in params {
            query = match p {
                Param::Blob(b) => query.bind(b),
                Param::Text(t) => query.bind(t),
            };
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// `n` fresh ids of `table`, never handed out again, whoever inserts next.
pub async fn reserve_ids(db: &Db, table: &'static str, n: usize) -> Result<Vec<i64>, AppError> {
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
