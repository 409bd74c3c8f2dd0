//! Training data: the in-memory model, Rasa's YAML and Markdown readers, the YAML writer,
//! JSON test sets and the validator.

mod diagnostic;
mod lookup_file;
mod model;
pub(crate) mod yaml_value;

pub mod loader;
pub mod markdown;
pub mod markup;
pub mod test_set;
pub mod validate;
pub mod writer;
pub mod yaml;

pub use diagnostic::{Diagnostic, Location, Severity};
pub use model::{EntityAnnotation, Example, LookupTable, RegexPattern, Synonym, TrainingData};
