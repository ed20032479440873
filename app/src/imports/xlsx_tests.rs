//! The XLSX reader against ordinary and hostile workbooks.

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

/// A zip of the given parts, deflated.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(body).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const WORKBOOK: &[u8] = b"<workbook><sheets><sheet r:id=\"rId1\"/></sheets></workbook>";

#[test]
fn a_huge_shared_string_in_every_cell_costs_one_rejected_row_each() {
    let huge = "x".repeat(MAX_RECORD / 2 + 1);
    let shared = format!("<sst><si><t>{huge}</t></si><si><t>Nowak</t></si></sst>");
    let mut sheet = String::from("<worksheet><sheetData>");
    for r in 1..=50 {
        sheet.push_str(&format!("<row r=\"{r}\">"));
        for c in 0..MAX_COLUMNS {
            sheet.push_str(&format!("<c r=\"{}{r}\" t=\"s\"><v>0</v></c>", col_name(c)));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("<row r=\"51\"><c r=\"A51\" t=\"s\"><v>1</v></c></row>");
    sheet.push_str("</sheetData></worksheet>");
    let bytes = zip_of(&[
        ("xl/workbook.xml", WORKBOOK),
        ("xl/sharedStrings.xml", shared.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ]);
    let rows = rows_of(bytes).unwrap();
    assert_eq!(rows.len(), 51);
    for row in &rows[..50] {
        assert!(row.too_long && row.cells.is_empty() && row.raw.is_empty());
    }
    assert_eq!(rows[50].cells, vec!["Nowak"]);
}

fn col_name(c: usize) -> String {
    if c < 26 {
        ((b'A' + c as u8) as char).to_string()
    } else {
        format!(
            "{}{}",
            (b'A' + (c / 26 - 1) as u8) as char,
            (b'A' + (c % 26) as u8) as char
        )
    }
}

#[test]
fn shared_strings_are_capped_in_count_and_text() {
    let mut s = SharedStrings::default();
    s.push_text("Kowalski").unwrap();
    s.end_string().unwrap();
    s.end_string().unwrap();
    assert_eq!(
        (s.get(0), s.get(1), s.get(2)),
        (Some("Kowalski"), Some(""), None)
    );
    let big = "y".repeat(MAX_SHARED_TEXT - s.text.len());
    s.push_text(&big).unwrap();
    assert_eq!(s.push_text("z"), Err(XlsxError::TooLarge));
    let mut s = SharedStrings::default();
    s.ends.resize(MAX_SHARED_STRINGS, 0);
    assert_eq!(s.end_string(), Err(XlsxError::TooLarge));
    assert_eq!(s.len(), MAX_SHARED_STRINGS);
}

#[test]
fn empty_shared_strings_keep_their_place() {
    let shared = b"<sst><si/><si><t>Nowak</t></si></sst>";
    let sheet = b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c></row></sheetData></worksheet>";
    let bytes = zip_of(&[
        ("xl/workbook.xml", WORKBOOK),
        ("xl/sharedStrings.xml", shared),
        ("xl/worksheets/sheet1.xml", sheet),
    ]);
    assert_eq!(rows_of(bytes).unwrap()[0].cells, vec!["Nowak"]);
}

#[test]
fn deep_nesting_is_refused() {
    let mut sheet = String::from("<worksheet><sheetData>");
    sheet.push_str(&"<x>".repeat(100_000));
    let bytes = zip_of(&[
        ("xl/workbook.xml", WORKBOOK),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ]);
    assert_eq!(rows_of(bytes).unwrap_err(), XlsxError::NotXlsx);
    let shared = "<sst>".to_string() + &"<si>".repeat(100_000);
    let bytes = zip_of(&[
        ("xl/workbook.xml", WORKBOOK),
        ("xl/sharedStrings.xml", shared.as_bytes()),
        ("xl/worksheets/sheet1.xml", b"<worksheet/>"),
    ]);
    assert_eq!(rows_of(bytes).unwrap_err(), XlsxError::NotXlsx);
}

#[test]
fn a_cell_longer_than_any_excel_writes_is_refused_unread() {
    let text = "a".repeat(crate::imports::xlsx_guard::MAX_RUN as usize * 2);
    let sheet = format!(
        "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>{text}</t></is></c></row></sheetData></worksheet>"
    );
    let bytes = zip_of(&[
        ("xl/workbook.xml", WORKBOOK),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ]);
    assert_eq!(rows_of(bytes).unwrap_err(), XlsxError::TooLarge);
}

#[test]
fn an_archive_of_countless_entries_is_refused_before_it_is_indexed() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("xl/workbook.xml", options).unwrap();
    zip.write_all(WORKBOOK).unwrap();
    for i in 0..crate::imports::xlsx_guard::MAX_ENTRIES {
        zip.start_file(format!("{i}"), options).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert_eq!(rows_of(bytes).unwrap_err(), XlsxError::TooLarge);
}

#[test]
fn numbers_read_as_excel_shows_them() {
    assert_eq!(number_text("4.8601234567E10"), "48601234567");
    assert_eq!(number_text("12.0"), "12");
    assert_eq!(number_text("12.5"), "12.5");
    assert_eq!(column_of("AB12"), Some(27));
    assert_eq!(column_of("A1"), Some(0));
}
