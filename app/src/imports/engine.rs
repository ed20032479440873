//! Running one import: a blocking thread reads, checks and seals rows in batches; the
//! async writer stores each batch in one transaction together with the checkpoint
//! (records consumed, counters). A process killed mid-import leaves whole batches only,
//! and the next run skips the records already consumed and carries on.

use crate::ids::{DefinitionId, ImportId, UserId};
use std::sync::Arc;

use sqlx::AnyConnection;
use tokio::runtime::Handle;
use tokio::sync::mpsc;

use super::batch::{self, Batch, BatchContext, InFlight};
use super::model::ImportSettings;
use super::phone_repair::libphonenumber_check;
use super::prepare::{merge, prepare, RowContext};
use super::source::{ChunkReader, Records};
use super::{claims, store};
use crate::bulk::{insert, Val};
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::vault::{DataKey, Vault};

/// Rows per batch and transaction.
pub const BATCH_ROWS: usize = 1_000;

/// Everything both halves of a run need.
struct Job {
    db: Db,
    vault: Arc<Vault>,
    import_id: ImportId,
    owner: String,
    key: DataKey,
    settings: ImportSettings,
    format: super::model::FileFormat,
    user_id: UserId,
    /// (definition, statement version) granted by every imported person.
    consents: Vec<(DefinitionId, i64)>,
    resume_from: i64,
}

/// Runs (or resumes) a claimed import to its end. Returns the failure the report shows,
/// if the file could not be read through.
pub async fn run(
    db: &Db,
    vault: &Arc<Vault>,
    import_id: ImportId,
    owner: &str,
) -> Result<Option<Msg>, AppError> {
    run_batches(db, vault, import_id, owner, None).await
}

/// `run`, stopping without finishing after `stop_after` batches: what a process killed
/// mid-import leaves behind (tests and benchmarks use it to prove the resume).
#[tracing::instrument(skip_all, fields(import_id = import_id.get()))]
pub async fn run_batches(
    db: &Db,
    vault: &Arc<Vault>,
    import_id: ImportId,
    owner: &str,
    stop_after: Option<usize>,
) -> Result<Option<Msg>, AppError> {
    let mut conn = db.pool().acquire().await?;
    let stored = store::stored(&mut conn, import_id).await?;
    let Some(settings) = stored.settings.clone() else {
        claims::finish(db, import_id, owner, Some(Msg::ErrImportFailed)).await?;
        return Ok(Some(Msg::ErrImportFailed));
    };
    let Some(key) = store::load_key(&mut conn, vault, import_id).await? else {
        claims::finish(db, import_id, owner, Some(Msg::ErrImportFailed)).await?;
        return Ok(Some(Msg::ErrImportFailed));
    };
    let consents = consent_versions(&mut conn, &settings.consents).await?;
    drop(conn);
    let job = Arc::new(Job {
        db: db.clone(),
        vault: vault.clone(),
        import_id,
        owner: owner.to_string(),
        key,
        format: stored.format,
        user_id: stored.created_by.unwrap_or_default(),
        consents,
        resume_from: stored.rows_done,
        settings,
    });
    let (tx, mut rx) = mpsc::channel::<Result<Batch, Msg>>(1);
    let reader_job = job.clone();
    let handle = Handle::current();
    let reader = tokio::task::spawn_blocking(move || read(reader_job, handle, tx));
    let mut failure = None;
    let mut written = 0;
    let mut writer = Writer::open(db).await?;
    while let Some(item) = rx.recv().await {
        if stop_after.is_some_and(|n| written >= n) {
            drop(rx);
            let _ = reader.await;
            let committed = writer.commit().await;
            writer.close().await;
            committed?;
            return Ok(None);
        }
        match item {
            Ok(batch) => {
                // Nothing else ready: commit now rather than hold the writer's turn
                // while the reader (which may need the turn to reserve ids) works.
                let idle = rx.is_empty();
                if let Err(e) = write(&job, &mut writer, batch, idle).await {
                    writer.close().await;
                    return Err(e);
                }
                written += 1;
            }
            Err(msg) => {
                failure = Some(msg);
                break;
            }
        }
    }
    drop(rx);
    let _ = reader.await;
    let committed = writer.commit().await;
    writer.close().await;
    committed?;
    let still_ours = claims::finish(db, import_id, owner, failure).await?;
    tracing::info!(failed = failure.is_some(), still_ours, "import finished");
    Ok(failure)
}

/// The active consents among those chosen, with the statement version now in force.
async fn consent_versions(
    conn: &mut AnyConnection,
    ids: &[DefinitionId],
) -> Result<Vec<(DefinitionId, i64)>, AppError> {
    let mut out = Vec::new();
    for id in ids {
        let version: Option<i64> = sqlx::query_scalar(
            "SELECT v.id FROM consent_definitions d JOIN consent_versions v \
             ON v.definition_id = d.id AND v.version = d.version WHERE d.id = $1 AND d.active = 1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(v) = version {
            out.push((*id, v));
        }
    }
    Ok(out)
}

/// The reading half, on a blocking thread.
fn read(job: Arc<Job>, handle: Handle, tx: mpsc::Sender<Result<Batch, Msg>>) {
    if let Err(msg) = read_batches(&job, &handle, &tx) {
        let _ = tx.blocking_send(Err(msg));
    }
}

fn read_batches(
    job: &Job,
    handle: &Handle,
    tx: &mpsc::Sender<Result<Batch, Msg>>,
) -> Result<(), Msg> {
    let source = ChunkReader::new(
        handle.clone(),
        job.db.clone(),
        job.key.clone(),
        job.import_id,
    );
    let mut records = Records::open(Box::new(source), job.format, &job.settings)?;
    let mut consumed: i64 = 0;
    let headers = if job.settings.has_header {
        let header = records.next_record()?;
        consumed += 1;
        header.map(|h| h.cells)
    } else {
        None
    };
    while consumed < job.resume_from {
        if records.next_record()?.is_none() {
            break;
        }
        consumed += 1;
    }
    let check = |e164: &str| libphonenumber_check(e164);
    let ctx = RowContext {
        settings: &job.settings,
        columns: RowContext::column_names(
            headers.as_deref(),
            job.settings.mapping.len().max(1) + 50,
        ),
        check: &check,
    };
    let batch_ctx = BatchContext {
        db: &job.db,
        vault: &job.vault,
        duplicates: job.settings.duplicates,
        consents: job.consents.len(),
    };
    let mut in_flight = InFlight::default();
    if job.resume_from > 0 {
        handle
            .block_on(in_flight.resume(&job.db, job.import_id))
            .map_err(|_| Msg::ErrImportFailed)?;
    }
    loop {
        let mut rows = Vec::with_capacity(BATCH_ROWS);
        while rows.len() < BATCH_ROWS {
            let Some(record) = records.next_record()? else {
                break;
            };
            consumed += 1;
            let outcome = prepare(&record, &ctx);
            rows.push(batch::Read {
                line: record.line,
                raw: record.raw,
                outcome,
            });
        }
        if rows.is_empty() {
            return Ok(());
        }
        let bytes = records.bytes_read() as i64;
        let built = handle.block_on(batch::build(
            &batch_ctx,
            rows,
            &mut in_flight,
            consumed,
            bytes,
        ));
        let batch = built.map_err(|_| Msg::ErrImportFailed)?;
        if tx.blocking_send(Ok(batch)).is_err() {
            // The writer stopped (lost the import to another node, or failed).
            return Ok(());
        }
    }
}

/// The writer's own connection. On SQLite it gets a large page cache and rarer WAL
/// checkpoints while the import runs, so the pages a batch appends to (the tables' last
/// pages, and one per bucket of staged tokens) stay in memory between commits. Both
/// settings go back to the defaults before the connection returns. The blind-index
/// tokens are staged and reach `contact_index` when the import ends
/// (`contacts::tokens::merge`): inserted one by one they touched a random page each.
///
/// Several batches share one transaction (up to `GROUP` of them, or a second's worth):
/// each commit writes every page it dirtied to the WAL.
struct Writer {
    conn: sqlx::pool::PoolConnection<sqlx::Any>,
    sqlite: bool,
    /// Open transaction: this process's writer turn (SQLite), when it began, batches in it.
    open: Option<(
        Option<tokio::sync::OwnedMutexGuard<()>>,
        std::time::Instant,
        usize,
    )>,
}

/// Batches per transaction at most.
pub const GROUP: usize = 8;
const GROUP_TIME: std::time::Duration = std::time::Duration::from_secs(1);

/// Appends need little cache; 96 MB (when tokens were inserted at random) now only
/// raised the peak memory of a million-row import past 300 MB.
const WRITER_CACHE_KIB: i64 = 32 * 1024;

impl Writer {
    async fn open(db: &Db) -> Result<Self, AppError> {
        let mut conn = db.pool().acquire().await?;
        let sqlite = db.backend() == crate::db::Backend::Sqlite;
        if sqlite {
            sqlx::query(&format!("PRAGMA cache_size = -{WRITER_CACHE_KIB}"))
                .execute(&mut *conn)
                .await?;
            sqlx::query("PRAGMA wal_autocheckpoint = 16384")
                .execute(&mut *conn)
                .await?;
            // Every id and reference in a batch is Zgoda's own (reserved ids, the chosen
            // source and consents, checked before queueing): the per-row foreign-key
            // lookups are skipped while the import writes.
            sqlx::query("PRAGMA foreign_keys = OFF")
                .execute(&mut *conn)
                .await?;
        }
        Ok(Self {
            conn,
            sqlite,
            open: None,
        })
    }

    async fn begin(&mut self, db: &Db) -> Result<(), AppError> {
        if self.open.is_none() {
            let turn = db.write_turn().await;
            sqlx::query("BEGIN").execute(&mut *self.conn).await?;
            self.open = Some((turn, std::time::Instant::now(), 0));
        }
        Ok(())
    }

    /// Counts a written batch; commits when the group is full or old enough.
    async fn written(&mut self, idle: bool) -> Result<(), AppError> {
        let full = match &mut self.open {
            Some((_, since, batches)) => {
                *batches += 1;
                idle || *batches >= GROUP || since.elapsed() >= GROUP_TIME
            }
            None => false,
        };
        if full {
            self.commit().await?;
        }
        Ok(())
    }

    async fn commit(&mut self) -> Result<(), AppError> {
        if let Some((turn, _, _)) = self.open.take() {
            sqlx::query("COMMIT").execute(&mut *self.conn).await?;
            drop(turn);
        }
        Ok(())
    }

    async fn close(mut self) {
        if self.open.take().is_some()
            && sqlx::query("ROLLBACK")
                .execute(&mut *self.conn)
                .await
                .is_err()
        {
            self.conn.close_on_drop();
            return;
        }
        if self.sqlite {
            let reset = async {
                // The bulk statements prepared for the import are not the pool's business.
                sqlx::Connection::clear_cached_statements(&mut *self.conn).await?;
                sqlx::query("PRAGMA cache_size = -2000")
                    .execute(&mut *self.conn)
                    .await?;
                sqlx::query("PRAGMA foreign_keys = ON")
                    .execute(&mut *self.conn)
                    .await?;
                sqlx::query("PRAGMA wal_autocheckpoint = 1000")
                    .execute(&mut *self.conn)
                    .await
            };
            if reset.await.is_err() {
                // A connection that kept the large cache must not go back to the pool.
                self.conn.close_on_drop();
            }
        }
    }
}

/// The writing half: each batch with its checkpoint, in the writer's transaction.
async fn write(job: &Job, writer: &mut Writer, batch: Batch, idle: bool) -> Result<(), AppError> {
    let now = now_ms();
    writer.begin(&job.db).await?;
    let conn: &mut AnyConnection = &mut writer.conn;
    let mut counters = batch.counters;
    let mut rejects = batch.rejects;
    counters.consents += (batch.new.len() * job.consents.len()) as i64;
    store_new(conn, job, batch.new, now).await?;
    for update in batch.updates {
        match apply_update(conn, job, &update, now).await? {
            Ok(granted) => {
                counters.updated += 1;
                counters.consents += granted;
            }
            Err(notes) => {
                counters.rejected += 1;
                rejects.extend(notes.into_iter().map(|(column, reason)| batch::Reject {
                    line: update.line,
                    note: super::prepare::Note { column, reason },
                    imported: false,
                    raw: None,
                }));
            }
        }
    }
    let rejects: Vec<Vec<Val>> = rejects
        .into_iter()
        .map(|r| {
            let row_ref: i64 = rand::Rng::gen_range(&mut rand::thread_rng(), 1..i64::MAX);
            vec![
                job.import_id.into(),
                Val::Int(r.line),
                Val::Text(r.note.column),
                Val::Text(r.note.reason.key().to_string()),
                Val::Int(i64::from(r.imported)),
                Val::Int(row_ref),
                r.raw
                    .map(|raw| {
                        job.key.seal_text(
                            crate::vault::Place::new(store::REJECTS, "raw", row_ref),
                            &raw,
                        )
                    })
                    .into(),
            ]
        })
        .collect();
    insert(
        conn,
        job.db.backend(),
        "import_rejects",
        &[
            "import_id",
            "row_no",
            "column_name",
            "reason",
            "imported",
            "row_ref",
            "raw",
        ],
        rejects,
    )
    .await?;
    claims::checkpoint(
        conn,
        job.import_id,
        &job.owner,
        batch.rows_done,
        batch.bytes_done,
        &counters,
        now,
    )
    .await?;
    writer.written(idle).await
}

async fn store_new(
    conn: &mut AnyConnection,
    job: &Job,
    new: Vec<batch::NewContact>,
    now: i64,
) -> Result<(), AppError> {
    use crate::consents::bulk::{GrantRows, ImportGrant};
    use crate::contacts::bulk::{ChannelRow, ContactRow, ContactRows};
    if new.is_empty() {
        return Ok(());
    }
    let backend = job.db.backend();
    let user_id = Some(job.user_id).filter(|u| u.get() > 0);
    let source_id = job.settings.source_id;
    let import_id = job.import_id;
    // Each table's row is built by the feature that owns the table.
    let mut contacts = ContactRows::for_import(import_id, new.len());
    let mut keys = crate::vault::store::KeyRows::default();
    let mut history = crate::history::store::ImportHistoryRows::default();
    let mut grants = GrantRows::default();
    let sealed_under = new[0].master_id;
    let mut data_keys = Vec::with_capacity(new.len());
    for c in new {
        data_keys.push((c.id, c.key));
        contacts.contact(ContactRow {
            id: c.id,
            kind: c.kind,
            source_id,
            user_id,
            at: now,
            import_id,
            personal: c.personal,
        });
        keys.key(c.id, c.master_id, c.wrapped_key, now);
        for (position, ch) in c.channels.into_iter().enumerate() {
            contacts.channel(ChannelRow {
                id: ch.id,
                contact_id: c.id,
                kind: ch.kind,
                value: ch.value,
                call: ch.call,
                sms: ch.sms,
                email: ch.email,
                position: position as i64,
                at: now,
                flagged: ch.flagged,
            });
        }
        for (token, lookup) in c.tokens {
            contacts.token(token, c.id, lookup);
        }
        history.created(c.id, source_id, user_id, now, import_id);
        for ((definition_id, version_id), event_id) in job.consents.iter().zip(&c.event_ids) {
            grants.grant(ImportGrant {
                event_id: *event_id,
                contact_id: c.id,
                definition_id: *definition_id,
                version_id: *version_id,
                user_id,
                at: now,
                import_id,
            });
        }
    }
    contacts.insert(conn, backend).await?;
    keys.insert(conn, backend).await?;
    // Sealed on the reading thread, maybe before a rotation retired that master key:
    // confirmed in this transaction (which a retirement then waits for), or re-wrapped.
    if !crate::vault::epochs::may_wrap(conn, sealed_under).await? {
        crate::vault::store::rewrap_new(conn, &job.vault, &data_keys).await?;
    }
    drop(data_keys);
    history.insert(conn, backend).await?;
    grants.insert(conn, backend).await.map_err(AppError::from)
}

/// "Update" for a duplicate: the file's values merged into the stored contact, each
/// changed field in its history with the import as source, and the import's consents
/// recorded only where the person has made no decision (a withdrawal is never undone
/// by a file). `Err` holds why the merged contact could not be saved.
async fn apply_update(
    conn: &mut AnyConnection,
    job: &Job,
    update: &batch::Update,
    now: i64,
) -> Result<Result<i64, Vec<(String, Msg)>>, AppError> {
    use crate::history::{store::Change, values_of};
    let (card, key) = crate::contacts::store::load(conn, &job.vault, update.contact_id).await?;
    let Some(key) = key else {
        return Ok(Err(vec![(String::new(), Msg::ErrImportErasedBefore)]));
    };
    // Restricted (or waiting for erasure) since the batch was decided: the row is
    // skipped with the reason that holds now.
    match card.state {
        crate::contacts::ContactState::Active => {}
        crate::contacts::ContactState::Restricted => {
            return Ok(Err(vec![(String::new(), Msg::ErrImportRestricted)]))
        }
        _ => return Ok(Err(vec![(String::new(), Msg::ErrImportErasurePending)])),
    }
    let merged = merge(&card.data, &update.valid.to_data());
    let valid = match crate::contacts::validate::validate(&merged) {
        Ok(v) => v,
        Err(errors) => {
            return Ok(Err(errors
                .into_iter()
                .map(|e| (String::new(), e.msg))
                .collect()))
        }
    };
    let saved = crate::contacts::store::update(
        conn,
        &job.vault,
        &key,
        job.user_id,
        update.contact_id,
        card.version,
        &valid,
    )
    .await;
    match saved {
        Ok(()) => {}
        // Restricted between the read above and this write: one row skipped, not the chunk.
        Err(crate::store_error::StoreError::Refused(
            crate::store_error::Refusal::ContactRestricted,
        )) => return Ok(Err(vec![(String::new(), Msg::ErrImportRestricted)])),
        Err(e) => return Err(e.into()),
    }
    let reason = format!("Import #{}", job.import_id);
    let change = Change {
        contact_id: update.contact_id,
        user_id: Some(job.user_id).filter(|u| u.get() > 0),
        source_id: job.settings.source_id,
        reason: &reason,
        import_id: Some(job.import_id),
    };
    crate::history::store::record(
        conn,
        &key,
        &change,
        &values_of(&card.data),
        &values_of(&valid.to_data()),
    )
    .await?;
    let granted = crate::consents::bulk::grant_undecided(
        conn,
        update.contact_id,
        &job.consents,
        Some(job.user_id).filter(|u| u.get() > 0),
        now,
        job.import_id,
    )
    .await?;
    Ok(Ok(granted))
}
