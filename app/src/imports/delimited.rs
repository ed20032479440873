//! Reading CSV and TXT exports record by record in bounded memory: quoted fields with
//! doubled quotes and line breaks, ragged rows, CRLF, LF or CR line ends. A record longer
//! than `MAX_RECORD` (a runaway quote, a 10 MB line) is cut off, reported, and reading
//! starts again at the next line break, so one broken row never swallows the file.

use std::io::Read;

use super::encoding::TextDecoder;
use super::model::TextEncoding;

/// The longest record imported; anything longer is no contact data.
pub const MAX_RECORD: usize = 64 * 1024;
const READ_CHUNK: usize = 64 * 1024;

/// One record: the line it starts on (from 1), its cells and its text as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: i64,
    pub cells: Vec<String>,
    pub raw: String,
    /// Cut off at `MAX_RECORD`; `cells` is then empty.
    pub too_long: bool,
}

pub struct DelimitedReader<R> {
    source: R,
    decoder: TextDecoder,
    finished_input: bool,
    buf: Vec<u8>,
    pos: usize,
    delimiter: u8,
    quote: u8,
    line: i64,
    bytes_in: u64,
    raw_bytes: Vec<u8>,
}

enum State {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

impl<R: Read> DelimitedReader<R> {
    pub fn new(source: R, encoding: TextEncoding, delimiter: u8, quote: u8) -> Self {
        Self {
            source,
            decoder: TextDecoder::new(encoding),
            finished_input: false,
            buf: Vec::new(),
            pos: 0,
            delimiter,
            quote,
            line: 1,
            bytes_in: 0,
            raw_bytes: vec![0; READ_CHUNK],
        }
    }

    /// Bytes of the file consumed so far (for the progress bar).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_in
    }

    fn refill(&mut self) -> std::io::Result<bool> {
        while self.pos >= self.buf.len() {
            if self.finished_input {
                return Ok(false);
            }
            self.buf.clear();
            self.pos = 0;
            let n = read_some(&mut self.source, &mut self.raw_bytes)?;
            self.bytes_in += n as u64;
            let mut text = String::new();
            self.finished_input = n == 0;
            self.decoder
                .decode(&self.raw_bytes[..n], self.finished_input, &mut text);
            self.buf = text.into_bytes();
        }
        Ok(true)
    }

    fn next_byte(&mut self) -> std::io::Result<Option<u8>> {
        if self.pos >= self.buf.len() && !self.refill()? {
            return Ok(None);
        }
        let b = self.buf[self.pos];
        self.pos += 1;
        Ok(Some(b))
    }

    fn peek_byte(&mut self) -> std::io::Result<Option<u8>> {
        if self.pos >= self.buf.len() && !self.refill()? {
            return Ok(None);
        }
        Ok(Some(self.buf[self.pos]))
    }

    /// The next record; blank lines are passed over.
    pub fn next_record(&mut self) -> std::io::Result<Option<Record>> {
        loop {
            let Some(record) = self.read_record()? else {
                return Ok(None);
            };
            let blank = !record.too_long && record.cells.iter().all(|c| c.trim().is_empty());
            if !blank {
                return Ok(Some(record));
            }
        }
    }

    fn read_record(&mut self) -> std::io::Result<Option<Record>> {
        let start_line = self.line;
        let mut raw: Vec<u8> = Vec::new();
        let mut cells: Vec<String> = Vec::new();
        let mut cell: Vec<u8> = Vec::new();
        let mut state = State::FieldStart;
        let mut too_long = false;
        let mut any = false;
        loop {
            let Some(b) = self.next_byte()? else {
                if !any {
                    return Ok(None);
                }
                break;
            };
            any = true;
            let line_end = b == b'\n' || b == b'\r';
            if line_end {
                self.line += 1;
                if b == b'\r' && self.peek_byte()? == Some(b'\n') {
                    self.pos += 1;
                }
            }
            if too_long {
                // Skipping the rest of an overlong record up to the next line break.
                if line_end {
                    break;
                }
                continue;
            }
            if raw.len() >= MAX_RECORD {
                too_long = true;
                if line_end {
                    break;
                }
                continue;
            }
            match state {
                State::Quoted => {
                    if b == self.quote {
                        state = State::QuoteInQuoted;
                    } else {
                        push_char(&mut cell, b, line_end);
                    }
                }
                State::QuoteInQuoted if b == self.quote => {
                    cell.push(b);
                    state = State::Quoted;
                }
                State::FieldStart if b == self.quote => state = State::Quoted,
                State::FieldStart | State::Unquoted | State::QuoteInQuoted => {
                    if b == self.delimiter {
                        cells.push(take_cell(&mut cell));
                        state = State::FieldStart;
                    } else if line_end {
                        break;
                    } else {
                        // Text after a closing quote, or a quote inside an unquoted
                        // field, is kept as written.
                        cell.push(b);
                        state = State::Unquoted;
                    }
                }
            }
            if line_end {
                raw.push(b'\n');
            } else {
                raw.push(b);
            }
        }
        if too_long {
            return Ok(Some(Record {
                line: start_line,
                cells: Vec::new(),
                raw: String::new(),
                too_long: true,
            }));
        }
        cells.push(take_cell(&mut cell));
        Ok(Some(Record {
            line: start_line,
            cells,
            raw: String::from_utf8_lossy(&raw).into_owned(),
            too_long: false,
        }))
    }
}

fn push_char(cell: &mut Vec<u8>, b: u8, line_end: bool) {
    // A line break inside quotes is kept as one "\n", whatever the file used.
    cell.push(if line_end { b'\n' } else { b });
}

fn take_cell(cell: &mut Vec<u8>) -> String {
    // Splitting happens only at ASCII bytes, so each cell is whole UTF-8.
    let text = String::from_utf8(std::mem::take(cell))
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    text.trim().to_string()
}

fn read_some<R: Read>(source: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match source.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// The delimiter and quote that make the sample's first lines agree on a column count.
pub fn sniff(sample: &str) -> (u8, u8) {
    let quote = if !sample.contains('"') && sample.matches('\'').count() >= 2 {
        b'\''
    } else {
        b'"'
    };
    let lines: Vec<&str> = sample
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let mut best = (b';', 0i64);
    for candidate in [b';', b',', b'\t', b'|'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| count_outside_quotes(l, candidate, quote))
            .collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        if first == 0 {
            continue;
        }
        let agreeing = counts.iter().filter(|c| **c == first).count() as i64;
        // Agreement between lines matters most; more columns break a tie.
        let score = agreeing * 1000 + first as i64;
        if score > best.1 {
            best = (candidate, score);
        }
    }
    (best.0, quote)
}

fn count_outside_quotes(line: &str, delimiter: u8, quote: u8) -> usize {
    let mut inside = false;
    line.bytes()
        .filter(|b| {
            if *b == quote {
                inside = !inside;
            }
            !inside && *b == delimiter
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read_all(text: &[u8], chunk: usize) -> Vec<Record> {
        struct Slow<'a>(&'a [u8], usize);
        impl Read for Slow<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut r = DelimitedReader::new(Slow(text, chunk), TextEncoding::Utf8, b';', b'"');
        let mut out = Vec::new();
        while let Some(rec) = r.next_record().unwrap() {
            out.push(rec);
        }
        out
    }

    fn cells(records: &[Record]) -> Vec<Vec<String>> {
        records.iter().map(|r| r.cells.clone()).collect()
    }

    #[test]
    fn quotes_doubled_quotes_line_breaks_and_ragged_rows() {
        let text =
            "Imię;Uwagi\r\nJan;\"Mówi \"\"dzień dobry\"\"; dzwonić\npo 16\"\n\nAnna\rEwa;a;b;c\n";
        for chunk in [1, 2, 5, 4096] {
            let got = read_all(text.as_bytes(), chunk);
            assert_eq!(
                cells(&got),
                vec![
                    vec!["Imię", "Uwagi"],
                    vec!["Jan", "Mówi \"dzień dobry\"; dzwonić\npo 16"],
                    vec!["Anna"],
                    vec!["Ewa", "a", "b", "c"],
                ],
                "chunk {chunk}"
            );
            let lines: Vec<i64> = got.iter().map(|r| r.line).collect();
            assert_eq!(lines, vec![1, 2, 5, 6]);
        }
    }

    #[test]
    fn a_runaway_quote_costs_one_record_not_the_file() {
        let mut text = String::from("Jan;\"never closed\n");
        text.push_str(&"x".repeat(MAX_RECORD + 10));
        text.push_str("\nAnna;Nowak\n");
        let got = read_all(text.as_bytes(), 4096);
        assert!(got[0].too_long);
        assert_eq!(got.last().unwrap().cells, vec!["Anna", "Nowak"]);
    }

    #[test]
    fn a_ten_megabyte_line_is_reported_in_bounded_memory() {
        let mut text = vec![b'a'; 10 * 1024 * 1024];
        text.extend_from_slice(b"\nJan;Kowalski\n");
        let got = read_all(&text, 65536);
        assert_eq!(got.len(), 2);
        assert!(got[0].too_long && got[0].raw.is_empty());
        assert_eq!(got[1].cells, vec!["Jan", "Kowalski"]);
    }

    #[test]
    fn the_delimiter_is_the_one_lines_agree_on() {
        assert_eq!(sniff("a;b;c\n1;2;3\n"), (b';', b'"'));
        assert_eq!(sniff("a,b\n\"x, y\",2\n"), (b',', b'"'));
        assert_eq!(sniff("a\tb\tc\n1\t2\t3\n"), (b'\t', b'"'));
        // Commas inside the data, semicolons between the fields.
        assert_eq!(
            sniff("Nazwa;Miasto\nFirma, s.c.;Kraków\nABC, sp. j.;Łódź\n"),
            (b';', b'"')
        );
    }

    proptest! {
        #[test]
        fn any_bytes_read_without_panic_in_any_encoding(
            bytes in proptest::collection::vec(any::<u8>(), 0..2000),
            enc in 0usize..6,
            chunk in 1usize..64,
        ) {
            struct Chunked(Vec<u8>, usize);
            impl Read for Chunked {
                fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                    let n = self.1.min(buf.len()).min(self.0.len());
                    buf[..n].copy_from_slice(&self.0[..n]);
                    self.0.drain(..n);
                    Ok(n)
                }
            }
            let encoding = TextEncoding::ALL[enc];
            let mut r = DelimitedReader::new(Chunked(bytes, chunk), encoding, b';', b'"');
            let mut count = 0;
            while let Some(rec) = r.next_record().unwrap() {
                prop_assert!(rec.raw.len() <= MAX_RECORD + 1);
                count += 1;
                prop_assert!(count <= 2001);
            }
        }

        #[test]
        fn written_records_read_back(rows in proptest::collection::vec(
            proptest::collection::vec("[a-zA-Ząęł;\" \n]{0,12}", 1..5), 1..20)) {
            let mut text = String::new();
            for row in &rows {
                let line: Vec<String> = row
                    .iter()
                    .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                    .collect();
                text.push_str(&line.join(";"));
                text.push('\n');
            }
            let expected: Vec<Vec<String>> = rows
                .iter()
                .filter(|r| !r.iter().all(|c| c.trim().is_empty()))
                .map(|r| r.iter().map(|c| c.trim().to_string()).collect())
                .collect();
            prop_assert_eq!(cells(&read_all(text.as_bytes(), 7)), expected);
        }
    }
}
