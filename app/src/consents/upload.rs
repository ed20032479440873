//! A consent decision sent as a multipart form, with its evidence file: the file's
//! type comes from its content.

use leptos::server_fn::codec::MultipartData;

use super::model::{ConsentChannel, Decision, Method, Purpose};
use super::sniff::{sniff, MAX_RECORDING_BYTES};
use super::store::{Evidence, NewDecision};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::upload::Upload;

pub async fn read_decision(data: MultipartData) -> Result<NewDecision, AppError> {
    let form = crate::upload::read(data, "evidence", MAX_RECORDING_BYTES).await?;
    into_decision(&form)
}

fn choice<T>(form: &Upload, name: &str, parse: fn(&str) -> Option<T>) -> Result<T, AppError> {
    parse(form.text(name).trim()).ok_or_else(|| AppError::field(name, Msg::ErrBadRequest))
}

fn required<T>(v: Option<T>, name: &str) -> Result<T, AppError> {
    v.ok_or_else(|| AppError::field(name, Msg::ErrBadRequest))
}

fn into_decision(form: &Upload) -> Result<NewDecision, AppError> {
    let evidence = match &form.file {
        None => None,
        Some((name, bytes)) => Some(Evidence {
            file_name: name.clone(),
            media_type: sniff(bytes).map_err(|m| AppError::field("evidence", m))?,
            bytes: bytes.clone(),
        }),
    };
    Ok(NewDecision {
        contact_id: required(form.id("contact_id")?, "contact_id")?,
        definition_id: required(form.id("definition_id")?, "definition_id")?,
        decision: choice(form, "decision", Decision::parse)?,
        method: choice(form, "method", Method::parse)?,
        case_id: form.id("case_id")?,
        statement_version: form.id("statement_version")?,
        evidence,
    })
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
    fn any_is_no_channel_to_contact_on() {
        assert!(channel_and_purpose("any", "service").is_err());
        assert!(channel_and_purpose("sms", "marketing").is_ok());
        assert!(channel_and_purpose("fax", "service").is_err());
    }
}
