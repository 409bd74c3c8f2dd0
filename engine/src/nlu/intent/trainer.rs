//! Training orchestration: labels, features, the held-out calibration run and the final
//! run on all the data.

use super::IntentConfig;
use super::calibration::{CalibrationReport, calibrate};
use super::classifier::IntentClassifier;
use super::featurizer::{FeatureSpec, Featurizer, StemLanguage};
use super::fit::{TrainSet, fit};
use super::network::Network;
use super::vocabulary::{SparseVec, Vocabulary};
use crate::names::IntentName;
use crate::nlu::{Prepared, Progress};
use crate::rng::Rng;
use crate::{Error, Result};

/// Fewer held-out examples than this cannot fit a temperature reliably; the model then
/// relies on label smoothing alone.
const MIN_HOLDOUT: usize = 20;

/// Trains [`IntentClassifier`]s.
#[derive(Debug, Clone)]
pub struct IntentTrainer {
    config: IntentConfig,
    language: String,
}

/// A vocabulary with the network trained on it.
struct Fitted {
    vocabulary: Vocabulary,
    network: Network,
}

impl IntentTrainer {
    /// A trainer with these options for data in `language` (`pt`, `en`, ...: picks the
    /// stemmer).
    pub fn new(config: &IntentConfig, language: &str) -> Self {
        Self {
            config: config.clone(),
            language: language.to_owned(),
        }
    }

    /// Trains on `data` (the label of `data[i]` is `data[i].example.intent`), reporting
    /// each epoch to `progress`.
    pub fn train(
        &self,
        data: &[Prepared<'_>],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<IntentClassifier> {
        self.config.validate()?;
        if data.is_empty() {
            return Err(Error::InvalidInput(
                "the intent classifier needs at least one training example".into(),
            ));
        }
        let dense_dim = dense_dim(data)?;
        let mut intents: Vec<IntentName> = data.iter().map(|p| p.example.intent.clone()).collect();
        intents.sort();
        intents.dedup();
        let labels: Vec<usize> = data
            .iter()
            .map(|p| intents.binary_search(&p.example.intent).unwrap_or_default())
            .collect();
        let featurizer = Featurizer::new(FeatureSpec {
            char_ngrams: self.config.char_ngrams,
            bigrams: self.config.bigrams,
            stemmer: StemLanguage::for_language(&self.language).filter(|_| self.config.stemming),
        });
        let holdout = split_holdout(&labels, self.config.calibration_holdout, self.config.seed);
        // Both runs make the passes of a run on all the data, so the calibration model is
        // trained like the final one.
        let run_epochs = self.config.effective_epochs(data.len());
        let epochs = run_epochs * if holdout.is_some() { 2 } else { 1 };
        let mut epoch = 0;
        let mut report = |loss: f32| {
            epoch += 1;
            progress(Progress {
                stage: "intent",
                epoch,
                epochs,
                loss,
            });
        };
        let job = Job {
            config: &self.config,
            featurizer: &featurizer,
            data,
            labels: &labels,
            classes: intents.len(),
            dense_dim,
            epochs: run_epochs,
        };
        let calibration = match holdout {
            Some((fit_part, held)) => Some(job.calibration_run(&fit_part, &held, &mut report)?),
            None => None,
        };
        let all: Vec<usize> = (0..data.len()).collect();
        let fitted = job.fit(&all, &mut report)?;
        Ok(IntentClassifier::new(
            intents,
            featurizer,
            fitted.vocabulary,
            fitted.network,
            calibration,
        ))
    }
}

/// Everything a training run shares.
struct Job<'a, 'd> {
    config: &'a IntentConfig,
    featurizer: &'a Featurizer,
    data: &'a [Prepared<'d>],
    labels: &'a [usize],
    classes: usize,
    dense_dim: usize,
    epochs: usize,
}

impl Job<'_, '_> {
    /// Trains on the examples at `indices`, with a vocabulary of their features only (so
    /// a calibration model sees unknown words exactly as the final model will).
    fn fit(&self, indices: &[usize], on_epoch: &mut dyn FnMut(f32)) -> Result<Fitted> {
        let messages: Vec<_> = indices.iter().map(|&i| &self.data[i].message).collect();
        let vocabulary = Vocabulary::build(
            self.featurizer,
            &messages,
            self.config.min_count,
            self.config.max_features,
        )?;
        let set = TrainSet {
            inputs: messages
                .iter()
                .map(|m| {
                    let mut v = SparseVec::default();
                    vocabulary.vectorize(self.featurizer, m, &mut v);
                    v
                })
                .collect(),
            dense: messages.iter().map(|m| m.dense.as_deref()).collect(),
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
            vocabulary: vocabulary.len(),
            classes: self.classes,
            dense_dim: self.dense_dim,
        };
        let network = fit(&set, self.config, self.epochs, self.config.seed, on_epoch)?;
        Ok(Fitted {
            vocabulary,
            network,
        })
    }

    /// Trains on `fit_part` and fits the temperature on `held`.
    fn calibration_run(
        &self,
        fit_part: &[usize],
        held: &[usize],
        on_epoch: &mut dyn FnMut(f32),
    ) -> Result<CalibrationReport> {
        let fitted = self.fit(fit_part, on_epoch)?;
        let mut v = SparseVec::default();
        let logits: Vec<Vec<f32>> = held
            .iter()
            .map(|&i| {
                let m = &self.data[i].message;
                fitted.vocabulary.vectorize(self.featurizer, m, &mut v);
                fitted.network.logits(&v, m.dense.as_deref())
            })
            .collect();
        let labels: Vec<usize> = held.iter().map(|&i| self.labels[i]).collect();
        Ok(calibrate(&logits, &labels))
    }
}

/// The size of the examples' dense features: all the same, or none at all.
fn dense_dim(data: &[Prepared<'_>]) -> Result<usize> {
    let dims: Vec<Option<usize>> = data
        .iter()
        .map(|p| p.message.dense.as_ref().map(Vec::len))
        .collect();
    let first = dims[0];
    if dims.iter().any(|d| *d != first) {
        return Err(Error::InvalidInput(
            "dense features are missing or of different sizes across training examples".into(),
        ));
    }
    Ok(first.unwrap_or(0))
}

/// A seeded, per-intent split: `(fit, held out)`, or `None` when the held-out part would
/// be too small to calibrate on. Every intent keeps at least one example in `fit`.
fn split_holdout(labels: &[usize], share: f32, seed: u64) -> Option<(Vec<usize>, Vec<usize>)> {
    if share <= 0.0 {
        return None;
    }
    let classes = labels.iter().max().map_or(0, |m| m + 1);
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); classes];
    for (i, &l) in labels.iter().enumerate() {
        by_class[l].push(i);
    }
    let mut rng = Rng::new(seed ^ 0xca11_b4a7);
    let (mut fit_part, mut held) = (Vec::new(), Vec::new());
    for mut members in by_class {
        rng.shuffle(&mut members);
        let k =
            ((members.len() as f32 * share).round() as usize).min(members.len().saturating_sub(1));
        held.extend_from_slice(&members[..k]);
        fit_part.extend_from_slice(&members[k..]);
    }
    if held.len() < MIN_HOLDOUT {
        return None;
    }
    fit_part.sort_unstable();
    held.sort_unstable();
    Some((fit_part, held))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holdout_is_stratified_and_keeps_every_intent() {
        let labels: Vec<usize> = (0..300).map(|i| i % 3).chain([3]).collect();
        let (fit_part, held) = split_holdout(&labels, 0.1, 1).expect("big enough");
        assert_eq!(held.len(), 30);
        for c in 0..3 {
            assert_eq!(held.iter().filter(|&&i| labels[i] == c).count(), 10);
        }
        assert!(fit_part.iter().any(|&i| labels[i] == 3));
        assert_eq!(fit_part.len() + held.len(), labels.len());
    }

    #[test]
    fn tiny_data_is_not_split() {
        let labels: Vec<usize> = (0..40).map(|i| i % 4).collect();
        assert!(split_holdout(&labels, 0.1, 1).is_none());
        assert!(split_holdout(&labels, 0.0, 1).is_none());
    }
}
