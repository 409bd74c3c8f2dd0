//! Training the tagger: L2-regularised CRF log-likelihood, AdaGrad on sparse gradients,
//! seeded shuffling, one thread: the same data, config and seed give the same model.

use super::EntityConfig;
use super::chain::{CLASSES, Chain, Transitions, trans_index};
use super::emissions::Emissions;
use super::extractor::{CrfEntityExtractor, KeyIndex};
use super::features::FeatureExtractor;
use super::model::ForwardBackward;
use super::tags::{Label, TagSet, token_spans};
use crate::nlu::{Prepared, Progress};
use crate::{Error, Result};
use std::collections::{BTreeMap, BTreeSet};

/// Trains a [`CrfEntityExtractor`] from annotated examples.
#[derive(Debug, Clone)]
pub struct EntityTrainer {
    config: EntityConfig,
    language: String,
}

/// A training sentence: feature rows and gold tag per token.
struct Sentence {
    rows: Vec<Vec<u32>>,
    gold: Vec<usize>,
}

/// AdaGrad state of a parameter vector: squared-gradient sums and pending gradients.
struct Adagrad {
    squares: Vec<f64>,
    grad: Vec<f64>,
}

impl Adagrad {
    fn new(n: usize) -> Self {
        Self {
            squares: vec![0.0; n],
            grad: vec![0.0; n],
        }
    }

    /// The new value of weight `i` (now `w`) after its pending gradient plus `l2 * w`;
    /// clears the pending gradient.
    fn step(&mut self, i: usize, w: f64, lr: f64, l2: f64) -> f64 {
        let g = self.grad[i] + l2 * w;
        self.grad[i] = 0.0;
        self.squares[i] += g * g;
        if self.squares[i] > 0.0 {
            w - lr * g / self.squares[i].sqrt()
        } else {
            w
        }
    }
}

/// The mean of the weights at the end of the last epochs: stochastic updates leave the
/// weights wandering around the optimum (results moved with the seed), their mean sits
/// much closer to it.
#[derive(Default)]
struct Average {
    count: usize,
    shared: Vec<f64>,
    own: Vec<f64>,
    emissions: Vec<f64>,
}

impl Average {
    fn add(&mut self, trans: &Transitions, emissions: &[f32]) {
        let add = |sum: &mut Vec<f64>, x: &mut dyn Iterator<Item = f64>| {
            if sum.is_empty() {
                sum.extend(x);
            } else {
                sum.iter_mut().zip(x).for_each(|(s, v)| *s += v);
            }
        };
        add(&mut self.shared, &mut trans.shared.iter().copied());
        add(&mut self.own, &mut trans.own.iter().copied());
        add(
            &mut self.emissions,
            &mut emissions.iter().map(|&w| f64::from(w)),
        );
        self.count += 1;
    }

    fn finish(self, trans: &mut Transitions, emissions: &mut [f32]) {
        if self.count == 0 {
            return;
        }
        let n = self.count as f64;
        trans.shared = self.shared.iter().map(|s| s / n).collect();
        trans.own = self.own.iter().map(|s| s / n).collect();
        for (w, s) in emissions.iter_mut().zip(&self.emissions) {
            *w = (s / n) as f32;
        }
    }
}

impl EntityTrainer {
    /// A trainer with `config`, for text in `language` (selects the stemmer).
    pub fn new(config: &EntityConfig, language: &str) -> Self {
        Self {
            config: config.clone(),
            language: language.to_owned(),
        }
    }

    /// Learns from `data[i].example.entities` against `data[i].message.tokens/patterns`.
    /// `Ok(None)` when no example has entities. Reports once per epoch.
    pub fn train(
        &self,
        data: &[Prepared<'_>],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Option<CrfEntityExtractor>> {
        let labels: BTreeSet<Label> = data
            .iter()
            .flat_map(|p| p.example.entities.iter().map(Label::of))
            .collect();
        if labels.is_empty() {
            return Ok(None);
        }
        let tags = TagSet::new(self.config.scheme, labels.into_iter().collect());
        if tags.len() > usize::from(u16::MAX) {
            return Err(Error::Config(format!(
                "{} entity labels are too many for the tagger",
                tags.labels.len()
            )));
        }
        let (sentences, keys, emissions, row_sentences) = self.prepare(data, &tags);
        // CRFsuite's choice: only transitions seen in the data get a weight.
        let seen: BTreeSet<(usize, usize)> = sentences
            .iter()
            .flat_map(|s| s.gold.windows(2).map(|w| (w[0], w[1])))
            .collect();
        let chain = Chain::new(&tags, |prev, next| seen.contains(&(prev, next)));
        let (transitions, emissions) =
            self.optimise(&chain, &sentences, emissions, &row_sentences, progress);
        Ok(Some(CrfEntityExtractor::from_parts(
            &self.language,
            tags,
            chain,
            transitions,
            keys,
            emissions,
        )))
    }

    /// Features and gold tags of every example; the emission rows (one per feature, with
    /// the tags the feature was seen with); how many sentences hold each row.
    fn prepare(
        &self,
        data: &[Prepared<'_>],
        tags: &TagSet,
    ) -> (Vec<Sentence>, Vec<u32>, Emissions, Vec<u32>) {
        let fx = FeatureExtractor::new(&self.language);
        let label_index: BTreeMap<&Label, usize> = tags
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l, i))
            .collect();
        let mut index = KeyIndex::default();
        let mut keys = Vec::new();
        let mut seen_tags: Vec<BTreeSet<u16>> = Vec::new();
        let mut row_sentences: Vec<u32> = Vec::new();
        let mut last_sentence: Vec<usize> = Vec::new();
        let mut sentences = Vec::with_capacity(data.len());
        for (s, p) in data.iter().enumerate() {
            let tokens = &p.message.tokens;
            if tokens.is_empty() {
                continue;
            }
            let spans = token_spans(tokens, &p.example.entities, |a| {
                label_index.get(&Label::of(a)).copied()
            });
            let gold = tags.encode(tokens.len(), &spans);
            let mut rows = Vec::with_capacity(tokens.len());
            for (token_keys, &tag) in fx.extract(&p.message).iter().zip(&gold) {
                let mut token_rows = Vec::with_capacity(token_keys.len());
                for &k in token_keys {
                    let row = *index.entry(k).or_insert_with(|| {
                        keys.push(k);
                        seen_tags.push(BTreeSet::new());
                        row_sentences.push(0);
                        last_sentence.push(usize::MAX);
                        (keys.len() - 1) as u32
                    }) as usize;
                    seen_tags[row].insert(tag as u16);
                    if let Some(class) = tags.class(tag) {
                        seen_tags[row].insert((tags.len() + class) as u16);
                    }
                    if last_sentence[row] != s {
                        last_sentence[row] = s;
                        row_sentences[row] += 1;
                    }
                    token_rows.push(row as u32);
                }
                rows.push(token_rows);
            }
            sentences.push(Sentence { rows, gold });
        }
        let mut emissions = Emissions::new(tags);
        for row_targets in seen_tags {
            emissions.targets.extend(row_targets);
            emissions.offsets.push(emissions.targets.len() as u32);
        }
        emissions.weights = vec![0.0; emissions.targets.len()];
        (sentences, keys, emissions, row_sentences)
    }

    /// Runs the epochs; returns transition weights and trained emissions.
    fn optimise(
        &self,
        chain: &Chain,
        sentences: &[Sentence],
        mut emissions: Emissions,
        row_sentences: &[u32],
        progress: &mut dyn FnMut(Progress),
    ) -> (Transitions, Emissions) {
        let tc = chain.n_tags;
        let classes: Vec<Option<usize>> = emissions
            .class_of
            .iter()
            .map(|&c| (c != u16::MAX).then_some(usize::from(c)))
            .collect();
        let cfg = &self.config;
        let (lr, l2) = (f64::from(cfg.learning_rate), f64::from(cfg.l2));
        let own: Vec<usize> = chain
            .own_pairs()
            .map(|(prev, next)| trans_index(tc, prev, next))
            .collect();
        let mut trans = Transitions::new(tc);
        let mut pot = trans.potentials(chain);
        let mut own_ada = Adagrad::new(tc * tc);
        let mut shared_ada = Adagrad::new(CLASSES * CLASSES);
        let mut em = Adagrad::new(emissions.targets.len());
        // Each emission weight gets its full L2 pull once per epoch, spread over the
        // sentences that touch it (lazy regularisation: untouched weights cost nothing).
        let pair_l2: Vec<f64> = (0..row_sentences.len())
            .flat_map(|r| {
                let share = l2 / f64::from(row_sentences[r].max(1));
                emissions.row(r as u32).map(move |_| share)
            })
            .collect();
        let mut touched: Vec<usize> = Vec::new();
        let mut marked = vec![false; emissions.weights.len()];
        let mut fb = ForwardBackward::default();
        let mut scores = Vec::new();
        let mut residual: Vec<f64> = Vec::with_capacity(tc + TagSet::CLASSES);
        let mut order: Vec<usize> = (0..sentences.len()).collect();
        let mut rng = crate::rng::Rng::from_state(cfg.seed);
        let batch = cfg.batch_size.max(1);
        let epochs = cfg.epochs;
        let mut average = Average::default();
        for epoch in 1..=epochs {
            rng.shuffle(&mut order);
            let mut loss = 0.0;
            for chunk in order.chunks(batch) {
                trans.refresh(chain, &mut pot);
                for &s in chunk {
                    let sentence = &sentences[s];
                    emissions.scores(&sentence.rows, &mut scores);
                    fb.run(chain, &pot, &scores);
                    loss += fb.log_z - gold_score(chain, sentence, &scores, &trans);
                    fb.add_expected_transitions(
                        chain,
                        &pot,
                        &mut shared_ada.grad,
                        &mut own_ada.grad,
                    );
                    for w in sentence.gold.windows(2) {
                        own_ada.grad[trans_index(tc, w[0], w[1])] -= 1.0;
                        shared_ada.grad[chain.class_index(w[0], w[1])] -= 1.0;
                    }
                    for (t, (rows, &gold)) in sentence.rows.iter().zip(&sentence.gold).enumerate() {
                        // Model minus observed count of each target at this token.
                        residual.clear();
                        residual.extend((0..tc).map(|j| fb.marginal(t, j)));
                        residual.extend([0.0; TagSet::CLASSES]);
                        for j in 0..tc {
                            if let Some(c) = classes[j] {
                                residual[tc + c] += residual[j];
                            }
                        }
                        residual[gold] -= 1.0;
                        if let Some(c) = classes[gold] {
                            residual[tc + c] -= 1.0;
                        }
                        for &row in rows {
                            for p in emissions.row(row) {
                                em.grad[p] += residual[usize::from(emissions.targets[p])];
                                if !marked[p] {
                                    marked[p] = true;
                                    touched.push(p);
                                }
                            }
                        }
                    }
                }
                for p in touched.drain(..) {
                    marked[p] = false;
                    let w = f64::from(emissions.weights[p]);
                    emissions.weights[p] = em.step(p, w, lr, pair_l2[p]) as f32;
                }
                let share = l2 * chunk.len() as f64 / sentences.len() as f64;
                for &i in &own {
                    trans.own[i] = own_ada.step(i, trans.own[i], lr, share);
                }
                for k in 0..CLASSES * CLASSES {
                    trans.shared[k] = shared_ada.step(k, trans.shared[k], lr, share);
                }
            }
            if epoch > epochs / 2 {
                average.add(&trans, &emissions.weights);
            }
            progress(Progress {
                stage: "entities",
                epoch,
                epochs,
                loss: (loss / sentences.len().max(1) as f64) as f32,
            });
        }
        average.finish(&mut trans, &mut emissions.weights);
        (trans, emissions)
    }
}

/// Score of the gold path.
fn gold_score(chain: &Chain, sentence: &Sentence, scores: &[f64], trans: &Transitions) -> f64 {
    let tc = chain.n_tags;
    let emit: f64 = sentence
        .gold
        .iter()
        .enumerate()
        .map(|(t, &j)| scores[t * tc + j])
        .sum();
    let moves: f64 = sentence
        .gold
        .windows(2)
        .map(|w| trans.weight(chain, w[0], w[1]))
        .sum();
    emit + moves
}
