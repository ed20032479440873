//! The first worksheet of an XLSX file as records, streamed from the zip with hard
//! limits: an archive whose parts inflate beyond them (a zip bomb) is refused, never
//! unpacked into memory.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::delimited::{Record, MAX_RECORD};
use super::xlsx_guard::{directory_fits, Depth, Guarded, MAX_RATIO};

/// Shared strings are held in memory while the sheet streams: at most this much text...
const MAX_SHARED_TEXT: usize = 64 * 1024 * 1024;
/// ...in at most this many strings (each costs its end offset besides its text). A
/// million-row list with eight text columns of distinct values stays below it.
const MAX_SHARED_STRINGS: usize = 8_000_000;
/// The worksheet's XML, inflated.
const MAX_SHEET_XML: u64 = 2 * 1024 * 1024 * 1024;
const MAX_SMALL_PART: u64 = 8 * 1024 * 1024;
/// The widest row Zgoda takes from a sheet; contact lists have a few dozen columns.
const MAX_COLUMNS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XlsxError {
    /// Not a zip, or a zip without a workbook, or XML no spreadsheet program writes.
    NotXlsx,
    /// A part inflates beyond its limit, or holds more than a spreadsheet can.
    TooLarge,
}

pub fn looks_like_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04")
}

/// Reads the workbook, then streams the first sheet's rows into `emit` (which returns
/// false to stop early). Rows are numbered as in Excel.
pub fn read_rows(bytes: Vec<u8>, emit: &mut dyn FnMut(Record) -> bool) -> Result<(), XlsxError> {
    directory_fits(&bytes)?;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| XlsxError::NotXlsx)?;
    let sheet_path = first_sheet_path(&mut archive)?;
    let shared = shared_strings(&mut archive)?;
    let entry = archive
        .by_name(&sheet_path)
        .map_err(|_| XlsxError::NotXlsx)?;
    let limit = entry
        .compressed_size()
        .saturating_mul(MAX_RATIO)
        .clamp(MAX_SMALL_PART, MAX_SHEET_XML);
    let mut guard = Guarded::new(entry, limit);
    let result = stream_sheet(&mut guard, &shared, emit);
    guard.stopped.map_or(result, Err)
}

fn small_part<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<Vec<u8>>, XlsxError> {
    let Ok(entry) = archive.by_name(name) else {
        return Ok(None);
    };
    let mut out = Vec::new();
    let mut guard = Guarded::new(entry, MAX_SMALL_PART);
    if guard.read_to_end(&mut out).is_err() {
        return Err(guard.stopped.unwrap_or(XlsxError::NotXlsx));
    }
    Ok(Some(out))
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name || a.key.local_name().as_ref() == name)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// The first sheet listed in the workbook, through the workbook's relationships.
fn first_sheet_path<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
) -> Result<String, XlsxError> {
    let workbook = small_part(archive, "xl/workbook.xml")?.ok_or(XlsxError::NotXlsx)?;
    let mut reader = Reader::from_reader(workbook.as_slice());
    let mut buf = Vec::new();
    let mut rel_id = None;
    let mut depth = Depth::default();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == b"sheet" => {
                rel_id = attr(&e, b"id");
                break;
            }
            Ok(Event::Start(_)) => depth.open()?,
            Ok(Event::End(_)) => depth.close(),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    let fallback = "xl/worksheets/sheet1.xml".to_string();
    let Some(rel_id) = rel_id else {
        return Ok(fallback);
    };
    let Some(rels) = small_part(archive, "xl/_rels/workbook.xml.rels")? else {
        return Ok(fallback);
    };
    let mut reader = Reader::from_reader(rels.as_slice());
    let mut depth = Depth::default();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e))
                if e.local_name().as_ref() == b"Relationship"
                    && attr(&e, b"Id").as_deref() == Some(rel_id.as_str()) =>
            {
                let target = attr(&e, b"Target").unwrap_or_default();
                let target = target.trim_start_matches('/');
                return Ok(if target.starts_with("xl/") {
                    target.to_string()
                } else {
                    format!("xl/{target}")
                });
            }
            Ok(Event::Start(_)) => depth.open()?,
            Ok(Event::End(_)) => depth.close(),
            Ok(Event::Eof) | Err(_) => return Ok(fallback),
            _ => {}
        }
    }
}

/// The shared strings, packed into one text with an end offset each: a cell borrows
/// its string instead of copying it, so a row is measured against its cap before any
/// copy is made.
#[derive(Default)]
pub struct SharedStrings {
    text: String,
    ends: Vec<u32>,
}

impl SharedStrings {
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = i
            .checked_sub(1)
            .and_then(|p| self.ends.get(p))
            .map_or(0, |s| *s as usize);
        self.text.get(start..end)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn push_text(&mut self, text: &str) -> Result<(), XlsxError> {
        if self.text.len() + text.len() > MAX_SHARED_TEXT {
            return Err(XlsxError::TooLarge);
        }
        self.text.push_str(text);
        Ok(())
    }

    fn end_string(&mut self) -> Result<(), XlsxError> {
        if self.ends.len() >= MAX_SHARED_STRINGS {
            return Err(XlsxError::TooLarge);
        }
        // Below MAX_SHARED_TEXT, so it fits.
        self.ends.push(self.text.len() as u32);
        Ok(())
    }
}

fn shared_strings<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
) -> Result<SharedStrings, XlsxError> {
    let Ok(entry) = archive.by_name("xl/sharedStrings.xml") else {
        return Ok(SharedStrings::default());
    };
    let limit = entry
        .compressed_size()
        .saturating_mul(MAX_RATIO)
        .clamp(MAX_SMALL_PART, MAX_SHARED_TEXT as u64 * 4);
    let mut guard = Guarded::new(entry, limit);
    let mut reader = Reader::from_reader(BufReader::new(&mut guard));
    let mut out = SharedStrings::default();
    let result = read_shared(&mut reader, &mut out);
    drop(reader);
    guard.stopped.map_or(result, Err).map(|()| out)
}

fn read_shared<R: std::io::BufRead>(
    reader: &mut Reader<R>,
    out: &mut SharedStrings,
) -> Result<(), XlsxError> {
    let mut buf = Vec::new();
    let (mut in_text, mut phonetic) = (false, false);
    let mut depth = Depth::default();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                depth.open()?;
                match e.local_name().as_ref() {
                    b"t" => in_text = !phonetic,
                    // Phonetic runs repeat the text in another script: not the value.
                    b"rPh" => phonetic = true,
                    _ => {}
                }
            }
            Ok(Event::Empty(e)) if e.local_name().as_ref() == b"si" => out.end_string()?,
            Ok(Event::Text(t)) if in_text => {
                let text = t.unescape().map_err(|_| XlsxError::NotXlsx)?;
                out.push_text(&text)?;
            }
            Ok(Event::End(e)) => {
                depth.close();
                match e.local_name().as_ref() {
                    b"t" => in_text = false,
                    b"rPh" => phonetic = false,
                    b"si" => out.end_string()?,
                    _ => {}
                }
            }
            Ok(Event::Eof) => return Ok(()),
            Err(_) => return Err(XlsxError::NotXlsx),
            _ => {}
        }
    }
}

/// "AB12" → column 27 (from 0).
fn column_of(reference: &str) -> Option<usize> {
    let letters: Vec<u8> = reference
        .bytes()
        .take_while(|b| b.is_ascii_alphabetic())
        .collect();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n = 0usize;
    for b in letters {
        n = n * 26 + (b.to_ascii_uppercase() - b'A' + 1) as usize;
    }
    Some(n - 1)
}

/// One row being read: every cell's text is measured against `MAX_RECORD` before it is
/// copied, so a row that would pass the cap costs nothing more than its first part.
#[derive(Default)]
struct RowBuilder {
    cells: Vec<String>,
    /// Bytes the row's text takes, with a separator per cell (as `raw` joins them).
    len: usize,
    too_long: bool,
}

impl RowBuilder {
    /// Whether `more` bytes still fit the row; marks it too long (and frees what it
    /// held) when they do not.
    fn fits(&mut self, more: usize) -> bool {
        if !self.too_long && self.len.saturating_add(more) > MAX_RECORD {
            self.too_long = true;
            self.cells = Vec::new();
        }
        !self.too_long
    }

    fn set(&mut self, column: usize, text: &str) {
        let text = text.trim();
        if column >= MAX_COLUMNS || !self.fits(text.len() + 1) {
            return;
        }
        self.len += text.len() + 1;
        if self.cells.len() <= column {
            self.cells.resize(column + 1, String::new());
        }
        self.cells[column] = text.to_string();
    }

    fn finish(&mut self, line: i64) -> Option<Record> {
        let row = std::mem::take(self);
        if row.too_long {
            return Some(Record {
                line,
                raw: String::new(),
                cells: Vec::new(),
                too_long: true,
            });
        }
        if row.cells.iter().all(|c| c.is_empty()) {
            return None;
        }
        Some(Record {
            line,
            raw: row.cells.join("\t"),
            cells: row.cells,
            too_long: false,
        })
    }
}

fn stream_sheet<R: Read>(
    source: &mut R,
    shared: &SharedStrings,
    emit: &mut dyn FnMut(Record) -> bool,
) -> Result<(), XlsxError> {
    let mut reader = Reader::from_reader(BufReader::new(source));
    let mut buf = Vec::new();
    let mut row = RowBuilder::default();
    let mut row_number: i64 = 0;
    let mut column = 0usize;
    let mut kind = String::new();
    let mut value = String::new();
    let mut in_value = false;
    let mut depth = Depth::default();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                depth.open()?;
                match e.local_name().as_ref() {
                    b"row" => {
                        row = RowBuilder::default();
                        column = 0;
                        row_number = attr(&e, b"r")
                            .and_then(|r| r.parse().ok())
                            .unwrap_or(row_number + 1);
                    }
                    b"c" => {
                        column = attr(&e, b"r")
                            .and_then(|r| column_of(&r))
                            .unwrap_or(row.cells.len());
                        kind = attr(&e, b"t").unwrap_or_default();
                        value.clear();
                    }
                    b"v" | b"t" => in_value = true,
                    _ => {}
                }
            }
            Ok(Event::Text(t)) if in_value && column < MAX_COLUMNS => {
                let text = t.unescape().map_err(|_| XlsxError::NotXlsx)?;
                // The value is held only while the row could still take it.
                if row.fits(value.len() + text.len()) {
                    value.push_str(&text);
                }
            }
            Ok(Event::End(e)) => {
                depth.close();
                match e.local_name().as_ref() {
                    b"v" | b"t" => in_value = false,
                    b"c" if column < MAX_COLUMNS && !row.too_long => match kind.as_str() {
                        "s" => {
                            let text = value
                                .trim()
                                .parse::<usize>()
                                .ok()
                                .and_then(|i| shared.get(i))
                                .unwrap_or_default();
                            row.set(column, text);
                        }
                        "n" | "" => row.set(column, &number_text(&value)),
                        _ => row.set(column, &value),
                    },
                    b"row" => {
                        if let Some(record) = row.finish(row_number) {
                            if !emit(record) {
                                return Ok(());
                            }
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Eof) => return Ok(()),
            Err(_) => return Err(XlsxError::NotXlsx),
            _ => {}
        }
    }
}

/// Numbers as Excel shows them for whole values: "48601234567", not "4.8601234567E10".
fn number_text(raw: &str) -> String {
    let raw = raw.trim();
    if raw.contains(['E', 'e']) {
        if let Ok(f) = raw.parse::<f64>() {
            if f.fract() == 0.0 && f.abs() < 1e16 {
                return format!("{}", f as i64);
            }
        }
    }
    raw.strip_suffix(".0").unwrap_or(raw).to_string()
}

#[cfg(test)]
#[path = "xlsx_tests.rs"]
pub mod tests;
