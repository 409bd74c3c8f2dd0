//! The features known to a model and how a message becomes a weighted sparse vector:
//! log term frequency × idf, L2-normalised per feature group.

use super::featurizer::{Featurizer, Group, feature_hash};
use crate::nlu::Message;
use crate::{Error, Result};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A message as sorted feature ids with their weights, plus the buffers that computing
/// it needs (kept so a reused vector allocates nothing).
#[derive(Debug, Clone, Default)]
pub(crate) struct SparseVec {
    pub(crate) ids: Vec<u32>,
    pub(crate) values: Vec<f32>,
    scratch_ids: Vec<u32>,
    scratch_key: Vec<char>,
}

impl SparseVec {
    #[cfg(test)]
    pub(crate) fn from_parts(ids: Vec<u32>, values: Vec<f32>) -> Self {
        Self {
            ids,
            values,
            ..Self::default()
        }
    }
}

impl PartialEq for SparseVec {
    fn eq(&self, other: &Self) -> bool {
        self.ids == other.ids && self.values == other.values
    }
}

/// Keys are already well-mixed 64-bit hashes: hashing them again would only cost time.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type HashIndex = HashMap<u64, u32, BuildHasherDefault<PassThrough>>;

/// Feature keys seen in training, with their ids (group-major order) and idf.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocabulary {
    index: HashIndex,
    groups: Vec<Group>,
    idf: Vec<f32>,
    /// `prefix + key` per id, kept for saving (and for reading a model by eye).
    keys: Vec<String>,
}

impl Vocabulary {
    /// Collects the features of `messages`; keys of pruned groups seen in fewer than
    /// `min_count` messages are dropped, then all but the `max_features` most frequent.
    pub(crate) fn build(
        featurizer: &Featurizer,
        messages: &[&Message],
        min_count: usize,
        max_features: usize,
    ) -> Result<Self> {
        // hash → (group, key, document frequency, last message counted)
        let mut seen: HashMap<u64, (Group, String, usize, usize)> = HashMap::new();
        let mut scratch = Vec::new();
        for (i, m) in messages.iter().enumerate() {
            featurizer.for_each_feature(m, &mut scratch, |g, key| {
                let entry = seen
                    .entry(feature_hash(g, key))
                    .or_insert_with(|| (g, key.iter().collect(), 0, usize::MAX));
                if entry.3 != i {
                    entry.2 += 1;
                    entry.3 = i;
                }
            });
        }
        let mut kept: Vec<(Group, String, usize)> = seen
            .into_values()
            .filter(|(g, _, df, _)| !g.pruned() || *df >= min_count)
            .map(|(g, k, df, _)| (g, k, df))
            .collect();
        if kept.len() > max_features {
            // The rarest features carry the least evidence but cost as much memory as any.
            kept.sort_unstable_by(|a, b| b.2.cmp(&a.2).then_with(|| (a.0, &a.1).cmp(&(b.0, &b.1))));
            kept.truncate(max_features);
        }
        kept.sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let n = messages.len() as f32;
        let idf = kept
            .iter()
            // Smoothed idf, as scikit-learn's: never zero, so common words still count.
            .map(|(_, _, df)| ((1.0 + n) / (1.0 + *df as f32)).ln() + 1.0)
            .collect();
        let keys = kept
            .iter()
            .map(|(g, k, _)| format!("{}{k}", g.prefix()))
            .collect();
        Self::from_parts(keys, idf)
    }

    /// Rebuilds a vocabulary from saved keys and idf; an error names what is inconsistent.
    pub(crate) fn from_parts(keys: Vec<String>, idf: Vec<f32>) -> Result<Self> {
        if keys.len() != idf.len() {
            return Err(corrupt(format!(
                "vocabulary has {} keys but {} idf weights",
                keys.len(),
                idf.len()
            )));
        }
        let mut index = HashIndex::default();
        index.reserve(keys.len());
        let mut groups = Vec::with_capacity(keys.len());
        let mut chars: Vec<char> = Vec::new();
        for (id, key) in keys.iter().enumerate() {
            let mut it = key.chars();
            let group = it
                .next()
                .and_then(Group::from_prefix)
                .ok_or_else(|| corrupt(format!("bad vocabulary key `{key}`")))?;
            chars.clear();
            chars.extend(it);
            index.insert(feature_hash(group, &chars), id as u32);
            groups.push(group);
        }
        Ok(Self {
            index,
            groups,
            idf,
            keys,
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.idf.len()
    }

    pub(crate) fn keys(&self) -> &[String] {
        &self.keys
    }

    pub(crate) fn idf(&self) -> &[f32] {
        &self.idf
    }

    /// Writes the features of `message` known to the vocabulary into `out`.
    pub(crate) fn vectorize(
        &self,
        featurizer: &Featurizer,
        message: &Message,
        out: &mut SparseVec,
    ) {
        out.ids.clear();
        out.values.clear();
        let hits = &mut out.scratch_ids;
        hits.clear();
        featurizer.for_each_feature(message, &mut out.scratch_key, |g, key| {
            if let Some(&id) = self.index.get(&feature_hash(g, key)) {
                hits.push(id);
            }
        });
        hits.sort_unstable();
        let mut norms = [0f32; Group::COUNT];
        for run in hits.chunk_by(|a, b| a == b) {
            let id = run[0];
            let w = (1.0 + (run.len() as f32).ln()) * self.idf[id as usize];
            norms[self.groups[id as usize].index()] += w * w;
            out.ids.push(id);
            out.values.push(w);
        }
        for (id, v) in out.ids.iter().zip(out.values.iter_mut()) {
            *v /= norms[self.groups[*id as usize].index()].sqrt();
        }
    }
}

/// A model-corrupt error for the intent part (the reader's own path is not public).
pub(crate) fn corrupt(message: String) -> Error {
    Error::ModelCorrupt {
        path: "<model>/intent".into(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlu::intent::featurizer::FeatureSpec;
    use crate::text::{SlangTable, Tokenizer};

    fn message(text: &str) -> Message {
        let mut m = Message::new(text);
        m.tokens = Tokenizer::new(SlangTable::empty()).tokenize(text);
        m
    }

    fn featurizer() -> Featurizer {
        Featurizer::new(FeatureSpec {
            char_ngrams: [3, 3],
            bigrams: true,
            stemmer: None,
        })
    }

    #[test]
    fn groups_are_unit_norm_and_rare_ngrams_pruned() {
        let f = featurizer();
        let msgs = [message("oi tudo bem"), message("oi bom dia")];
        let refs: Vec<&Message> = msgs.iter().collect();
        let vocab = Vocabulary::build(&f, &refs, 2, usize::MAX).expect("vocabulary");
        // Words are all kept; only the n-grams shared by both messages survive.
        assert!(vocab.keys().contains(&"wtudo".to_string()));
        assert!(vocab.keys().contains(&"b oi".to_string()));
        assert!(!vocab.keys().contains(&"btudo bem".to_string()));
        let mut v = SparseVec::default();
        vocab.vectorize(&f, &message("oi oi tudo"), &mut v);
        let mut norms = [0f32; Group::COUNT];
        for (id, x) in v.ids.iter().zip(&v.values) {
            norms[vocab.groups[*id as usize].index()] += x * x;
        }
        assert!((norms[Group::Word.index()] - 1.0).abs() < 1e-5);
        assert!(v.ids.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn rebuilt_vocabulary_maps_the_same() {
        let f = featurizer();
        let msgs = [message("quero marcar horario"), message("marcar consulta")];
        let refs: Vec<&Message> = msgs.iter().collect();
        let vocab = Vocabulary::build(&f, &refs, 1, usize::MAX).expect("vocabulary");
        let again = Vocabulary::from_parts(vocab.keys().to_vec(), vocab.idf().to_vec())
            .expect("valid parts");
        let (mut a, mut b) = (SparseVec::default(), SparseVec::default());
        vocab.vectorize(&f, &message("marcar horario"), &mut a);
        again.vectorize(&f, &message("marcar horario"), &mut b);
        assert_eq!(a, b);
        assert!(!a.ids.is_empty());
    }

    #[test]
    fn unknown_words_give_an_empty_vector() {
        let f = featurizer();
        let msgs = [message("bom dia")];
        let refs: Vec<&Message> = msgs.iter().collect();
        let vocab = Vocabulary::build(&f, &refs, 1, usize::MAX).expect("vocabulary");
        let mut v = SparseVec::default();
        vocab.vectorize(&f, &message("xyz"), &mut v);
        assert!(v.ids.is_empty());
    }
}
