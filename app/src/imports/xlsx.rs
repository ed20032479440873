//! The first worksheet of an XLSX file as records, streamed from the zip with hard
//! limits: an archive whose parts inflate beyond them (a zip bomb) is refused, never
//! unpacked into memory.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::delimited::{Record, MAX_RECORD};

/// Shared strings are held in memory while the sheet streams: at most this much text.
const MAX_SHARED_TEXT: u64 = 64 * 1024 * 1024;
/// The worksheet's XML, inflated.
const MAX_SHEET_XML: u64 = 2 * 1024 * 1024 * 1024;
/// Inflated size over stored size above which a part is taken for a bomb.
const MAX_RATIO: u64 = 150;
const MAX_SMALL_PART: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XlsxError {
    /// Not a zip, or a zip without a workbook.
    NotXlsx,
    /// A part inflates beyond its limit.
    TooLarge,
}

pub fn looks_like_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04")
}

/// Reads the workbook, then streams the first sheet's rows into `emit` (which returns
/// false to stop early). Rows are numbered as in Excel.
pub fn read_rows(bytes: Vec<u8>, emit: &mut dyn FnMut(Record) -> bool) -> Result<(), XlsxError> {
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
    if guard.exceeded {
        return Err(XlsxError::TooLarge);
    }
    result
}

/// A reader that fails once more than `limit` bytes came out of it.
struct Guarded<R> {
    inner: R,
    left: u64,
    exceeded: bool,
}

impl<R: Read> Guarded<R> {
    fn new(inner: R, limit: u64) -> Self {
        Self {
            inner,
            left: limit,
            exceeded: false,
        }
    }
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            self.exceeded = true;
            return Err(std::io::Error::other("part too large"));
        }
        self.left -= n as u64;
        Ok(n)
    }
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
        return Err(if guard.exceeded {
            XlsxError::TooLarge
        } else {
            XlsxError::NotXlsx
        });
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
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == b"sheet" => {
                rel_id = attr(&e, b"id");
                break;
            }
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
            Ok(Event::Eof) | Err(_) => return Ok(fallback),
            _ => {}
        }
    }
}

fn shared_strings<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
) -> Result<Vec<String>, XlsxError> {
    let Ok(entry) = archive.by_name("xl/sharedStrings.xml") else {
        return Ok(Vec::new());
    };
    let limit = entry
        .compressed_size()
        .saturating_mul(MAX_RATIO)
        .clamp(MAX_SMALL_PART, MAX_SHARED_TEXT * 4);
    let mut guard = Guarded::new(entry, limit);
    let mut reader = Reader::from_reader(BufReader::new(&mut guard));
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    let mut total: u64 = 0;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"si" => current.clear(),
                b"t" => in_text = true,
                // Phonetic runs repeat the text in another script: not part of the value.
                b"rPh" => in_text = false,
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => {
                let text = t.unescape().map_err(|_| XlsxError::NotXlsx)?;
                total += text.len() as u64;
                if total > MAX_SHARED_TEXT {
                    return Err(XlsxError::TooLarge);
                }
                current.push_str(&text);
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"si" => out.push(std::mem::take(&mut current)),
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(_) => {
                drop(reader);
                return Err(if guard.exceeded {
                    XlsxError::TooLarge
                } else {
                    XlsxError::NotXlsx
                });
            }
            _ => {}
        }
    }
    Ok(out)
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

/// The widest row Zgoda takes from a sheet; contact lists have a few dozen columns.
const MAX_COLUMNS: usize = 200;

fn stream_sheet<R: Read>(
    source: &mut R,
    shared: &[String],
    emit: &mut dyn FnMut(Record) -> bool,
) -> Result<(), XlsxError> {
    let mut reader = Reader::from_reader(BufReader::new(source));
    let mut buf = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut row_number: i64 = 0;
    let mut column = 0usize;
    let mut kind = String::new();
    let mut value = String::new();
    let mut in_value = false;
    let mut row_len = 0usize;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"row" => {
                    row.clear();
                    row_len = 0;
                    column = 0;
                    row_number = attr(&e, b"r")
                        .and_then(|r| r.parse().ok())
                        .unwrap_or(row_number + 1);
                }
                b"c" => {
                    column = attr(&e, b"r")
                        .and_then(|r| column_of(&r))
                        .unwrap_or(row.len());
                    kind = attr(&e, b"t").unwrap_or_default();
                    value.clear();
                }
                b"v" | b"t" => in_value = true,
                _ => {}
            },
            Ok(Event::Text(t)) if in_value => {
                let text = t.unescape().map_err(|_| XlsxError::NotXlsx)?;
                row_len += text.len();
                if row_len <= MAX_RECORD {
                    value.push_str(&text);
                }
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"v" | b"t" => in_value = false,
                b"c" if column < MAX_COLUMNS => {
                    let cell = match kind.as_str() {
                        "s" => value
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| shared.get(i))
                            .cloned()
                            .unwrap_or_default(),
                        "n" | "" => number_text(&value),
                        _ => value.clone(),
                    };
                    if row.len() <= column {
                        row.resize(column + 1, String::new());
                    }
                    row_len += cell.len();
                    row[column] = cell.trim().to_string();
                }
                b"row" => {
                    let cells = std::mem::take(&mut row);
                    if cells.iter().all(|c| c.is_empty()) {
                        continue;
                    }
                    let too_long = row_len > MAX_RECORD;
                    let record = Record {
                        line: row_number,
                        raw: if too_long {
                            String::new()
                        } else {
                            cells.join("\t")
                        },
                        cells: if too_long { Vec::new() } else { cells },
                        too_long,
                    };
                    if !emit(record) {
                        return Ok(());
                    }
                }
                _ => {}
            },
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
pub mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal XLSX: workbook, relationships, shared strings and one sheet.
    pub fn workbook(rows: &[Vec<&str>]) -> Vec<u8> {
        let mut shared = Vec::new();
        let mut sheet = String::from("<worksheet><sheetData>");
        for (r, row) in rows.iter().enumerate() {
            sheet.push_str(&format!("<row r=\"{}\">", r + 1));
            for (c, cell) in row.iter().enumerate() {
                let reference = format!("{}{}", (b'A' + c as u8) as char, r + 1);
                if cell.chars().all(|ch| ch.is_ascii_digit()) && !cell.is_empty() {
                    sheet.push_str(&format!("<c r=\"{reference}\"><v>{cell}</v></c>"));
                } else {
                    shared.push(cell.replace('&', "&amp;").replace('<', "&lt;"));
                    sheet.push_str(&format!(
                        "<c r=\"{reference}\" t=\"s\"><v>{}</v></c>",
                        shared.len() - 1
                    ));
                }
            }
            sheet.push_str("</row>");
        }
        sheet.push_str("</sheetData></worksheet>");
        let strings: String = shared
            .iter()
            .map(|s| format!("<si><t>{s}</t></si>"))
            .collect();
        let parts = [
            (
                "xl/workbook.xml",
                "<workbook xmlns:r=\"r\"><sheets><sheet name=\"Arkusz1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".to_string(),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>".to_string(),
            ),
            ("xl/sharedStrings.xml", format!("<sst>{strings}</sst>")),
            ("xl/worksheets/sheet1.xml", sheet),
        ];
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in parts {
            zip.start_file(name, options).unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn rows_of(bytes: Vec<u8>) -> Result<Vec<Record>, XlsxError> {
        let mut out = Vec::new();
        read_rows(bytes, &mut |r| {
            out.push(r);
            true
        })?;
        Ok(out)
    }

    #[test]
    fn rows_come_out_with_shared_strings_and_numbers() {
        let bytes = workbook(&[
            vec!["Imię", "Telefon"],
            vec!["Zażółć & gęślą", "48601234567"],
        ]);
        let rows = rows_of(bytes).unwrap();
        assert_eq!(rows[0].cells, vec!["Imię", "Telefon"]);
        assert_eq!(rows[1].cells, vec!["Zażółć & gęślą", "48601234567"]);
        assert_eq!(rows[1].line, 2);
    }

    #[test]
    fn a_bomb_is_refused() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/workbook.xml", options).unwrap();
        zip.write_all(b"<workbook><sheets><sheet r:id=\"rId1\"/></sheets></workbook>")
            .unwrap();
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        zip.write_all(b"<worksheet><sheetData>").unwrap();
        let filler = vec![b' '; 1024 * 1024];
        for _ in 0..64 {
            zip.write_all(&filler).unwrap();
        }
        zip.write_all(b"</sheetData></worksheet>").unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert!(
            bytes.len() < 1024 * 1024,
            "the bomb is small: {}",
            bytes.len()
        );
        assert_eq!(rows_of(bytes).unwrap_err(), XlsxError::TooLarge);
    }

    #[test]
    fn not_a_zip_and_garbage_inside_are_errors_not_panics() {
        assert_eq!(rows_of(b"hello".to_vec()).unwrap_err(), XlsxError::NotXlsx);
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"<<<>>>\x00\x01").unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert_eq!(rows_of(bytes).unwrap_err(), XlsxError::NotXlsx);
    }

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text("4.8601234567E10"), "48601234567");
        assert_eq!(number_text("12.0"), "12");
        assert_eq!(number_text("12.5"), "12.5");
        assert_eq!(column_of("AB12"), Some(27));
        assert_eq!(column_of("A1"), Some(0));
    }
}
