//! The trained tagger as a pipeline component, and its saved form.

use super::chain::{CLASSES, Chain, Potentials, Transitions};
use super::emissions::Emissions;
use super::features::FeatureExtractor;
use super::model::{ForwardBackward, viterbi};
use super::tags::TagSet;
use crate::Result;
use crate::nlu::artifact::{ArtifactReader, ArtifactWriter};
use crate::nlu::{Component, Message, ParsedEntity};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// Name of the JSON section and prefix of the tensors.
const SECTION: &str = "crf";
/// Bumped when the saved layout or the feature hashing changes.
const FORMAT: u32 = 1;

/// Feature keys are already hashes: spread them over 64 bits and use them as they are.
#[derive(Default)]
pub(super) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, k: u32) {
        self.0 = u64::from(k).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Feature key → emission row.
pub(super) type KeyIndex = HashMap<u32, u32, BuildHasherDefault<KeyHasher>>;

/// What the JSON section holds; the weights go to tensors.
#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    format: u32,
    language: String,
    tags: TagSet,
}

/// Rasa's `CRFEntityExtractor`: a trained linear-chain CRF that tags tokens and reports
/// each entity with the probability of its exact span and label.
#[derive(Debug)]
pub struct CrfEntityExtractor {
    language: String,
    features: FeatureExtractor,
    tags: TagSet,
    chain: Chain,
    transitions: Transitions,
    /// `exp` of the transitions, for forward–backward.
    potentials: Potentials,
    /// Feature keys in row order (kept for saving).
    keys: Vec<u32>,
    index: KeyIndex,
    emissions: Emissions,
}

impl CrfEntityExtractor {
    /// Assembles a tagger from trained parts; `keys[r]` is the feature of emission row `r`.
    pub(super) fn from_parts(
        language: &str,
        tags: TagSet,
        chain: Chain,
        transitions: Transitions,
        keys: Vec<u32>,
        emissions: Emissions,
    ) -> Self {
        // Saved as f32: round now so a loaded model answers exactly like this one.
        let round = |v: Vec<f64>| v.into_iter().map(|w| f64::from(w as f32)).collect();
        let transitions = Transitions {
            shared: round(transitions.shared),
            own: round(transitions.own),
        };
        let index = keys
            .iter()
            .enumerate()
            .map(|(r, &k)| (k, r as u32))
            .collect();
        Self {
            language: language.to_owned(),
            features: FeatureExtractor::new(language),
            potentials: transitions.potentials(&chain),
            chain,
            tags,
            transitions,
            keys,
            index,
            emissions,
        }
    }

    /// The tag set (labels with their scheme).
    pub fn tags(&self) -> &TagSet {
        &self.tags
    }

    /// Emission rows of the features of each token; features never seen in training
    /// have no row.
    fn rows(&self, message: &Message) -> Vec<Vec<u32>> {
        self.features
            .extract(message)
            .into_iter()
            .map(|keys| {
                keys.iter()
                    .filter_map(|k| self.index.get(k).copied())
                    .collect()
            })
            .collect()
    }

    /// Writes the section `crf` and the tensors `crf.*`.
    pub fn save(&self, w: &mut ArtifactWriter) -> Result<()> {
        w.put_section(
            SECTION,
            &Meta {
                format: FORMAT,
                language: self.language.clone(),
                tags: self.tags.clone(),
            },
        )?;
        let tc = self.tags.len();
        let f32s = |v: &[f64]| v.iter().map(|&x| x as f32).collect::<Vec<f32>>();
        w.put_tensor("crf.transitions", f32s(&self.transitions.own), &[tc, tc])?;
        w.put_tensor(
            "crf.shared",
            f32s(&self.transitions.shared),
            &[CLASSES, CLASSES],
        )?;
        let learned: Vec<f32> = self
            .chain
            .own_pairs()
            .flat_map(|(prev, next)| [prev as f32, next as f32])
            .collect();
        let n_learned = learned.len() / 2;
        w.put_tensor("crf.learned", learned, &[n_learned, 2])?;
        // f32 holds integers below 2^24 exactly: keys go as two 16-bit halves.
        let n = self.keys.len();
        let half = |shift: u32| {
            self.keys
                .iter()
                .map(|k| (k >> shift & 0xffff) as f32)
                .collect()
        };
        w.put_tensor("crf.keys_hi", half(16), &[n])?;
        w.put_tensor("crf.keys_lo", half(0), &[n])?;
        let lengths = self
            .emissions
            .offsets
            .windows(2)
            .map(|o| (o[1] - o[0]) as f32)
            .collect();
        w.put_tensor("crf.row_lengths", lengths, &[n])?;
        let p = self.emissions.targets.len();
        let targets = self
            .emissions
            .targets
            .iter()
            .map(|&t| f32::from(t))
            .collect();
        w.put_tensor("crf.targets", targets, &[p])?;
        w.put_tensor("crf.weights", self.emissions.weights.clone(), &[p])?;
        Ok(())
    }

    /// Reads what [`save`](Self::save) wrote, checking that the parts fit together.
    pub fn load(r: &ArtifactReader) -> Result<Self> {
        let meta: Meta = r.section(SECTION)?;
        if meta.format != FORMAT {
            return Err(r.corrupt(format!(
                "entity tagger format {} (this build reads {FORMAT})",
                meta.format
            )));
        }
        let tc = meta.tags.len();
        if tc > usize::from(u16::MAX) {
            return Err(r.corrupt(format!("entity tagger has {tc} tags")));
        }
        let tensor = |name: &str| r.tensor_vec(name).map(|(v, _)| v);
        let shared: Vec<f64> = tensor("crf.shared")?.into_iter().map(f64::from).collect();
        let own: Vec<f64> = tensor("crf.transitions")?
            .into_iter()
            .map(f64::from)
            .collect();
        let (hi, lo, lengths) = (
            tensor("crf.keys_hi")?,
            tensor("crf.keys_lo")?,
            tensor("crf.row_lengths")?,
        );
        let (targets, weights) = (tensor("crf.targets")?, tensor("crf.weights")?);
        if own.len() != tc * tc
            || shared.len() != CLASSES * CLASSES
            || hi.len() != lo.len()
            || hi.len() != lengths.len()
        {
            return Err(r.corrupt("entity tagger tensors have mismatched sizes".into()));
        }
        let learned: BTreeSet<(usize, usize)> = tensor("crf.learned")?
            .chunks_exact(2)
            .map(|p| (p[0] as usize, p[1] as usize))
            .collect();
        let chain = Chain::new(&meta.tags, |prev, next| learned.contains(&(prev, next)));
        let keys = hi
            .iter()
            .zip(&lo)
            .map(|(&h, &l)| (h as u32) << 16 | l as u32)
            .collect();
        let mut offsets = Vec::with_capacity(lengths.len() + 1);
        offsets.push(0u32);
        for l in &lengths {
            let last = offsets.last().copied().unwrap_or(0);
            offsets.push(last + *l as u32);
        }
        let mut emissions = Emissions::new(&meta.tags);
        emissions.targets = targets.iter().map(|&t| t as u16).collect();
        if offsets.last().copied().unwrap_or(0) as usize != emissions.targets.len()
            || weights.len() != emissions.targets.len()
            || emissions
                .targets
                .iter()
                .any(|&t| usize::from(t) >= emissions.n_targets())
        {
            return Err(r.corrupt("entity tagger emission weights are inconsistent".into()));
        }
        emissions.offsets = offsets;
        emissions.weights = weights;
        Ok(Self::from_parts(
            &meta.language,
            meta.tags,
            chain,
            Transitions { shared, own },
            keys,
            emissions,
        ))
    }
}

impl Component for CrfEntityExtractor {
    fn name(&self) -> &'static str {
        "CRFEntityExtractor"
    }

    fn process(&self, message: &mut Message) {
        if message.tokens.is_empty() {
            return;
        }
        let rows = self.rows(message);
        let mut emissions = Vec::new();
        self.emissions.scores(&rows, &mut emissions);
        let path = viterbi(&self.chain, &self.potentials, &emissions);
        let spans = self.tags.decode(&path);
        if spans.is_empty() {
            return; // the common case: no marginals needed
        }
        let mut fb = ForwardBackward::default();
        fb.run(&self.chain, &self.potentials, &emissions);
        for span in spans {
            let (Some(first), Some(last)) = (
                message.tokens.get(span.first),
                message.tokens.get(span.last),
            ) else {
                continue;
            };
            let (start, end) = (first.start, last.end);
            let label = &self.tags.labels[span.label];
            let p = fb.path_probability(
                &self.chain,
                &self.potentials,
                span.first,
                &path[span.first..=span.last],
            );
            let value: String = message.text.chars().skip(start).take(end - start).collect();
            message.entities.push(ParsedEntity {
                entity: label.entity.clone(),
                start,
                end,
                value: serde_json::Value::String(value),
                extractor: self.name().to_owned(),
                // A path probability can round to 0 in f32; the API promises (0, 1].
                confidence_entity: Some((p as f32).clamp(f32::MIN_POSITIVE, 1.0)),
                role: label.role.clone(),
                group: label.group.clone(),
                processors: Vec::new(),
                additional_info: None,
            });
        }
    }
}
