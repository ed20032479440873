//! `/api/openapi.json`: the integrator API as an OpenAPI 3.1 document, built from the
//! code. Each operation is one server function of `auth::access::API`: its path from
//! the function, its description from the function's doc comment, its arguments and
//! answer from their Rust types (`schemars`), its roles from the endpoint table, its
//! errors from `AppError`. Nothing here is written per endpoint but the list itself, and
//! a test holds that list to `API`.

use std::sync::OnceLock;

use leptos::server_fn::ServerFn;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Map, Value};

use crate::auth::access::{endpoint_access, Access};
use crate::error::AppError;

pub const DOCUMENT_PATH: &str = "/api/openapi.json";

/// How an operation takes its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// A JSON object; the same fields URL-encoded are accepted too.
    JsonOrForm,
    /// `multipart/form-data`, for a file beside the fields.
    Multipart,
}

/// One documented endpoint.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The endpoint name (`contact_get`), as in the endpoint table.
    pub name: String,
    pub path: &'static str,
    pub description: String,
    pub encoding: Encoding,
    pub request: Value,
    pub response: Value,
}

fn operation<F>(generator: &mut SchemaGenerator, encoding: Encoding, request: Value) -> Operation
where
    F: ServerFn,
    F::Output: JsonSchema,
{
    let name = F::PATH.rsplit('/').next().unwrap_or_default().to_string();
    let mut request = request;
    // The function's doc comment travels on its argument struct; it describes the call.
    let description = request
        .as_object_mut()
        .and_then(|o| o.remove("description"))
        .and_then(|d| d.as_str().map(str::to_string))
        .unwrap_or_default();
    if let Some(o) = request.as_object_mut() {
        o.remove("title");
    }
    Operation {
        name,
        path: F::PATH,
        description,
        encoding,
        request,
        response: generator.subschema_for::<F::Output>().to_value(),
    }
}

/// A server function whose arguments arrive as JSON (or the same fields as a form).
fn json<F>(generator: &mut SchemaGenerator) -> Operation
where
    F: ServerFn + JsonSchema,
    F::Output: JsonSchema,
{
    let request = F::json_schema(generator).to_value();
    operation::<F>(generator, Encoding::JsonOrForm, request)
}

/// A server function reading a multipart form, described by the struct it reads into.
fn multipart<F, Fields>(generator: &mut SchemaGenerator) -> Operation
where
    F: ServerFn,
    F::Output: JsonSchema,
    Fields: JsonSchema,
{
    let request = Fields::json_schema(generator).to_value();
    operation::<F>(generator, Encoding::Multipart, request)
}

fn generator() -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
        .into_generator()
}

/// Every integrator endpoint, in the order the document lists them.
pub fn operations(generator: &mut SchemaGenerator) -> Vec<Operation> {
    use crate::consents::api as consents;
    use crate::contacts::api as contacts;
    vec![
        json::<crate::system::SystemInfo>(generator),
        json::<contacts::ContactSearch>(generator),
        json::<contacts::ContactGet>(generator),
        json::<contacts::ContactSave>(generator),
        json::<crate::history::api::ContactHistory>(generator),
        json::<consents::CanContact>(generator),
        json::<consents::DialerCheck>(generator),
        json::<consents::ConsentDefinitions>(generator),
        multipart::<consents::ConsentRecord, crate::consents::store::NewDecision>(generator),
        json::<consents::ConsentWebForm>(generator),
        json::<consents::ConsentWithdrawalLink>(generator),
        json::<consents::CommunicationLog>(generator),
        json::<consents::MarketingObjectionSet>(generator),
        json::<consents::PurposeObjectionRecord>(generator),
        json::<consents::PurposeObjectionLift>(generator),
        json::<crate::restriction::api::ContactRestrict>(generator),
        json::<crate::restriction::api::ContactRestrictionLift>(generator),
        json::<crate::subject_data::api::ContactDataExport>(generator),
        json::<crate::sources::api::DataSources>(generator),
        json::<crate::erasure::api::ErasureRequest>(generator),
        json::<crate::recipients::api::DisclosureRecord>(generator),
    ]
}

fn roles_of(name: &str) -> Vec<&'static str> {
    match endpoint_access(name) {
        Some(Access::Roles(roles)) => roles.iter().map(|r| r.as_str()).collect(),
        Some(Access::Public) => vec!["public"],
        Some(Access::SignedInDuringPasswordChange) | None => Vec::new(),
    }
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AppError"}}},
    })
}

fn path_item(op: &Operation) -> Value {
    let roles = roles_of(&op.name);
    let public = roles == ["public"];
    let mut description = op.description.clone();
    description.push_str(if public {
        "\n\nOpen to anyone."
    } else {
        "\n\nRoles that may call it (a token acts as one): "
    });
    if !public {
        description.push_str(&roles.join(", "));
        description.push('.');
    }
    let content = match op.encoding {
        Encoding::JsonOrForm => json!({"application/json": {"schema": op.request}}),
        Encoding::Multipart => json!({"multipart/form-data": {"schema": op.request}}),
    };
    let security = if public {
        json!([{}, {"bearer": []}])
    } else {
        json!([{"bearer": []}])
    };
    json!({"post": {
        "operationId": op.name,
        "summary": op.description.split(". ").next().unwrap_or_default(),
        "description": description,
        "x-zgoda-roles": roles,
        "security": security,
        "requestBody": {"required": true, "content": content},
        "responses": {
            "200": {
                "description": "Done; the answer.",
                "content": {"application/json": {"schema": op.response}},
            },
            "401": error_response("No valid token or session (`unauthenticated`)."),
            "403": error_response("Not open to this caller: its role, its endpoint list or its address (`forbidden`)."),
            "422": error_response("An argument is missing or invalid (`validation`, with the field)."),
            "429": error_response("Over the token's rate (`rate_limited`); see `Retry-After`."),
            "default": error_response("Any other refusal or failure: the status says which (`not_found` 404, `conflict` 409, `unavailable` 503, …)."),
        },
    }})
}

/// The whole document, as served.
pub fn document() -> Value {
    let mut generator = generator();
    let operations = operations(&mut generator);
    let mut paths = Map::new();
    for op in &operations {
        paths.insert(op.path.to_string(), path_item(op));
    }
    generator.subschema_for::<AppError>();
    let schemas = generator.take_definitions(true);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Zgoda",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The integrator API of Zgoda, the personal-data module of a contact \
                center. Send `Authorization: Bearer <token>` (tokens are made by an \
                administrator in Integracje). Every call is a POST with a JSON body (the \
                same fields URL-encoded are accepted too) and answers JSON; an error answers \
                its status with an `AppError` body.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    })
}

/// The document, built once per process (it depends only on the code).
pub fn cached_document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::access::API;

    #[test]
    fn the_document_names_exactly_the_integrator_endpoints_each_described() {
        let ops = operations(&mut generator());
        let mut names: Vec<&str> = ops.iter().map(|o| o.name.as_str()).collect();
        names.sort();
        let mut api: Vec<&str> = API.to_vec();
        api.sort();
        assert_eq!(names, api, "document vs auth::access::API");
        for op in &ops {
            assert_eq!(op.path, format!("/api/{}", op.name));
            assert!(
                op.description.len() > 20,
                "{} has no description (a doc comment on the server function)",
                op.name
            );
            assert!(!roles_of(&op.name).is_empty(), "{}", op.name);
        }
    }

    #[test]
    fn every_reference_resolves() {
        let doc = document();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        assert!(schemas.contains_key("AppError"));
        let text = doc.to_string();
        for piece in text.split("\"$ref\":\"").skip(1) {
            let target = piece.split('"').next().unwrap();
            let name = target
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("a reference outside components: {target}"));
            assert!(schemas.contains_key(name), "{target} is not defined");
        }
    }

    #[test]
    fn the_schemas_say_what_the_code_accepts() {
        let doc = document();
        let schemas = &doc["components"]["schemas"];
        // A new e-mail address needs no channel flags (the wire form, not the stored one).
        let channel = &schemas["Channel"];
        let required: Vec<&str> = channel["required"]
            .as_array()
            .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(required, ["value"], "{channel}");
        // Errors list every message key they may carry.
        assert!(schemas["Msg"]["enum"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("ErrBadRequest")));
        // The dialer's defaults are optional in its request.
        let dialer = &doc["paths"]["/api/dialer_check"]["post"]["requestBody"]["content"]
            ["application/json"]["schema"];
        assert_eq!(
            dialer["required"],
            serde_json::json!(["numbers"]),
            "{dialer}"
        );
        // A multipart operation documents its file part.
        let record = &doc["paths"]["/api/consent_record"]["post"]["requestBody"]["content"]
            ["multipart/form-data"]["schema"];
        assert!(record["properties"]["evidence"].is_object(), "{record}");
    }
}
