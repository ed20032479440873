//! What an uploaded evidence file really is, from its content rather than its name:
//! a recording (WAV, MP3, Ogg) or an e-mail message (.eml).

use crate::i18n::Msg;

pub const MAX_RECORDING_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_EMAIL_BYTES: usize = 5 * 1024 * 1024;
pub const EML: &str = "message/rfc822";
/// The evidence document of a web-form consent (`consents::web_form`), made by Zgoda.
pub const WEB_FORM: &str = "application/json";

/// The media type of an accepted file, or the message to show.
pub fn sniff(bytes: &[u8]) -> Result<&'static str, Msg> {
    if bytes.is_empty() {
        return Err(Msg::ErrEvidenceEmpty);
    }
    let media = if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WAVE" {
        "audio/wav"
    } else if bytes.starts_with(b"OggS") {
        "audio/ogg"
    } else if bytes.starts_with(b"ID3")
        || (bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0)
    {
        "audio/mpeg"
    } else if looks_like_email(bytes) {
        EML
    } else {
        return Err(Msg::ErrEvidenceType);
    };
    let limit = if media == EML {
        MAX_EMAIL_BYTES
    } else {
        MAX_RECORDING_BYTES
    };
    if bytes.len() > limit {
        return Err(Msg::ErrEvidenceTooLarge);
    }
    Ok(media)
}

/// Text without NUL bytes whose header block holds at least two of the usual headers.
fn looks_like_email(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(16 * 1024)];
    if head.contains(&0) {
        return false;
    }
    let text = String::from_utf8_lossy(head);
    let known = [
        "from:",
        "to:",
        "subject:",
        "date:",
        "received:",
        "message-id:",
        "mime-version:",
        "return-path:",
        "delivered-to:",
    ];
    let headers = text
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| {
            let lower = l.to_ascii_lowercase();
            known.iter().any(|k| lower.starts_with(k))
        })
        .count();
    headers >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn recordings_and_messages_are_recognised() {
        let mut wav = b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec();
        wav.extend_from_slice(&[0; 32]);
        assert_eq!(sniff(&wav), Ok("audio/wav"));
        assert_eq!(sniff(b"OggS\x00\x02rest"), Ok("audio/ogg"));
        assert_eq!(sniff(b"ID3\x04\x00rest"), Ok("audio/mpeg"));
        assert_eq!(sniff(&[0xFF, 0xFB, 0x90, 0x00]), Ok("audio/mpeg"));
        let eml = b"From: Jan <jan@example.pl>\r\nTo: bok@firma.pl\r\nSubject: Zgoda\r\n\r\nTre\xc5\x9b\xc4\x87";
        assert_eq!(sniff(eml), Ok(EML));
    }

    #[test]
    fn other_files_are_refused() {
        assert_eq!(sniff(b""), Err(Msg::ErrEvidenceEmpty));
        assert_eq!(sniff(b"%PDF-1.7"), Err(Msg::ErrEvidenceType));
        assert_eq!(sniff(b"MZ\x90\x00"), Err(Msg::ErrEvidenceType));
        assert_eq!(
            sniff(b"Subject: only one header\r\n\r\nbody"),
            Err(Msg::ErrEvidenceType)
        );
        assert_eq!(
            sniff(b"From: a\nTo: b\n\x00binary"),
            Err(Msg::ErrEvidenceType)
        );
        let mut big = b"OggS".to_vec();
        big.resize(MAX_RECORDING_BYTES + 1, 0);
        assert_eq!(sniff(&big), Err(Msg::ErrEvidenceTooLarge));
    }

    proptest! {
        #[test]
        fn any_bytes_get_an_answer(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = sniff(&bytes);
        }
    }
}
