//! Where exported rows go: a CSV writer (RFC 4180, any delimiter, UTF-8 with BOM or
//! Windows-1250) over any `Write` (the response stream or a temporary file), or an XLSX
//! workbook in constant-memory mode (rows go to a temporary file as they come; the
//! finished workbook is zipped at the end). Text cells a spreadsheet would run as a
//! formula get a leading apostrophe in both; numbers stay numbers.

use std::io::Write;
use std::path::Path;

use bytes_buf::ByteSender;
use rust_xlsxwriter::{Workbook, XlsxError};

use super::model::{CsvEncoding, XLSX_MAX_ROWS};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::imports::download::neutralise;
use crate::imports::encoding::encode;
use crate::imports::model::TextEncoding;

/// One cell of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Number(i64),
}

pub trait Sink: Send + 'static {
    fn header(&mut self, names: &[String]) -> Result<(), AppError>;
    fn rows(&mut self, rows: &[Vec<Cell>]) -> Result<(), AppError>;
}

fn io_failed(e: std::io::Error) -> AppError {
    // A download the browser dropped ends here; it is not the server's failure, but the
    // export stops.
    tracing::info!(error = %e, "export output closed");
    AppError::Internal
}

/// CSV per RFC 4180: CRLF line ends, a field quoted when it holds the delimiter, a quote
/// or a line break, quotes doubled inside.
pub struct CsvSink<W: Write + Send + 'static> {
    out: W,
    delimiter: char,
    encoding: CsvEncoding,
    line: String,
}

impl<W: Write + Send + 'static> CsvSink<W> {
    pub fn new(mut out: W, delimiter: u8, encoding: CsvEncoding) -> Result<Self, AppError> {
        if encoding == CsvEncoding::Utf8Bom {
            // Excel reads a CSV file as UTF-8 only when it starts with the BOM.
            out.write_all(b"\xEF\xBB\xBF").map_err(io_failed)?;
        }
        Ok(Self {
            out,
            delimiter: delimiter as char,
            encoding,
            line: String::with_capacity(512),
        })
    }

    fn push_field(&mut self, text: &str) {
        let d = self.delimiter;
        if text.contains([d, '"', '\n', '\r']) {
            self.line.push('"');
            self.line.push_str(&text.replace('"', "\"\""));
            self.line.push('"');
        } else {
            self.line.push_str(text);
        }
    }

    fn end_line(&mut self) -> Result<(), AppError> {
        self.line.push_str("\r\n");
        let result = match self.encoding {
            CsvEncoding::Utf8Bom => self.out.write_all(self.line.as_bytes()),
            // Characters Windows-1250 lacks (e.g. emoji, Cyrillic) become "?".
            CsvEncoding::Windows1250 => self
                .out
                .write_all(&encode(TextEncoding::Windows1250, &self.line)),
        };
        self.line.clear();
        result.map_err(io_failed)
    }

    pub fn finish(mut self) -> Result<W, AppError> {
        self.out.flush().map_err(io_failed)?;
        Ok(self.out)
    }
}

impl<W: Write + Send + 'static> Sink for CsvSink<W> {
    fn header(&mut self, names: &[String]) -> Result<(), AppError> {
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                self.line.push(self.delimiter);
            }
            self.push_field(&neutralise(name));
        }
        self.end_line()
    }

    fn rows(&mut self, rows: &[Vec<Cell>]) -> Result<(), AppError> {
        for row in rows {
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    self.line.push(self.delimiter);
                }
                match cell {
                    Cell::Text(t) => self.push_field(&neutralise(t)),
                    Cell::Number(n) => self.line.push_str(&n.to_string()),
                }
            }
            self.end_line()?;
        }
        Ok(())
    }
}

/// An XLSX workbook of one sheet, written row by row in constant-memory mode.
pub struct XlsxSink {
    workbook: Workbook,
    row: u32,
}

fn xlsx_failed(e: XlsxError) -> AppError {
    tracing::warn!(error = %e, "writing an XLSX export failed");
    AppError::Internal
}

impl XlsxSink {
    pub fn new() -> Result<Self, AppError> {
        Self::named("Kontakty")
    }

    /// A workbook whose one sheet has this name.
    pub fn named(sheet: &str) -> Result<Self, AppError> {
        let mut workbook = Workbook::new();
        workbook
            .add_worksheet_with_constant_memory()
            .and_then(|s| s.set_name(sheet).map(|_| ()))
            .map_err(xlsx_failed)?;
        Ok(Self { workbook, row: 0 })
    }

    fn write(&mut self, cells: impl IntoIterator<Item = Cell>) -> Result<(), AppError> {
        if self.row as usize > XLSX_MAX_ROWS {
            return Err(AppError::field("format", Msg::ErrExportXlsxTooMany));
        }
        let row = self.row;
        let sheet = self.workbook.worksheet_from_index(0).map_err(xlsx_failed)?;
        for (col, cell) in cells.into_iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(t) if t.is_empty() => {}
                Cell::Text(t) => {
                    sheet
                        .write_string(row, col, neutralise(&t))
                        .map_err(xlsx_failed)?;
                }
                Cell::Number(n) => {
                    sheet
                        .write_number(row, col, n as f64)
                        .map_err(xlsx_failed)?;
                }
            }
        }
        self.row += 1;
        Ok(())
    }

    /// Zips the workbook into `path`.
    pub fn finish(mut self, path: &Path) -> Result<(), AppError> {
        self.workbook.save(path).map_err(xlsx_failed)
    }
}

impl Sink for XlsxSink {
    fn header(&mut self, names: &[String]) -> Result<(), AppError> {
        self.write(names.iter().map(|n| Cell::Text(n.clone())))
    }

    fn rows(&mut self, rows: &[Vec<Cell>]) -> Result<(), AppError> {
        for row in rows {
            self.write(row.iter().cloned())?;
        }
        Ok(())
    }
}

pub mod bytes_buf {
    //! A `Write` that hands its bytes to the response body in pieces of 64 KB.

    use std::io::{Error, ErrorKind, Write};

    use axum::body::Bytes;
    use tokio::sync::mpsc::Sender;

    const PIECE: usize = 64 * 1024;

    pub type Piece = Result<Bytes, std::io::Error>;

    pub struct ByteSender {
        tx: Sender<Piece>,
        buf: Vec<u8>,
    }

    impl ByteSender {
        pub fn new(tx: Sender<Piece>) -> Self {
            Self {
                tx,
                buf: Vec::with_capacity(PIECE + 1024),
            }
        }

        fn send(&mut self) -> std::io::Result<()> {
            if self.buf.is_empty() {
                return Ok(());
            }
            let piece = Bytes::from(std::mem::replace(
                &mut self.buf,
                Vec::with_capacity(PIECE + 1024),
            ));
            // Runs on a blocking thread: waiting for the client to take the previous
            // pieces is what keeps memory flat.
            self.tx
                .blocking_send(Ok(piece))
                .map_err(|_| Error::new(ErrorKind::BrokenPipe, "the download was dropped"))
        }
    }

    impl Write for ByteSender {
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            self.buf.extend_from_slice(data);
            if self.buf.len() >= PIECE {
                self.send()?;
            }
            Ok(data.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            self.send()
        }
    }
}

/// A CSV sink that streams to the response body.
pub type StreamingCsv = CsvSink<ByteSender>;

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(delimiter: u8, encoding: CsvEncoding, rows: &[Vec<Cell>]) -> Vec<u8> {
        let mut sink = CsvSink::new(Vec::new(), delimiter, encoding).unwrap();
        sink.header(&["Id".to_string(), "Nazwisko".to_string()])
            .unwrap();
        sink.rows(rows).unwrap();
        sink.finish().unwrap()
    }

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    #[test]
    fn utf8_starts_with_a_bom_and_quotes_per_rfc_4180() {
        let out = csv(
            b';',
            CsvEncoding::Utf8Bom,
            &[vec![Cell::Number(7), text("Zażółć; \"gęślą\"\njaźń")]],
        );
        assert_eq!(&out[..3], b"\xEF\xBB\xBF");
        let text = String::from_utf8(out[3..].to_vec()).unwrap();
        assert_eq!(text, "Id;Nazwisko\r\n7;\"Zażółć; \"\"gęślą\"\"\njaźń\"\r\n");
    }

    #[test]
    fn windows_1250_keeps_polish_letters_and_marks_the_rest() {
        let out = csv(
            b',',
            CsvEncoding::Windows1250,
            &[vec![Cell::Number(1), text("Łódź żółw €  Ж😀")]],
        );
        let (decoded, _, bad) = encoding_rs::WINDOWS_1250.decode(&out);
        assert!(!bad);
        // Cyrillic and emoji have no place in Windows-1250: they become '?'.
        assert_eq!(decoded, "Id,Nazwisko\r\n1,Łódź żółw €  ??\r\n");
        assert!(!out.starts_with(b"\xEF\xBB\xBF"));
    }

    #[test]
    fn formulas_are_neutralised_in_text_but_numbers_stay() {
        let out = csv(
            b'\t',
            CsvEncoding::Utf8Bom,
            &[
                vec![Cell::Number(-5), text("=cmd|' /C calc'!A0")],
                vec![Cell::Number(2), text("+1")],
                vec![Cell::Number(3), text("-2")],
                vec![Cell::Number(4), text("@x")],
                vec![Cell::Number(5), text("\tx")],
                vec![Cell::Number(6), text("\rx")],
            ],
        );
        let text = String::from_utf8(out[3..].to_vec()).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[1], "-5\t'=cmd|' /C calc'!A0");
        assert_eq!(lines[2], "2\t'+1");
        assert_eq!(lines[3], "3\t'-2");
        assert_eq!(lines[4], "4\t'@x");
        assert_eq!(lines[5], "5\t\"'\tx\"");
        assert_eq!(lines[6], "6\t\"'\rx\"");
    }
}
