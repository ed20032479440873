//! The stored file read back as records, on a blocking thread: sealed pieces fetched
//! from the database one at a time (so memory stays flat whatever the file's size),
//! decoded, and split by the delimited reader or the XLSX reader.

use crate::ids::ImportId;
use std::io::Read;
use std::sync::mpsc::{sync_channel, Receiver};

use tokio::runtime::Handle;

use super::delimited::{DelimitedReader, Record};
use super::model::{single_ascii, FileFormat, ImportSettings};
use super::xlsx::{read_rows, XlsxError};
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::vault::DataKey;

/// The upload is stored in pieces of this size.
pub const CHUNK_BYTES: usize = 1024 * 1024;

/// `Read` over the import's sealed pieces; must run outside the async runtime.
pub struct ChunkReader {
    handle: Handle,
    db: Db,
    key: DataKey,
    import_id: ImportId,
    next_seq: i64,
    piece: Vec<u8>,
    pos: usize,
    done: bool,
}

impl ChunkReader {
    pub fn new(handle: Handle, db: Db, key: DataKey, import_id: ImportId) -> Self {
        Self {
            handle,
            db,
            key,
            import_id,
            next_seq: 0,
            piece: Vec::new(),
            pos: 0,
            done: false,
        }
    }

    fn fetch(&mut self) -> Result<Option<Vec<u8>>, AppError> {
        let (db, key, id, seq) = (&self.db, &self.key, self.import_id, self.next_seq);
        self.handle.block_on(async move {
            let mut conn = db.pool().acquire().await?;
            Ok(super::store::read_chunk(&mut conn, key, id, seq).await?)
        })
    }
}

impl Read for ChunkReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.piece.len() {
            if self.done {
                return Ok(0);
            }
            match self.fetch() {
                Ok(Some(piece)) => {
                    self.piece = piece;
                    self.pos = 0;
                    self.next_seq += 1;
                }
                Ok(None) => self.done = true,
                Err(_) => return Err(std::io::Error::other("reading the stored file failed")),
            }
        }
        let n = buf.len().min(self.piece.len() - self.pos);
        buf[..n].copy_from_slice(&self.piece[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Records of either kind of file.
pub enum Records {
    Delimited(Box<DelimitedReader<Box<dyn Read + Send>>>),
    Xlsx(Receiver<Result<Record, XlsxError>>),
}

impl Records {
    pub fn open(
        source: Box<dyn Read + Send>,
        format: FileFormat,
        settings: &ImportSettings,
    ) -> Result<Self, Msg> {
        match format {
            FileFormat::Delimited => {
                let delimiter = single_ascii(&settings.delimiter).unwrap_or(b';');
                let quote = single_ascii(&settings.quote).unwrap_or(b'"');
                Ok(Records::Delimited(Box::new(DelimitedReader::new(
                    source,
                    settings.encoding,
                    delimiter,
                    quote,
                ))))
            }
            FileFormat::Xlsx => {
                let mut source = source;
                let mut bytes = Vec::new();
                source
                    .read_to_end(&mut bytes)
                    .map_err(|_| Msg::ErrImportFailed)?;
                // Each record may hold up to twice MAX_RECORD (its cells and its raw
                // text): a short queue keeps the reader ahead without piling them up.
                let (tx, rows) = sync_channel(64);
                std::thread::spawn(move || {
                    let failure = tx.clone();
                    if let Err(e) = read_rows(bytes, &mut |r| tx.send(Ok(r)).is_ok()) {
                        let _ = failure.send(Err(e));
                    }
                });
                Ok(Records::Xlsx(rows))
            }
        }
    }

    pub fn next_record(&mut self) -> Result<Option<Record>, Msg> {
        match self {
            Records::Delimited(reader) => reader.next_record().map_err(|_| Msg::ErrImportFailed),
            Records::Xlsx(rows) => match rows.recv() {
                Ok(Ok(r)) => Ok(Some(r)),
                Ok(Err(XlsxError::TooLarge)) => Err(Msg::ErrImportXlsxTooLarge),
                Ok(Err(XlsxError::NotXlsx)) => Err(Msg::ErrImportNotXlsx),
                Err(_) => Ok(None),
            },
        }
    }

    /// Bytes of the file behind the records read (0 for XLSX, read whole).
    pub fn bytes_read(&self) -> u64 {
        match self {
            Records::Delimited(reader) => reader.bytes_read(),
            Records::Xlsx(_) => 0,
        }
    }
}
