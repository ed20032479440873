//! The request encoding of the integrator endpoints (JSON, or the URL-encoded form they
//! took before the API was documented), and the response encoding of every server
//! function.
//!
//! The browser sends JSON. Integrators may send either, and server_fn's codecs see only
//! the body, not its `Content-Type`, so the body tells: a JSON request is an object and
//! starts with `{`, while no form field of ours starts with that character.

use leptos::server_fn::codec::{Encoding, Post};
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::{de::DeserializeOwned, Serialize};

/// `input = JsonOrForm` on a server function: JSON out of the browser, JSON or a form in.
pub type JsonOrForm = Post<JsonOrFormEncoding>;

pub struct JsonOrFormEncoding;

impl ContentType for JsonOrFormEncoding {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonOrFormEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Form(#[from] serde_qs::Error),
}

impl<T: Serialize> Encodes<T> for JsonOrFormEncoding {
    type Error = serde_json::Error;

    fn encode(value: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(value).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonOrFormEncoding {
    type Error = DecodeError;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        if is_json(&bytes) {
            return Ok(serde_json::from_slice(&bytes)?);
        }
        // The settings of server_fn's own form codec: nesting up to 5, lenient brackets.
        Ok(serde_qs::Config::new(5, false).deserialize_bytes(&bytes)?)
    }
}

/// `output = JsonText` on every server function: the JSON server_fn's own `Json` sends,
/// read in the browser with `serde_json::from_str`, the reader the resources use when
/// they hydrate (codee's `JsonSerdeCodec`). With `Json`'s `from_slice` beside it, every
/// result type's deserialiser was compiled into the wasm twice, once per reader type
/// (issue #18, docs/perf.md).
pub type JsonText = Post<JsonTextEncoding>;

pub struct JsonTextEncoding;

impl ContentType for JsonTextEncoding {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonTextEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonTextEncoding {
    type Error = serde_json::Error;

    fn encode(value: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(value).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonTextEncoding {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| <serde_json::Error as serde::de::Error>::custom("not UTF-8"))?;
        serde_json::from_str(text)
    }
}

fn is_json(body: &[u8]) -> bool {
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{')
}

// `Encoding` is what server_fn's `Post<..>` needs of the inner codec; asserting it here
// keeps a server_fn upgrade that changes the bound from failing far away in every macro.
const _: fn() = || {
    fn is_encoding<E: Encoding>() {}
    is_encoding::<JsonOrForm>();
    is_encoding::<JsonText>();
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Args {
        contact_id: i64,
        channel: String,
        note: Option<String>,
        #[serde(default)]
        numbers: Vec<String>,
    }

    fn decode(body: &str) -> Result<Args, DecodeError> {
        <JsonOrFormEncoding as Decodes<Args>>::decode(Bytes::from(body.to_string()))
    }

    #[test]
    fn json_and_form_bodies_decode_alike() {
        let want = Args {
            contact_id: 42,
            channel: "call".into(),
            note: None,
            numbers: vec!["601 234 567".into()],
        };
        let json = r#" {"contact_id": 42, "channel": "call", "numbers": ["601 234 567"]}"#;
        assert_eq!(decode(json).unwrap(), want);
        let form = "contact_id=42&channel=call&numbers[0]=601+234+567";
        assert_eq!(decode(form).unwrap(), want);
    }

    #[test]
    fn a_malformed_body_is_an_error_in_either_encoding() {
        assert!(decode(r#"{"contact_id": "x"}"#).is_err());
        assert!(decode("contact_id=x&channel=call").is_err());
        assert!(decode("").is_err());
        assert!(decode("{").is_err());
    }
}
