//! The trained intent classifier: the pipeline component, and its saving and loading.

use super::calibration::{CalibrationReport, softmax};
use super::featurizer::{FeatureSpec, Featurizer};
use super::network::Network;
use super::vocabulary::{SparseVec, Vocabulary};
use crate::Result;
use crate::names::IntentName;
use crate::nlu::artifact::{ArtifactReader, ArtifactWriter};
use crate::nlu::{Component, IntentScore, Message};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

thread_local! {
    /// Feature buffers reused across messages: classifying allocates little more than
    /// its output.
    static SCRATCH: RefCell<SparseVec> = RefCell::new(SparseVec::default());
}

/// Version of the saved `intent` section; bumped when its meaning changes.
const FORMAT: u32 = 1;

/// Predicts a message's intent with calibrated confidences.
pub struct IntentClassifier {
    intents: Vec<IntentName>,
    featurizer: Featurizer,
    vocabulary: Vocabulary,
    network: Network,
    calibration: Option<CalibrationReport>,
}

impl std::fmt::Debug for IntentClassifier {
    // A summary: the weights would fill the terminal.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntentClassifier")
            .field("intents", &self.intents.len())
            .field("features", &self.vocabulary.len())
            .field("hidden", &self.network.hidden)
            .field("calibration", &self.calibration)
            .finish()
    }
}

/// The JSON part of a saved classifier; the weights go to the tensor file.
#[derive(Serialize, Deserialize)]
struct Saved {
    format: u32,
    intents: Vec<IntentName>,
    features: FeatureSpec,
    hidden: usize,
    dense_dim: usize,
    calibration: Option<CalibrationReport>,
    vocabulary: Vec<String>,
}

impl IntentClassifier {
    pub(crate) fn new(
        intents: Vec<IntentName>,
        featurizer: Featurizer,
        vocabulary: Vocabulary,
        network: Network,
        calibration: Option<CalibrationReport>,
    ) -> Self {
        Self {
            intents,
            featurizer,
            vocabulary,
            network,
            calibration,
        }
    }

    /// The intents it knows, in the order of its outputs.
    pub fn intents(&self) -> &[IntentName] {
        &self.intents
    }

    /// How the confidences were calibrated, when the data was large enough to hold out.
    pub fn calibration(&self) -> Option<&CalibrationReport> {
        self.calibration.as_ref()
    }

    fn temperature(&self) -> f32 {
        self.calibration.as_ref().map_or(1.0, |c| c.temperature)
    }

    /// Calibrated probabilities of every intent, in the order of [`Self::intents`].
    pub fn probabilities(&self, message: &Message) -> Vec<f32> {
        let mut x = SparseVec::default();
        self.vocabulary.vectorize(&self.featurizer, message, &mut x);
        let mut p = self.network.logits(&x, message.dense.as_deref());
        softmax(&mut p, self.temperature());
        p
    }

    /// Adds the classifier's tensors (`intent.*`) and its `intent` section to `w`.
    pub fn save(&self, w: &mut ArtifactWriter) -> Result<()> {
        let net = &self.network;
        let width = net.width();
        for (name, data, shape) in [
            ("idf", self.vocabulary.idf(), vec![self.vocabulary.len()]),
            ("input", &net.input[..], vec![self.vocabulary.len(), width]),
            ("dense", &net.dense[..], vec![net.dense_dim, width]),
            ("bias1", &net.bias1[..], vec![width]),
            ("output", &net.output[..], vec![net.hidden, net.classes]),
            ("bias2", &net.bias2[..], vec![net.bias2.len()]),
        ] {
            // Empty parts (no encoder, a linear model) are not written: their size is
            // known from the section.
            if !data.is_empty() {
                w.put_tensor(&format!("intent.{name}"), data.to_vec(), &shape)?;
            }
        }
        w.put_section(
            "intent",
            &Saved {
                format: FORMAT,
                intents: self.intents.clone(),
                features: self.featurizer.spec().clone(),
                hidden: net.hidden,
                dense_dim: net.dense_dim,
                calibration: self.calibration.clone(),
                vocabulary: self.vocabulary.keys().to_vec(),
            },
        )
    }

    /// Reads a classifier written by [`Self::save`].
    pub fn load(r: &ArtifactReader) -> Result<Self> {
        let saved: Saved = r.section("intent")?;
        if saved.format != FORMAT {
            return Err(r.corrupt(format!(
                "intent section has format {}, expected {FORMAT}",
                saved.format
            )));
        }
        let classes = saved.intents.len();
        let width = if saved.hidden > 0 {
            saved.hidden
        } else {
            classes
        };
        let vocab_len = saved.vocabulary.len();
        let tensor = |name: &str, len: usize| -> Result<Vec<f32>> {
            if len == 0 {
                return Ok(Vec::new());
            }
            let (data, _) = r.tensor_vec(&format!("intent.{name}"))?;
            if data.len() != len {
                return Err(r.corrupt(format!(
                    "tensor intent.{name} has {} values, expected {len}",
                    data.len()
                )));
            }
            Ok(data)
        };
        let idf = tensor("idf", vocab_len)?;
        let network = Network {
            hidden: saved.hidden,
            classes,
            dense_dim: saved.dense_dim,
            input: tensor("input", vocab_len * width)?,
            dense: tensor("dense", saved.dense_dim * width)?,
            bias1: tensor("bias1", width)?,
            output: tensor("output", saved.hidden * classes)?,
            bias2: tensor("bias2", if saved.hidden > 0 { classes } else { 0 })?,
        };
        Ok(Self {
            vocabulary: Vocabulary::from_parts(saved.vocabulary, idf)?,
            featurizer: Featurizer::new(saved.features),
            intents: saved.intents,
            network,
            calibration: saved.calibration,
        })
    }
}

impl Component for IntentClassifier {
    fn name(&self) -> &'static str {
        "BelaIntentClassifier"
    }

    fn process(&self, message: &mut Message) {
        let p = self.probabilities(message);
        let mut order: Vec<usize> = (0..p.len()).collect();
        // Stable sort: ties keep the intents' (alphabetical) order, so output is repeatable.
        order.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
        message.intent_ranking.clear();
        message
            .intent_ranking
            .extend(order.into_iter().map(|i| IntentScore {
                name: self.intents[i].clone(),
                confidence: p[i],
            }));
        message.intent = message.intent_ranking.first().cloned();
    }
}
