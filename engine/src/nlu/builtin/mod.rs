//! Bela's built-in pt-BR entity extractor, compatible with Duckling: dates and times,
//! durations, numbers, ordinals, money, phone numbers, e-mails and URLs, with values in
//! Duckling's JSON shape, so no Duckling server is needed.
//!
//! - [`extract`] finds the values in a text relative to a [`ReferenceTime`] (the
//!   patient's "now" and time zone).
//! - [`DucklingExtractor`] is the pipeline stage (reported as `DucklingEntityExtractor`,
//!   as in Rasa), configured by [`BuiltinConfig`].
//! - [`values`] holds the typed values ([`TimeValue`], [`Grain`], [`Money`],
//!   [`DurationValue`]...) the dialogue layer consumes.
//! - [`eval`] scores the extractor on Duckling's own corpus files.
//!
//! How it works: the text is folded (lower case, no accents) and split into tokens
//! (`lexer`); scanners seed numbers, ordinals, currencies, units and time words; a
//! chart parser (`chart`) applies the rules of each dimension until nothing new
//! appears; the longest non-overlapping readings are reported. Time forms resolve
//! towards the future (see the `time` module and the README's "Built-in entities").

mod chart;
mod component;
mod contact;
mod duration;
pub mod eval;
mod extract;
mod lexer;
mod money;
mod numeral;
mod ordinal;
pub mod reference;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
mod time;
pub mod values;

pub use component::{BuiltinConfig, DUCKLING_EXTRACTOR, DucklingExtractor};
pub use extract::{BuiltinEntity, extract};
pub use reference::{DEFAULT_TIME_ZONE, ReferenceTime};
pub use values::{BuiltinValue, Dimension, DurationValue, Grain, Money, TimePoint, TimeValue};
