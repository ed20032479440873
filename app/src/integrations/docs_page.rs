//! `GET /api/openapi.json` and `GET /api/docs`: the integrator API's document, and the
//! same document as a plain HTML page drawn by the server (no script, no CDN). Both are
//! for anyone signed in and for any valid token.

use crate::domain::text::escape_html;
use axum::extract::Extension;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::openapi::cached_document;
use crate::auth::access::{admit_document, RequestContext};
use crate::error::AppError;

pub const DOCUMENT_ROUTE: &str = super::openapi::DOCUMENT_PATH;
pub const DOCS_ROUTE: &str = "/api/docs";

fn refused(err: AppError) -> Response {
    let status =
        http::StatusCode::from_u16(err.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(err)).into_response()
}

pub async fn serve_document(ctx: Option<Extension<RequestContext>>) -> Response {
    // The layer admitted the caller; the handler asks again, as server functions do.
    if let Err(err) = admit_document(ctx.as_deref().and_then(|c| c.session.as_ref())) {
        return refused(err);
    }
    axum::Json(cached_document()).into_response()
}

pub async fn serve_docs(ctx: Option<Extension<RequestContext>>) -> Response {
    if let Err(err) = admit_document(ctx.as_deref().and_then(|c| c.session.as_ref())) {
        return refused(err);
    }
    let mut response = axum::response::Html(render(cached_document())).into_response();
    // The page's own policy: the app's stylesheet and nothing else.
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ),
    );
    response
}

/// Text with `code` spans, split into paragraphs at blank lines.
fn prose(text: &str) -> String {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let mut html = String::from("<p>");
            for (i, piece) in escape_html(&p.replace('\n', " ")).split('`').enumerate() {
                if i % 2 == 1 {
                    html.push_str("<code>");
                    html.push_str(piece);
                    html.push_str("</code>");
                } else {
                    html.push_str(piece);
                }
            }
            html.push_str("</p>");
            html
        })
        .collect()
}

fn schema_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// A schema in a few words: a link for a named type, the values of an enumeration.
fn type_label(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = escape_html(schema_name(reference));
        return format!("<a href=\"#schema-{name}\">{name}</a>");
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let shown: Vec<String> = values
            .iter()
            .take(12)
            .map(|v| format!("<code>{}</code>", escape_html(&v.to_string())))
            .collect();
        let more = values.len().saturating_sub(shown.len());
        let mut label = shown.join(" | ");
        if more > 0 {
            label.push_str(&format!(" | … ({more} more)"));
        }
        return label;
    }
    if let Some(value) = schema.get("const") {
        return format!("<code>{}</code>", escape_html(&value.to_string()));
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            return options
                .iter()
                .map(type_label)
                .collect::<Vec<_>>()
                .join(" or ");
        }
    }
    match schema.get("type") {
        Some(Value::Array(types)) => {
            let names: Vec<String> = types
                .iter()
                .filter_map(Value::as_str)
                .map(|t| type_label(&serde_json::json!({"type": t, "items": schema.get("items")})))
                .collect();
            names.join(" or ")
        }
        Some(Value::String(t)) if t == "array" => match schema.get("items") {
            Some(items) if !items.is_null() => format!("array of {}", type_label(items)),
            _ => "array".to_string(),
        },
        Some(Value::String(t)) if t == "object" => match schema.get("additionalProperties") {
            Some(values) if values.is_object() => format!("map of text to {}", type_label(values)),
            _ => "object".to_string(),
        },
        Some(Value::String(t)) => {
            let format = schema.get("format").and_then(Value::as_str);
            match format {
                Some(f) => format!("{} ({})", escape_html(t), escape_html(f)),
                None => escape_html(t),
            }
        }
        _ => "any".to_string(),
    }
}

fn fields_table(schema: &Value) -> String {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return match schema.get("oneOf").and_then(Value::as_array) {
            Some(variants) => {
                let items: String = variants
                    .iter()
                    .map(|v| {
                        format!(
                            "<li><pre>{}</pre>{}</li>",
                            escape_html(&serde_json::to_string(v).unwrap_or_default()),
                            prose(v.get("description").and_then(Value::as_str).unwrap_or("")),
                        )
                    })
                    .collect();
                format!("<p>One of:</p><ul>{items}</ul>")
            }
            None => format!("<p>{}</p>", type_label(schema)),
        };
    };
    if properties.is_empty() {
        return "<p>No fields: send <code>{}</code>.</p>".to_string();
    }
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let rows: String = properties
        .iter()
        .map(|(name, field)| {
            format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape_html(name),
                type_label(field),
                if required.contains(&name.as_str()) {
                    "yes"
                } else {
                    "no"
                },
                prose(
                    field
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                ),
            )
        })
        .collect();
    format!(
        "<div class=\"table-scroll\"><table><thead><tr><th>Field</th><th>Type</th>\
         <th>Required</th><th>Meaning</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )
}

/// The document as one page: the operations, then the types they name.
pub fn render(doc: &Value) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Zgoda — integrator API</title>\
         <link rel=\"stylesheet\" href=\"/pkg/zgoda.css\"></head><body><main class=\"stack\">",
    );
    html.push_str("<h1>Zgoda — integrator API</h1>");
    html.push_str(&prose(doc["info"]["description"].as_str().unwrap_or("")));
    html.push_str(&format!(
        "<p>Version {}. The machine-readable document: <a href=\"{}\">openapi.json</a> \
         (OpenAPI 3.1).</p>",
        escape_html(doc["info"]["version"].as_str().unwrap_or("")),
        super::openapi::DOCUMENT_PATH,
    ));
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    html.push_str("<nav><ul>");
    for (path, item) in &paths {
        let id = escape_html(item["post"]["operationId"].as_str().unwrap_or(""));
        html.push_str(&format!(
            "<li><a href=\"#op-{id}\"><code>{}</code></a></li>",
            escape_html(path)
        ));
    }
    html.push_str("</ul></nav>");
    for (path, item) in &paths {
        let op = &item["post"];
        let id = escape_html(op["operationId"].as_str().unwrap_or(""));
        html.push_str(&format!(
            "<section class=\"card stack\" id=\"op-{id}\"><h2><code>POST {}</code></h2>",
            escape_html(path)
        ));
        html.push_str(&prose(op["description"].as_str().unwrap_or("")));
        let content = op["requestBody"]["content"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (media_type, body) in &content {
            html.push_str(&format!(
                "<h3>Request: <code>{}</code></h3>",
                escape_html(media_type)
            ));
            html.push_str(&fields_table(&body["schema"]));
        }
        html.push_str("<h3>Answer (200, JSON)</h3>");
        html.push_str(&format!(
            "<p>{}</p>",
            type_label(&op["responses"]["200"]["content"]["application/json"]["schema"])
        ));
        html.push_str("<h3>Errors</h3><ul>");
        if let Some(responses) = op["responses"].as_object() {
            for (status, response) in responses.iter().filter(|(s, _)| *s != "200") {
                html.push_str(&format!(
                    "<li><strong>{}</strong>: {}</li>",
                    escape_html(status),
                    escape_html(response["description"].as_str().unwrap_or("")),
                ));
            }
        }
        html.push_str("</ul></section>");
    }
    html.push_str("<h2>Types</h2>");
    if let Some(schemas) = doc["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            let name = escape_html(name);
            html.push_str(&format!(
                "<section class=\"card stack\" id=\"schema-{name}\"><h3>{name}</h3>"
            ));
            html.push_str(&prose(
                schema
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
            ));
            html.push_str(&fields_table(schema));
            html.push_str("</section>");
        }
    }
    html.push_str("</main></body></html>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_shows_every_operation_and_type_and_escapes_text() {
        let doc = super::super::openapi::document();
        let html = render(&doc);
        for path in doc["paths"].as_object().unwrap().keys() {
            assert!(html.contains(&format!("POST {path}")), "{path}");
        }
        for name in doc["components"]["schemas"].as_object().unwrap().keys() {
            assert!(html.contains(&format!("id=\"schema-{name}\"")), "{name}");
        }
        assert!(!html.contains("<script"));
        assert_eq!(
            escape_html("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
        assert_eq!(
            prose("Use `x`.\n\nNext"),
            "<p>Use <code>x</code>.</p><p>Next</p>"
        );
    }
}
