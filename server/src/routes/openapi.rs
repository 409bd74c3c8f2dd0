//! `GET /openapi.json`: the OpenAPI 3 description of Bela's HTTP API, kept as YAML in
//! `server/openapi.yml` and converted once.

use crate::error::ApiError;
use axum::Json;
use axum::http::StatusCode;
use bela_engine::data::{Diagnostic, yaml_to_json};
use serde_json::Value;
use std::path::Path;
use std::sync::OnceLock;

/// The document's source, compiled in.
const SOURCE: &str = include_str!("../../openapi.yml");

/// The document as JSON (parsed on first use).
pub fn document() -> Result<&'static Value, &'static Diagnostic> {
    static DOCUMENT: OnceLock<Result<Value, Diagnostic>> = OnceLock::new();
    DOCUMENT
        .get_or_init(|| yaml_to_json(SOURCE, Path::new("server/openapi.yml")))
        .as_ref()
}

/// Serves the document.
pub async fn openapi() -> Result<Json<&'static Value>, ApiError> {
    document().map(Json).map_err(|d| {
        tracing::error!("{}: {}", d.location, d.message);
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "the API description could not be read; see the server log",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_openapi_3_with_a_schema_for_every_reference() {
        let doc = document().expect("openapi.yml parses");
        assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
        let text = doc.to_string();
        let mut refs = text.split("\"$ref\":\"#/").skip(1);
        let unresolved: Vec<&str> = refs
            .by_ref()
            .filter_map(|rest| rest.split('"').next())
            .filter(|pointer| doc.pointer(&format!("/{pointer}")).is_none())
            .collect();
        assert!(unresolved.is_empty(), "dangling $ref: {unresolved:?}");
    }
}
