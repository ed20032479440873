//! The limits an XLSX file is read under. Everything in the archive is the uploader's:
//! sizes, counts and nesting are checked before memory is spent on them, so a hostile
//! file costs a refusal, never the server's memory.

use std::io::Read;

use super::xlsx::XlsxError;

/// Inflated size over stored size above which a part is taken for a bomb.
pub const MAX_RATIO: u64 = 150;
/// The most bytes one XML event may take: a text node, a tag, a comment. quick-xml
/// buffers a whole event, so without this one 2 GB cell would be read into memory in one
/// piece. Excel keeps at most 32,767 characters in a cell (at most 4 bytes each in
/// UTF-8, 6 for an escaped `&quot;`), so nothing Excel wrote comes near it.
pub const MAX_RUN: u64 = 512 * 1024;
/// The deepest element nesting taken: a worksheet needs 7 (`worksheet`, `sheetData`,
/// `row`, `c`, `is`, `r`, `t`). quick-xml keeps every open name to check end tags.
pub const MAX_DEPTH: usize = 64;
/// Entries in the zip's central directory: an XLSX has a few dozen parts. The zip crate
/// builds an index entry (a few hundred bytes) per directory record when it opens an
/// archive, so a 50 MB file of empty records would cost gigabytes before any check.
pub const MAX_ENTRIES: u64 = 10_000;

/// Where the bytes read so far leave the XML, as far as event boundaries go: an event
/// ends only where quick-xml ends it, so a `>` inside text, a `<` inside a quoted
/// attribute or either inside a comment does not end the count.
#[derive(Clone, Copy)]
enum Scan {
    Text,
    /// Just after `<`.
    Open,
    Tag,
    Quoted(u8),
    /// After `<!`, and after `<!-`.
    Bang,
    BangDash,
    Comment,
    CData,
    Instruction,
}

/// A reader that stops once more than `limit` bytes came out of it, or once one XML
/// event grows past `MAX_RUN`, or at a document type declaration (OOXML forbids them;
/// quick-xml would buffer one whole).
pub struct Guarded<R> {
    inner: R,
    left: u64,
    run: u64,
    scan: Scan,
    last: [u8; 2],
    /// Why the reading stopped: the I/O error quick-xml passes on says nothing.
    pub stopped: Option<XlsxError>,
}

impl<R: Read> Guarded<R> {
    pub fn new(inner: R, limit: u64) -> Self {
        Self {
            inner,
            left: limit,
            run: 0,
            scan: Scan::Text,
            last: [0; 2],
            stopped: None,
        }
    }

    fn stop(&mut self, why: XlsxError) -> std::io::Error {
        self.stopped = Some(why);
        std::io::Error::other("part refused")
    }

    /// Follows one byte; false at a document type declaration.
    fn step(&mut self, b: u8) -> bool {
        let ends = |scan| (Scan::Text, scan);
        let (next, reset) = match (self.scan, b) {
            (Scan::Text, b'<') => (Scan::Open, true),
            (Scan::Text, _) => (Scan::Text, false),
            (Scan::Open, b'!') => (Scan::Bang, false),
            (Scan::Open, b'?') => (Scan::Instruction, false),
            (Scan::Open | Scan::Tag, b'>') => ends(true),
            (Scan::Open | Scan::Tag, b'"' | b'\'') => (Scan::Quoted(b), false),
            (Scan::Open | Scan::Tag, _) => (Scan::Tag, false),
            (Scan::Quoted(q), _) if b == q => (Scan::Tag, false),
            (Scan::Quoted(q), _) => (Scan::Quoted(q), false),
            (Scan::Bang, b'-') => (Scan::BangDash, false),
            (Scan::Bang, b'[') => (Scan::CData, false),
            (Scan::BangDash, b'-') => (Scan::Comment, false),
            (Scan::Bang | Scan::BangDash, _) => return false,
            (Scan::Comment, b'>') if self.last == *b"--" => ends(true),
            (Scan::CData, b'>') if self.last == *b"]]" => ends(true),
            (Scan::Instruction, b'>') if self.last[1] == b'?' => ends(true),
            (scan, _) => (scan, false),
        };
        // The dashes that open a comment do not also close it (`<!-->` is no comment).
        self.last = if matches!((self.scan, next), (Scan::BangDash, Scan::Comment)) {
            [0; 2]
        } else {
            [self.last[1], b]
        };
        self.scan = next;
        if reset {
            self.run = 0;
        } else {
            self.run += 1;
        }
        true
    }
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(self.stop(XlsxError::TooLarge));
        }
        self.left -= n as u64;
        for &b in &buf[..n] {
            if !self.step(b) {
                return Err(self.stop(XlsxError::NotXlsx));
            }
            if self.run > MAX_RUN {
                return Err(self.stop(XlsxError::TooLarge));
            }
        }
        Ok(n)
    }
}

/// Nesting depth of the elements read so far.
#[derive(Default)]
pub struct Depth(usize);

impl Depth {
    pub fn open(&mut self) -> Result<(), XlsxError> {
        self.0 += 1;
        if self.0 > MAX_DEPTH {
            return Err(XlsxError::NotXlsx);
        }
        Ok(())
    }

    pub fn close(&mut self) {
        self.0 = self.0.saturating_sub(1);
    }
}

/// Refuses an archive whose central directory lists more entries than an XLSX has,
/// read from the end-of-central-directory record before the zip crate indexes them.
/// A ZIP64 directory is refused as well: no XLSX within the upload limit needs one.
pub fn directory_fits(bytes: &[u8]) -> Result<(), XlsxError> {
    const EOCD: &[u8] = b"PK\x05\x06";
    const EOCD_LEN: usize = 22;
    let window = bytes.len().saturating_sub(EOCD_LEN + u16::MAX as usize);
    let tail = &bytes[window..];
    let at = (0..tail.len().saturating_sub(EOCD_LEN - 1))
        .rev()
        .find(|&i| tail[i..].starts_with(EOCD))
        .ok_or(XlsxError::NotXlsx)?;
    // The ZIP64 locator sits right before the classic record and, when present, the zip
    // crate takes its counts instead.
    if at >= 20 && tail[at - 20..].starts_with(b"PK\x06\x07") {
        return Err(XlsxError::TooLarge);
    }
    let record = &tail[at..at + EOCD_LEN];
    let entries = u16::from_le_bytes([record[10], record[11]]);
    if entries == u16::MAX || u64::from(entries) > MAX_ENTRIES {
        return Err(XlsxError::TooLarge);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8]) -> Result<(), XlsxError> {
        let mut guard = Guarded::new(bytes, u64::MAX);
        let mut buf = [0u8; 4096];
        loop {
            match guard.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(_) => {}
                Err(_) => return Err(guard.stopped.unwrap()),
            }
        }
    }

    #[test]
    fn one_event_is_capped_wherever_its_bytes_fall() {
        let n = MAX_RUN as usize;
        assert_eq!(
            read_all(format!("<t>{}</t>", "a".repeat(n)).as_bytes()),
            Ok(())
        );
        let too_long = [
            format!("<t>{}</t>", "a".repeat(n + 1)),
            // A text node full of `>`, a tag whose attribute is full of `<`.
            format!("<t>{}</t>", "a>".repeat(n / 2 + 1)),
            format!("<c r=\"{}\"/>", "<".repeat(n + 1)),
            // A comment, a CDATA section and an instruction full of both.
            format!("<!--{}-->", "<>".repeat(n / 2 + 1)),
            format!("<![CDATA[{}]]>", "<>]>".repeat(n / 4 + 1)),
            format!("<?x {}?>", "<>".repeat(n / 2 + 1)),
        ];
        for xml in &too_long {
            assert_eq!(
                read_all(xml.as_bytes()),
                Err(XlsxError::TooLarge),
                "{}",
                &xml[..12]
            );
        }
        // Many short events add up to nothing.
        let many = "<?xml version=\"1.0\"?><!-- a -->".to_string()
            + &"<c r=\"A1\">a&amp;b</c><![CDATA[x]]>".repeat(50_000);
        assert_eq!(read_all(many.as_bytes()), Ok(()));
    }

    #[test]
    fn a_document_type_is_refused() {
        assert_eq!(
            read_all(b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x/>"),
            Err(XlsxError::NotXlsx)
        );
    }

    #[test]
    fn depth_is_capped() {
        let mut depth = Depth::default();
        for _ in 0..MAX_DEPTH {
            depth.open().unwrap();
        }
        assert_eq!(depth.open(), Err(XlsxError::NotXlsx));
    }
}
