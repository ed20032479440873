//! Telling a file's code page from its bytes, and decoding and re-encoding text in it.
//! Polish files come as UTF-8 (with or without BOM), Windows-1250, ISO-8859-2, CP852
//! (old DOS exports) or UTF-16; the single-byte ones differ only in where they put the
//! Polish letters, so the choice rests on which reading yields Polish letters rather
//! than control characters, box drawing or letters of other alphabets.

use super::model::TextEncoding;

/// What the upload learned about the bytes while storing them.
#[derive(Debug, Clone)]
pub struct ByteStats {
    pub total: u64,
    high: [u64; 128],
    nul: u64,
    controls: u64,
    utf8: Utf8Check,
    /// The first bytes, for BOMs and UTF-16 without one.
    head: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
struct Utf8Check {
    valid: bool,
    multibyte: bool,
    /// Bytes of an unfinished sequence carried over to the next chunk.
    carry: Vec<u8>,
}

const HEAD: usize = 4096;

impl Default for ByteStats {
    fn default() -> Self {
        Self {
            total: 0,
            high: [0; 128],
            nul: 0,
            controls: 0,
            utf8: Utf8Check {
                valid: true,
                ..Utf8Check::default()
            },
            head: Vec::new(),
        }
    }
}

impl ByteStats {
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.head.len() < HEAD {
            let take = (HEAD - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.total += chunk.len() as u64;
        for &b in chunk {
            match b {
                0 => self.nul += 1,
                1..=8 | 14..=26 | 28..=31 => self.controls += 1,
                0x80..=0xff => self.high[(b - 0x80) as usize] += 1,
                _ => {}
            }
        }
        if self.utf8.valid {
            let mut buf = std::mem::take(&mut self.utf8.carry);
            buf.extend_from_slice(chunk);
            match std::str::from_utf8(&buf) {
                Ok(s) => self.utf8.multibyte |= !s.is_ascii(),
                Err(e) if e.error_len().is_none() => {
                    // Cut in the middle of a character: finish it with the next chunk.
                    let (done, rest) = buf.split_at(e.valid_up_to());
                    self.utf8.multibyte |= !done.is_ascii();
                    self.utf8.carry = rest.to_vec();
                }
                Err(_) => self.utf8.valid = false,
            }
        }
    }
}

/// The verdict on a file's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detection {
    Text {
        encoding: TextEncoding,
        /// False when two readings give different Polish letters about equally well.
        certain: bool,
    },
    /// NUL bytes or control characters: not a text file.
    Binary,
    Empty,
}

const BOM_UTF8: &[u8] = &[0xef, 0xbb, 0xbf];

pub fn detect(stats: &ByteStats) -> Detection {
    let head = &stats.head;
    if stats.total == 0 || (stats.total == 3 && head.starts_with(BOM_UTF8)) {
        return Detection::Empty;
    }
    let sure = |encoding| Detection::Text {
        encoding,
        certain: true,
    };
    if head.starts_with(&[0xff, 0xfe]) {
        return sure(TextEncoding::Utf16Le);
    }
    if head.starts_with(&[0xfe, 0xff]) {
        return sure(TextEncoding::Utf16Be);
    }
    if let Some(encoding) = utf16_without_bom(head) {
        return sure(encoding);
    }
    let unfinished = !stats.utf8.carry.is_empty();
    if stats.nul > 0 || stats.controls * 100 > stats.total {
        return Detection::Binary;
    }
    if stats.utf8.valid && !unfinished {
        return sure(TextEncoding::Utf8);
    }
    let mut scored: Vec<(TextEncoding, i64)> = SINGLE_BYTE
        .iter()
        .map(|&enc| (enc, score(enc, &stats.high)))
        .collect();
    scored.sort_by_key(|(_, s)| -s);
    let (best, top) = scored[0];
    let (second, next) = scored[1];
    // Only the bytes the two best readings read differently can tell them apart.
    let (mut ours, mut theirs) = (0i64, 0i64);
    for i in 0..128u8 {
        let count = stats.high[i as usize] as i64;
        let (a, b) = (
            single_byte_char(best, 0x80 + i),
            single_byte_char(second, 0x80 + i),
        );
        if count > 0 && a != b {
            ours += weight(a) * count;
            theirs += weight(b) * count;
        }
    }
    let same_reading = ours == 0 && theirs == 0;
    let certain =
        top > 0 && top >= next && (same_reading || (ours > 0 && ours > 2 * theirs.max(0)));
    Detection::Text {
        encoding: best,
        certain,
    }
}

/// UTF-16 text in Latin script has a zero in every other byte.
fn utf16_without_bom(head: &[u8]) -> Option<TextEncoding> {
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zero_at = |offset: usize| head.chunks_exact(2).filter(|p| p[offset] == 0).count();
    let (even, odd) = (zero_at(0), zero_at(1));
    if odd * 10 >= pairs * 7 && even * 10 <= pairs {
        Some(TextEncoding::Utf16Le)
    } else if even * 10 >= pairs * 7 && odd * 10 <= pairs {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

const SINGLE_BYTE: [TextEncoding; 3] = [
    TextEncoding::Windows1250,
    TextEncoding::Iso88592,
    TextEncoding::Cp852,
];

const POLISH: &str = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ";
/// Signs a list of contacts may well hold besides letters.
const COMMON_SIGNS: &str = "„”“‘’«»–—…€°·§\u{a0}\u{ad}";

fn score(enc: TextEncoding, high: &[u64; 128]) -> i64 {
    high.iter()
        .enumerate()
        .filter(|(_, count)| **count > 0)
        .map(|(i, count)| weight(single_byte_char(enc, 0x80 + i as u8)) * *count as i64)
        .sum()
}

fn weight(c: char) -> i64 {
    if POLISH.contains(c) {
        4
    } else if matches!(c, '\u{80}'..='\u{9f}') || ('\u{2500}'..='\u{25ff}').contains(&c) {
        // C1 controls and box drawing: never in a list of contacts.
        -8
    } else if c.is_alphabetic() {
        // Letters of neighbouring alphabets (é, ü, č): possible, but not Polish.
        1
    } else if COMMON_SIGNS.contains(c) {
        0
    } else {
        // ±, ¶, ¦, ¬, ˇ: what Polish letters turn into when read in the wrong page.
        -3
    }
}

/// The character a single-byte code page gives a byte (ASCII stays itself).
pub fn single_byte_char(enc: TextEncoding, b: u8) -> char {
    if b < 0x80 {
        return b as char;
    }
    match enc {
        TextEncoding::Cp852 => CP852[(b - 0x80) as usize],
        _ => {
            let mut out = [0u16; 2];
            let mut decoder = rs_encoding(enc).new_decoder_without_bom_handling();
            let (_, _, written, _) = decoder.decode_to_utf16(&[b], &mut out, true);
            char::from_u32(u32::from(out[..written].first().copied().unwrap_or(0xfffd)))
                .unwrap_or('\u{fffd}')
        }
    }
}

fn rs_encoding(enc: TextEncoding) -> &'static encoding_rs::Encoding {
    match enc {
        TextEncoding::Utf8 => encoding_rs::UTF_8,
        TextEncoding::Windows1250 => encoding_rs::WINDOWS_1250,
        TextEncoding::Iso88592 => encoding_rs::ISO_8859_2,
        TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
        TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
        // Not in the WHATWG set: decoded with our own table.
        TextEncoding::Cp852 => encoding_rs::UTF_8,
    }
}

/// A streaming decoder to UTF-8 that drops a leading BOM and replaces malformed
/// sequences with U+FFFD (rows holding one are rejected, never imported garbled).
pub struct TextDecoder {
    enc: TextEncoding,
    inner: Option<encoding_rs::Decoder>,
}

impl TextDecoder {
    pub fn new(enc: TextEncoding) -> Self {
        let inner = (enc != TextEncoding::Cp852).then(|| rs_encoding(enc).new_decoder());
        Self { enc, inner }
    }

    /// Appends the decoded text of `bytes` to `out`.
    pub fn decode(&mut self, bytes: &[u8], last: bool, out: &mut String) {
        match &mut self.inner {
            None => out.extend(bytes.iter().map(|b| single_byte_char(self.enc, *b))),
            Some(decoder) => {
                let need = decoder
                    .max_utf8_buffer_length(bytes.len())
                    .unwrap_or(bytes.len() * 3 + 16);
                out.reserve(need);
                let mut input = bytes;
                loop {
                    let (result, read, _) = decoder.decode_to_string(input, out, last);
                    input = &input[read..];
                    match result {
                        encoding_rs::CoderResult::InputEmpty => break,
                        encoding_rs::CoderResult::OutputFull => out.reserve(input.len() * 3 + 16),
                    }
                }
            }
        }
    }
}

/// Decodes a whole (small) piece, e.g. the head of a file for the preview.
pub fn decode_all(enc: TextEncoding, bytes: &[u8]) -> String {
    let mut out = String::new();
    TextDecoder::new(enc).decode(bytes, true, &mut out);
    out
}

/// Text back in the file's own code page, for the rejected rows' download. Characters
/// the code page lacks become "?" (they could not have come from such a file anyway).
pub fn encode(enc: TextEncoding, text: &str) -> Vec<u8> {
    match enc {
        TextEncoding::Utf8 => text.as_bytes().to_vec(),
        TextEncoding::Utf16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        TextEncoding::Utf16Be => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        TextEncoding::Cp852 => text
            .chars()
            .map(|c| {
                if c.is_ascii() {
                    c as u8
                } else {
                    CP852
                        .iter()
                        .position(|x| *x == c)
                        .map_or(b'?', |i| 0x80 + i as u8)
                }
            })
            .collect(),
        TextEncoding::Windows1250 | TextEncoding::Iso88592 => {
            let mut encoder = rs_encoding(enc).new_encoder();
            let mut out = Vec::with_capacity(text.len() + 16);
            let mut input = text;
            loop {
                out.reserve(input.len() + 16);
                let (result, read) =
                    encoder.encode_from_utf8_to_vec_without_replacement(input, &mut out, true);
                input = &input[read..];
                match result {
                    encoding_rs::EncoderResult::InputEmpty => break,
                    encoding_rs::EncoderResult::OutputFull => {}
                    encoding_rs::EncoderResult::Unmappable(_) => out.push(b'?'),
                }
            }
            out
        }
    }
}

/// The byte-order mark a file in this encoding starts with when written by Zgoda.
pub fn bom(enc: TextEncoding) -> &'static [u8] {
    match enc {
        TextEncoding::Utf16Le => &[0xff, 0xfe],
        TextEncoding::Utf16Be => &[0xfe, 0xff],
        _ => &[],
    }
}

/// IBM code page 852 (DOS Latin 2), bytes 0x80 to 0xFF.
#[rustfmt::skip]
const CP852: [char; 128] = [
    '\u{00c7}', '\u{00fc}', '\u{00e9}', '\u{00e2}', '\u{00e4}', '\u{016f}', '\u{0107}', '\u{00e7}',
    '\u{0142}', '\u{00eb}', '\u{0150}', '\u{0151}', '\u{00ee}', '\u{0179}', '\u{00c4}', '\u{0106}',
    '\u{00c9}', '\u{0139}', '\u{013a}', '\u{00f4}', '\u{00f6}', '\u{013d}', '\u{013e}', '\u{015a}',
    '\u{015b}', '\u{00d6}', '\u{00dc}', '\u{0164}', '\u{0165}', '\u{0141}', '\u{00d7}', '\u{010d}',
    '\u{00e1}', '\u{00ed}', '\u{00f3}', '\u{00fa}', '\u{0104}', '\u{0105}', '\u{017d}', '\u{017e}',
    '\u{0118}', '\u{0119}', '\u{00ac}', '\u{017a}', '\u{010c}', '\u{015f}', '\u{00ab}', '\u{00bb}',
    '\u{2591}', '\u{2592}', '\u{2593}', '\u{2502}', '\u{2524}', '\u{00c1}', '\u{00c2}', '\u{011a}',
    '\u{015e}', '\u{2563}', '\u{2551}', '\u{2557}', '\u{255d}', '\u{017b}', '\u{017c}', '\u{2510}',
    '\u{2514}', '\u{2534}', '\u{252c}', '\u{251c}', '\u{2500}', '\u{253c}', '\u{0102}', '\u{0103}',
    '\u{255a}', '\u{2554}', '\u{2569}', '\u{2566}', '\u{2560}', '\u{2550}', '\u{256c}', '\u{00a4}',
    '\u{0111}', '\u{0110}', '\u{010e}', '\u{00cb}', '\u{010f}', '\u{0147}', '\u{00cd}', '\u{00ce}',
    '\u{011b}', '\u{2518}', '\u{250c}', '\u{2588}', '\u{2584}', '\u{0162}', '\u{016e}', '\u{2580}',
    '\u{00d3}', '\u{00df}', '\u{00d4}', '\u{0143}', '\u{0144}', '\u{0148}', '\u{0160}', '\u{0161}',
    '\u{0154}', '\u{00da}', '\u{0155}', '\u{0170}', '\u{00fd}', '\u{00dd}', '\u{0163}', '\u{00b4}',
    '\u{00ad}', '\u{02dd}', '\u{02db}', '\u{02c7}', '\u{02d8}', '\u{00a7}', '\u{00f7}', '\u{00b8}',
    '\u{00b0}', '\u{00a8}', '\u{02d9}', '\u{0171}', '\u{0158}', '\u{0159}', '\u{25a0}', '\u{00a0}',
];

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "Imię;Nazwisko;Miasto\nŻaneta;Świątek-Łódzka;Gdańsk\nGrzegorz;Brzęczyszczykiewicz;Źródła\n";

    fn stats(bytes: &[u8], chunk: usize) -> ByteStats {
        let mut s = ByteStats::default();
        for piece in bytes.chunks(chunk.max(1)) {
            s.feed(piece);
        }
        s
    }

    fn detected(bytes: &[u8]) -> Detection {
        detect(&stats(bytes, 7))
    }

    #[test]
    fn each_code_page_is_told_apart_from_polish_text() {
        for enc in [
            TextEncoding::Windows1250,
            TextEncoding::Iso88592,
            TextEncoding::Cp852,
        ] {
            let bytes = encode(enc, SAMPLE);
            assert_eq!(
                detected(&bytes),
                Detection::Text {
                    encoding: enc,
                    certain: true
                },
                "{enc:?}"
            );
            assert_eq!(decode_all(enc, &bytes), SAMPLE);
        }
    }

    #[test]
    fn utf8_with_and_without_bom_and_utf16_with_and_without_bom() {
        let utf8 = SAMPLE.as_bytes();
        let sure = |encoding| Detection::Text {
            encoding,
            certain: true,
        };
        assert_eq!(detected(utf8), sure(TextEncoding::Utf8));
        let with_bom = [BOM_UTF8, utf8].concat();
        assert_eq!(detected(&with_bom), sure(TextEncoding::Utf8));
        assert_eq!(decode_all(TextEncoding::Utf8, &with_bom), SAMPLE);
        for enc in [TextEncoding::Utf16Le, TextEncoding::Utf16Be] {
            let bare = encode(enc, SAMPLE);
            assert_eq!(detected(&bare), sure(enc));
            let marked = [bom(enc), &bare].concat();
            assert_eq!(detected(&marked), sure(enc));
            assert_eq!(decode_all(enc, &marked), SAMPLE);
        }
    }

    #[test]
    fn utf8_split_inside_a_character_stays_utf8() {
        // Chunks of one byte cut every Polish letter in two.
        let s = stats(SAMPLE.as_bytes(), 1);
        assert_eq!(
            detect(&s),
            Detection::Text {
                encoding: TextEncoding::Utf8,
                certain: true
            }
        );
    }

    #[test]
    fn letters_common_to_two_code_pages_are_certain_but_a_close_call_is_not() {
        // ł, ó and ę sit on the same bytes in Windows-1250 and ISO-8859-2.
        let common = encode(TextEncoding::Windows1250, "Łukasz Gołębiowski;Kłodzko\n");
        assert!(matches!(
            detected(&common),
            Detection::Text { certain: true, .. }
        ));
        // 0xA5 is Ą in Windows-1250 and ą in CP852: both Polish, and different.
        let mixed = b"x\xa5y\n".to_vec();
        assert!(matches!(
            detected(&mixed),
            Detection::Text { certain: false, .. }
        ));
    }

    #[test]
    fn a_few_telling_letters_among_shared_ones_decide() {
        let text = "Imię;Nazwisko\nŁucja;Żółkiewska\nGrzegorz;Brzęczyszczykiewicz\nJan;Łódź\nAnna;Kraków\n";
        for enc in [TextEncoding::Windows1250, TextEncoding::Iso88592] {
            assert_eq!(
                detected(&encode(enc, text)),
                Detection::Text {
                    encoding: enc,
                    certain: true
                },
                "{enc:?}"
            );
        }
    }

    #[test]
    fn binary_and_empty_files_are_not_text() {
        assert_eq!(detected(b""), Detection::Empty);
        assert_eq!(detected(BOM_UTF8), Detection::Empty);
        assert_eq!(detected(b"PK\x03\x04\x00\x00binary\x00"), Detection::Binary);
        assert_eq!(
            detected(&[1u8, 2, 3, 4, 5, 6, 7, 8, 1, 2]),
            Detection::Binary
        );
    }

    #[test]
    fn encoding_back_keeps_polish_letters_and_marks_the_rest() {
        assert_eq!(
            decode_all(
                TextEncoding::Windows1250,
                &encode(TextEncoding::Windows1250, "Żółć ☺")
            ),
            "Żółć ?"
        );
        assert_eq!(
            decode_all(TextEncoding::Cp852, &encode(TextEncoding::Cp852, "ąę")),
            "ąę"
        );
    }

    #[test]
    fn streaming_decoding_equals_decoding_at_once() {
        for enc in TextEncoding::ALL.iter().copied() {
            let bytes = [bom(enc), &encode(enc, SAMPLE)].concat();
            let mut decoder = TextDecoder::new(enc);
            let mut out = String::new();
            for piece in bytes.chunks(3) {
                decoder.decode(piece, false, &mut out);
            }
            decoder.decode(&[], true, &mut out);
            assert_eq!(out, SAMPLE, "{enc:?}");
        }
    }
}
