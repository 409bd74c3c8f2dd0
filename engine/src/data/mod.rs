//! Training data: the in-memory model, Rasa's YAML and Markdown readers, the YAML writer,
//! JSON test sets and the validator.

mod diagnostic;
mod lookup_file;
mod model;
pub mod yaml_value;

pub mod loader;
pub mod markdown;
pub mod markup;
pub mod test_set;
pub mod validate;
pub mod writer;
pub mod yaml;

pub use diagnostic::{Diagnostic, Location, Severity};
pub use model::{EntityAnnotation, Example, LookupTable, RegexPattern, Synonym, TrainingData};

/// Parses the first YAML document of `text` into JSON (`null` for an empty file), for
/// crates that need plain YAML without locations (the server's OpenAPI document). A
/// syntax error is located in `file`.
pub fn yaml_to_json(text: &str, file: &std::path::Path) -> Result<serde_json::Value, Diagnostic> {
    let file = std::sync::Arc::new(file.to_path_buf());
    Ok(yaml_value::load(text, &file)?
        .map_or(serde_json::Value::Null, |root| yaml_value::to_json(&root)))
}
