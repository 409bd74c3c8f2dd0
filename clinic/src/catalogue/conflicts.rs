//! The catalogue's words against the NLU training data's `synonym:` blocks: one text
//! mapped to two values would make normalisation depend on which source wins.

use super::Catalogue;
use bela_engine::data::{Diagnostic, Location, TrainingData};
use bela_engine::text::fold;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

impl Catalogue {
    /// A warning for each training-data synonym whose text (case and accents folded) the
    /// catalogue maps to another value, located at the training data's synonym block.
    pub fn synonym_conflicts(&self, training: &TrainingData) -> Vec<Diagnostic> {
        let mine: HashMap<String, (String, String)> = self
            .synonyms()
            .into_iter()
            .map(|(text, value, entity)| (fold(&text), (value, entity.to_string())))
            .collect();
        let nowhere = || Location::new(Arc::new(PathBuf::from("training data")), 1, 1);
        let mut out = Vec::new();
        for synonym in &training.synonyms {
            for example in &synonym.examples {
                let Some((value, entity)) = mine.get(&fold(example)) else {
                    continue;
                };
                if *value != synonym.value {
                    out.push(Diagnostic::warning(
                        synonym.location.clone().unwrap_or_else(nowhere),
                        format!(
                            "synonym `{example}` maps to `{}` here but to {entity} `{value}` in \
                             the catalogue; keep one",
                            synonym.value
                        ),
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::catalogue;
    use bela_engine::data::{Synonym, TrainingData};

    #[test]
    fn a_training_synonym_for_another_value_is_a_warning() {
        let training = TrainingData {
            synonyms: vec![
                Synonym {
                    value: "limpeza_de_pele".into(),
                    examples: vec!["Botoks".into(), "limpeza".into()],
                    location: None,
                },
                Synonym {
                    value: "botox".into(),
                    examples: vec!["btx".into()],
                    location: None,
                },
            ],
            ..TrainingData::default()
        };
        let warnings = catalogue().synonym_conflicts(&training);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            warnings[0].message,
            "synonym `Botoks` maps to `limpeza_de_pele` here but to procedure `botox` in the \
             catalogue; keep one"
        );
    }
}
