//! Slots: their types, how a value is stored, and how the policies see it (Rasa's
//! `Slot.as_feature`).

use super::mapping::SlotMapping;
use crate::names::SlotName;
use serde_json::Value;
use std::hash::{Hash, Hasher};

/// The value a categorical slot's unknown values featurize as (Rasa adds it to every
/// categorical slot).
pub const OTHER_CATEGORY: &str = "__other__";

/// A slot's type and its type-specific settings.
#[derive(Debug, Clone, PartialEq)]
pub enum SlotType {
    /// Featurized as set / not set.
    Text,
    /// Featurized as set / not set and the truth value.
    Bool,
    /// Featurized one-hot over `values` (lower-cased, `__other__` last unless listed).
    Categorical {
        /// The possible values, lower-cased as Rasa stores them.
        values: Vec<String>,
    },
    /// Featurized as set / not set and the value scaled into `[min, max]`.
    Float {
        /// Lower bound (default 0).
        min: f64,
        /// Upper bound (default 1).
        max: f64,
    },
    /// Featurized as non-empty / empty.
    List,
    /// Never featurized.
    Any,
    /// A custom slot class (`module.MySlot`), which Bela cannot run: never featurized.
    Custom(String),
}

impl SlotType {
    /// Rasa's name for the type (`text`, `bool`, ...).
    pub fn type_name(&self) -> &str {
        match self {
            Self::Text => "text",
            Self::Bool => "bool",
            Self::Categorical { .. } => "categorical",
            Self::Float { .. } => "float",
            Self::List => "list",
            Self::Any => "any",
            Self::Custom(path) => path,
        }
    }
}

/// One slot of the domain.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// The slot's name.
    pub name: SlotName,
    /// Type and settings.
    pub slot_type: SlotType,
    /// The value at the start of a conversation (and after a reset).
    pub initial_value: Value,
    /// Whether the policies see the slot (default true; always false for `any`).
    pub influence_conversation: bool,
    /// How the slot is filled from user messages, tried in order.
    pub mappings: Vec<SlotMapping>,
}

/// A slot's featurized state, as the policies see it: Rasa's `as_feature` vector,
/// hashable and comparable so policies can memoize on it.
#[derive(Debug, Clone)]
pub struct SlotFeature(Vec<f32>);

impl SlotFeature {
    /// The feature vector.
    pub fn values(&self) -> &[f32] {
        &self.0
    }
}

impl PartialEq for SlotFeature {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|(a, b)| a.to_bits() == b.to_bits())
    }
}

impl Eq for SlotFeature {}

impl Hash for SlotFeature {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for v in &self.0 {
            v.to_bits().hash(state);
        }
    }
}

impl Slot {
    /// A slot of `slot_type` with Rasa's defaults: no initial value, no mappings, and
    /// influencing the conversation unless the type is `any` or custom.
    pub fn new(name: impl Into<SlotName>, slot_type: SlotType) -> Self {
        let influence = !matches!(slot_type, SlotType::Any | SlotType::Custom(_));
        Self {
            name: name.into(),
            slot_type,
            initial_value: Value::Null,
            influence_conversation: influence,
            mappings: Vec::new(),
        }
    }

    /// The value to store when `value` is set on this slot. Rasa stores values as
    /// given; only list slots wrap a single value into a list (a truthy one, as Rasa's
    /// `if value and not isinstance(value, list)`).
    pub fn coerce(&self, value: Value) -> Value {
        match (&self.slot_type, value) {
            (SlotType::List, v) if truthy(&v) && !v.is_array() => Value::Array(vec![v]),
            (_, v) => v,
        }
    }

    /// How many numbers the slot contributes to the policies' features (0 when it does
    /// not influence the conversation).
    pub fn feature_dimensionality(&self) -> usize {
        if !self.influence_conversation {
            return 0;
        }
        match &self.slot_type {
            SlotType::Text | SlotType::List => 1,
            SlotType::Bool | SlotType::Float { .. } => 2,
            SlotType::Categorical { values } => values.len(),
            SlotType::Any | SlotType::Custom(_) => 0,
        }
    }

    /// Rasa's `as_feature` for the slot holding `value` (`None` or null when unset):
    /// empty when the slot does not influence the conversation.
    pub fn as_feature(&self, value: Option<&Value>) -> Vec<f32> {
        if !self.influence_conversation {
            return Vec::new();
        }
        let value = value.filter(|v| !v.is_null());
        match &self.slot_type {
            SlotType::Text => vec![flag(value.is_some())],
            SlotType::List => vec![flag(value.is_some_and(non_empty))],
            SlotType::Bool => match value.map(bool_from_any) {
                Some(Some(b)) => vec![1.0, flag(b)],
                _ => vec![0.0, 0.0],
            },
            SlotType::Float { min, max } => match value.and_then(as_float) {
                Some(x) => {
                    let capped = x.clamp(*min, *max);
                    let range = if (max - min).abs() > 0.0 {
                        (max - min).abs()
                    } else {
                        1.0
                    };
                    vec![1.0, ((capped - min) / range) as f32]
                }
                None => vec![0.0, 0.0],
            },
            SlotType::Categorical { values } => categorical_feature(values, value),
            SlotType::Any | SlotType::Custom(_) => Vec::new(),
        }
    }

    /// The slot's state in the policies' view: `None` when its features are all zero
    /// (Rasa then leaves the slot out of the state), otherwise the features.
    pub fn state(&self, value: Option<&Value>) -> Option<SlotFeature> {
        let features = self.as_feature(value);
        features
            .iter()
            .any(|f| *f != 0.0)
            .then_some(SlotFeature(features))
    }
}

/// Python's truthiness of a JSON value.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|x| x != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

fn flag(b: bool) -> f32 {
    if b { 1.0 } else { 0.0 }
}

/// Python's truthiness of `len(value) > 0` for a list slot's value.
fn non_empty(value: &Value) -> bool {
    match value {
        Value::Array(a) => !a.is_empty(),
        Value::String(s) => !s.is_empty(),
        Value::Object(o) => !o.is_empty(),
        // Rasa's `len()` fails on numbers and booleans and the slot featurizes as unset.
        _ => false,
    }
}

/// Python's `float(value)`: numbers, booleans and numeric strings.
fn as_float(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
}

fn categorical_feature(values: &[String], value: Option<&Value>) -> Vec<f32> {
    let mut out = vec![0.0; values.len()];
    let Some(value) = value else {
        return out;
    };
    let shown = python_str(value).to_lowercase();
    let index = values
        .iter()
        .position(|v| *v == shown)
        .or_else(|| values.iter().position(|v| v == OTHER_CATEGORY));
    if let Some(i) = index {
        out[i] = 1.0;
    }
    out
}

/// Rasa's `bool_from_any`: booleans; numbers and numeric strings equal to 1; the
/// strings `true` / `false` (any case, trimmed). `None` for anything else (Rasa raises,
/// and the slot featurizes as unset).
pub fn bool_from_any(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|x| x == 1.0),
        Value::String(s) if !s.is_empty() && s.chars().all(|c| c.is_numeric()) => {
            s.parse::<f64>().ok().map(|x| x == 1.0)
        }
        Value::String(s) => match s.trim().to_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Python's `str()` of a JSON value as Rasa holds it: strings as they are, `True` /
/// `False` / `None`, floats with a decimal point, lists and dicts in Python's repr.
/// Used where Rasa compares or prints slot values (categorical slots, templates).
pub fn python_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => python_repr(other),
    }
}

fn python_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or_default();
            if x.fract() == 0.0 && x.abs() < 1e16 {
                format!("{x:.1}")
            } else {
                x.to_string()
            }
        }
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(python_repr).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("'{k}': {}", python_repr(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn slot(t: SlotType) -> Slot {
        Slot::new("s", t)
    }

    #[test]
    fn text_and_list_featurize_as_set_or_not() {
        let text = slot(SlotType::Text);
        assert_eq!(text.as_feature(None), vec![0.0]);
        assert_eq!(text.as_feature(Some(&json!("x"))), vec![1.0]);
        assert_eq!(text.as_feature(Some(&Value::Null)), vec![0.0]);
        let list = slot(SlotType::List);
        assert_eq!(list.as_feature(Some(&json!([]))), vec![0.0]);
        assert_eq!(list.as_feature(Some(&json!(["a"]))), vec![1.0]);
    }

    #[test]
    fn bool_follows_rasa_bool_from_any() {
        let b = slot(SlotType::Bool);
        assert_eq!(b.as_feature(Some(&json!(true))), vec![1.0, 1.0]);
        assert_eq!(b.as_feature(Some(&json!("False"))), vec![1.0, 0.0]);
        assert_eq!(b.as_feature(Some(&json!("1"))), vec![1.0, 1.0]);
        assert_eq!(b.as_feature(Some(&json!(0))), vec![1.0, 0.0]);
        // Not convertible: Rasa falls back to "unset".
        assert_eq!(b.as_feature(Some(&json!("sim"))), vec![0.0, 0.0]);
        assert_eq!(b.as_feature(None), vec![0.0, 0.0]);
    }

    #[test]
    fn float_is_capped_and_scaled() {
        let f = slot(SlotType::Float {
            min: 0.0,
            max: 10.0,
        });
        assert_eq!(f.as_feature(Some(&json!(5))), vec![1.0, 0.5]);
        assert_eq!(f.as_feature(Some(&json!(50))), vec![1.0, 1.0]);
        assert_eq!(f.as_feature(Some(&json!("2.5"))), vec![1.0, 0.25]);
        assert_eq!(f.as_feature(Some(&json!("abc"))), vec![0.0, 0.0]);
    }

    #[test]
    fn categorical_is_one_hot_with_other() {
        let c = slot(SlotType::Categorical {
            values: vec!["low".into(), "high".into(), OTHER_CATEGORY.into()],
        });
        assert_eq!(c.as_feature(Some(&json!("HIGH"))), vec![0.0, 1.0, 0.0]);
        assert_eq!(c.as_feature(Some(&json!("medium"))), vec![0.0, 0.0, 1.0]);
        assert_eq!(c.as_feature(None), vec![0.0, 0.0, 0.0]);
        assert_eq!(c.state(None), None);
        assert_eq!(
            c.state(Some(&json!("low"))),
            c.state(Some(&json!("Low"))),
            "case-insensitive states are equal"
        );
        assert_ne!(c.state(Some(&json!("low"))), c.state(Some(&json!("high"))));
    }

    #[test]
    fn unfeaturized_slots_have_no_state() {
        let mut t = slot(SlotType::Text);
        t.influence_conversation = false;
        assert!(t.as_feature(Some(&json!("x"))).is_empty());
        assert_eq!(t.state(Some(&json!("x"))), None);
        assert!(slot(SlotType::Any).as_feature(Some(&json!(1))).is_empty());
    }

    #[test]
    fn list_slots_wrap_single_values() {
        let list = slot(SlotType::List);
        assert_eq!(list.coerce(json!("a")), json!(["a"]));
        assert_eq!(list.coerce(json!(["a"])), json!(["a"]));
        assert_eq!(list.coerce(Value::Null), Value::Null);
        assert_eq!(
            list.coerce(json!("")),
            json!(""),
            "falsy values are not wrapped"
        );
        assert_eq!(slot(SlotType::Bool).coerce(json!("sim")), json!("sim"));
    }

    #[test]
    fn python_str_matches_python() {
        assert_eq!(python_str(&json!("oi")), "oi");
        assert_eq!(python_str(&json!(true)), "True");
        assert_eq!(python_str(&json!(2.0)), "2.0");
        assert_eq!(python_str(&json!(3)), "3");
        assert_eq!(python_str(&Value::Null), "None");
        assert_eq!(python_str(&json!(["a", 1])), "['a', 1]");
    }
}
