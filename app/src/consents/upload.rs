//! Reading a consent decision sent as a multipart form, with its evidence file: sizes
//! are enforced while reading, and the file's type comes from its content.

use std::collections::HashMap;

use leptos::server_fn::codec::MultipartData;

use super::model::{ConsentChannel, Decision, Method, Purpose};
use super::sniff::{sniff, MAX_RECORDING_BYTES};
use super::store::{Evidence, NewDecision};
use crate::error::AppError;
use crate::i18n::Msg;

const MAX_FIELD_BYTES: usize = 1024;

pub struct DecisionForm {
    fields: HashMap<String, String>,
    file: Option<(String, Vec<u8>)>,
}

fn bad_request() -> AppError {
    AppError::field("request", Msg::ErrBadRequest)
}

pub async fn read(data: MultipartData) -> Result<DecisionForm, AppError> {
    let mut multipart = data.into_inner().ok_or_else(bad_request)?;
    let mut fields = HashMap::new();
    let mut file = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| bad_request())? {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = name == "evidence";
        let limit = if is_file {
            MAX_RECORDING_BYTES
        } else {
            MAX_FIELD_BYTES
        };
        let file_name = field.file_name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| bad_request())? {
            if bytes.len() + chunk.len() > limit {
                return Err(if is_file {
                    AppError::field("evidence", Msg::ErrEvidenceTooLarge)
                } else {
                    bad_request()
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_file {
            // A file input left empty still sends an empty part.
            if !bytes.is_empty() {
                file = Some((file_name, bytes));
            }
        } else {
            fields.insert(name, String::from_utf8(bytes).map_err(|_| bad_request())?);
        }
    }
    Ok(DecisionForm { fields, file })
}

impl DecisionForm {
    fn id(&self, name: &str) -> Result<Option<i64>, AppError> {
        match self.fields.get(name).map(|s| s.trim()) {
            None | Some("") => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| AppError::field(name, Msg::ErrBadRequest)),
        }
    }

    fn choice<T>(&self, name: &str, parse: fn(&str) -> Option<T>) -> Result<T, AppError> {
        self.fields
            .get(name)
            .and_then(|v| parse(v.trim()))
            .ok_or_else(|| AppError::field(name, Msg::ErrBadRequest))
    }

    pub fn into_decision(self) -> Result<NewDecision, AppError> {
        let required =
            |v: Option<i64>, name: &str| v.ok_or_else(|| AppError::field(name, Msg::ErrBadRequest));
        let evidence = match &self.file {
            None => None,
            Some((name, bytes)) => {
                let media_type = sniff(bytes).map_err(|m| AppError::field("evidence", m))?;
                Some(Evidence {
                    file_name: clean_file_name(name),
                    media_type,
                    bytes: bytes.clone(),
                })
            }
        };
        Ok(NewDecision {
            contact_id: required(self.id("contact_id")?, "contact_id")?,
            definition_id: required(self.id("definition_id")?, "definition_id")?,
            decision: self.choice("decision", Decision::parse)?,
            method: self.choice("method", Method::parse)?,
            case_id: self.id("case_id")?,
            evidence,
        })
    }
}

/// The last path component, without control characters, at most 200 characters.
fn clean_file_name(raw: &str) -> String {
    raw.rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect()
}

/// The channel and purpose of a contact check or a logged communication.
pub fn channel_and_purpose(
    channel: &str,
    purpose: &str,
) -> Result<(ConsentChannel, Purpose), AppError> {
    let channel = ConsentChannel::parse(channel)
        .filter(|c| *c != ConsentChannel::Any)
        .ok_or_else(|| AppError::field("channel", Msg::ErrBadRequest))?;
    let purpose =
        Purpose::parse(purpose).ok_or_else(|| AppError::field("purpose", Msg::ErrBadRequest))?;
    Ok((channel, purpose))
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

    #[test]
    fn any_is_no_channel_to_contact_on() {
        assert!(channel_and_purpose("any", "service").is_err());
        assert!(channel_and_purpose("sms", "marketing").is_ok());
        assert!(channel_and_purpose("fax", "service").is_err());
    }
}
