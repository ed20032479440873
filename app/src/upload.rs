//! Reading a multipart form with at most one file, enforcing sizes while reading.

use std::collections::HashMap;

use leptos::server_fn::codec::MultipartData;

use crate::error::AppError;
use crate::i18n::Msg;

const MAX_FIELD_BYTES: usize = 16 * 1024;

pub struct Upload {
    pub fields: HashMap<String, String>,
    /// The file's name as sent and its bytes; absent when the file input was empty.
    pub file: Option<(String, Vec<u8>)>,
}

fn bad_request() -> AppError {
    AppError::field("request", Msg::ErrBadRequest)
}

pub async fn read(
    data: MultipartData,
    file_field: &str,
    max_file: usize,
) -> Result<Upload, AppError> {
    let mut multipart = data.into_inner().ok_or_else(bad_request)?;
    let mut fields = HashMap::new();
    let mut file = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| bad_request())? {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = name == file_field;
        let limit = if is_file { max_file } else { MAX_FIELD_BYTES };
        let file_name = field.file_name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| bad_request())? {
            if bytes.len() + chunk.len() > limit {
                return Err(if is_file {
                    AppError::field(file_field, Msg::ErrEvidenceTooLarge)
                } else {
                    bad_request()
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_file {
            // A file input left empty still sends an empty part.
            if !bytes.is_empty() {
                file = Some((clean_file_name(&file_name), bytes));
            }
        } else {
            fields.insert(name, String::from_utf8(bytes).map_err(|_| bad_request())?);
        }
    }
    Ok(Upload { fields, file })
}

impl Upload {
    pub fn text(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    pub fn id<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, AppError> {
        match self.fields.get(name).map(|s| s.trim()) {
            None | Some("") => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| AppError::field(name, Msg::ErrBadRequest)),
        }
    }
}

/// The last path component, without control characters, at most 200 characters.
pub fn clean_file_name(raw: &str) -> String {
    raw.rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_their_paths() {
        assert_eq!(clean_file_name("C:\\nagrania\\rozmowa.wav"), "rozmowa.wav");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b.eml"), "ab.eml");
    }
}
