//! Rasa's `FallbackClassifier`: predicts `nlu_fallback` when the classifier is unsure.

use super::message::ParseResult;
use super::{Component, IntentScore, Message};
use crate::names::{IntentName, NLU_FALLBACK};
use serde::{Deserialize, Serialize};

/// When to fall back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FallbackConfig {
    /// Below this top confidence the intent becomes `nlu_fallback`.
    pub threshold: f32,
    /// When the top two confidences are closer than this, the intent becomes `nlu_fallback`.
    pub ambiguity_threshold: f32,
}

impl Default for FallbackConfig {
    fn default() -> Self {
        Self {
            threshold: 0.3,
            ambiguity_threshold: 0.1,
        }
    }
}

/// Replaces an unsure prediction by `nlu_fallback`, as Rasa does: the fallback intent goes
/// first in the ranking with confidence equal to the threshold, the original ranking stays
/// below it.
#[derive(Debug, Clone)]
pub struct FallbackClassifier {
    config: FallbackConfig,
}

impl FallbackClassifier {
    /// A fallback classifier with the given thresholds.
    pub fn new(config: FallbackConfig) -> Self {
        Self { config }
    }

    fn is_unsure(&self, ranking: &[IntentScore]) -> bool {
        let Some(top) = ranking.first() else {
            return true;
        };
        if top.confidence < self.config.threshold {
            return true;
        }
        match ranking.get(1) {
            Some(second) => top.confidence - second.confidence < self.config.ambiguity_threshold,
            None => false,
        }
    }
}

impl Component for FallbackClassifier {
    fn name(&self) -> &'static str {
        "FallbackClassifier"
    }

    fn process(&self, message: &mut Message) {
        if !self.is_unsure(&message.intent_ranking) {
            return;
        }
        let fallback = IntentScore {
            name: IntentName::new(NLU_FALLBACK),
            confidence: self.config.threshold,
        };
        message.intent = Some(fallback.clone());
        message.intent_ranking.insert(0, fallback);
    }
}

/// Reverts a fallback prediction to the classifier's own top intent, as Rasa's
/// `rasa test nlu` does before scoring, so that evaluation shows which intent was
/// mistaken instead of hiding it behind `nlu_fallback`.
pub fn undo_fallback(result: &mut ParseResult) {
    if result.intent.name.as_str() != NLU_FALLBACK {
        return;
    }
    result
        .intent_ranking
        .retain(|i| i.name.as_str() != NLU_FALLBACK);
    if let Some(top) = result.intent_ranking.first() {
        result.intent = top.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(scores: &[(&str, f32)]) -> Message {
        let ranking: Vec<IntentScore> = scores
            .iter()
            .map(|(n, c)| IntentScore {
                name: IntentName::new(*n),
                confidence: *c,
            })
            .collect();
        Message {
            intent: ranking.first().cloned(),
            intent_ranking: ranking,
            ..Message::new("x")
        }
    }

    fn intent_after(scores: &[(&str, f32)]) -> String {
        let mut m = message(scores);
        FallbackClassifier::new(FallbackConfig::default()).process(&mut m);
        m.intent.map(|i| i.name.to_string()).unwrap_or_default()
    }

    #[test]
    fn confident_prediction_is_kept() {
        assert_eq!(intent_after(&[("greet", 0.8), ("goodbye", 0.1)]), "greet");
    }

    #[test]
    fn low_confidence_falls_back() {
        assert_eq!(
            intent_after(&[("greet", 0.25), ("goodbye", 0.05)]),
            NLU_FALLBACK
        );
    }

    #[test]
    fn ambiguous_top_two_fall_back() {
        assert_eq!(
            intent_after(&[("greet", 0.45), ("goodbye", 0.40)]),
            NLU_FALLBACK
        );
    }

    #[test]
    fn undo_restores_the_classifier_prediction() {
        let mut m = message(&[("greet", 0.25), ("goodbye", 0.05)]);
        FallbackClassifier::new(FallbackConfig::default()).process(&mut m);
        let mut result = m.to_parse_result(false);
        undo_fallback(&mut result);
        assert_eq!(result.intent.name.as_str(), "greet");
        assert_eq!(result.intent_ranking.len(), 2);
    }

    #[test]
    fn fallback_keeps_original_ranking_below() {
        let mut m = message(&[("greet", 0.2), ("goodbye", 0.1)]);
        FallbackClassifier::new(FallbackConfig::default()).process(&mut m);
        let names: Vec<&str> = m.intent_ranking.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, [NLU_FALLBACK, "greet", "goodbye"]);
    }
}
