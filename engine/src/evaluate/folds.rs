//! Stratified k-fold splits for cross-validation.

use crate::data::Example;
use crate::{Error, Result};
use std::collections::BTreeMap;

/// Splits `gold` into `folds` (train indices, test indices) pairs, stratified by intent,
/// as sklearn's `StratifiedKFold(shuffle=True)` that Rasa uses.
///
/// Each intent's examples are shuffled (seeded) and dealt round-robin over the folds,
/// the deal continuing from one intent to the next, so every intent is spread as evenly
/// as its count allows and fold sizes differ by at most one. Every index is in exactly
/// one test set; indices are ascending. The same data and seed give the same folds.
/// An intent with fewer examples than folds is simply absent from some test sets.
pub fn stratified_folds(
    gold: &[Example],
    folds: usize,
    seed: u64,
) -> Result<Vec<(Vec<usize>, Vec<usize>)>> {
    if folds < 2 {
        return Err(Error::InvalidInput(format!(
            "cross-validation needs at least 2 folds, not {folds}"
        )));
    }
    if folds > gold.len() {
        return Err(Error::InvalidInput(format!(
            "cannot split {} example(s) into {folds} folds",
            gold.len()
        )));
    }
    // BTreeMap: intents in a fixed order, so the deal is deterministic.
    let mut by_intent: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, example) in gold.iter().enumerate() {
        by_intent
            .entry(example.intent.as_str())
            .or_default()
            .push(i);
    }
    let mut rng = crate::rng::Rng::from_state(seed);
    let mut fold_of = vec![0; gold.len()];
    let mut next = 0;
    for indices in by_intent.values_mut() {
        rng.shuffle(indices);
        for &i in indices.iter() {
            fold_of[i] = next;
            next = (next + 1) % folds;
        }
    }
    Ok((0..folds)
        .map(|k| (0..gold.len()).partition(|&i| fold_of[i] != k))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::test_support::example;

    /// 10 greet, 7 book, 3 bye, 1 thanks, interleaved.
    fn data() -> Vec<Example> {
        let counts = [("greet", 10), ("book", 7), ("bye", 3), ("thanks", 1)];
        let mut out = Vec::new();
        for round in 0..10 {
            for &(intent, n) in &counts {
                if round < n {
                    out.push(example(&format!("{intent} {round}"), intent, &[]));
                }
            }
        }
        out
    }

    #[test]
    fn every_index_is_tested_exactly_once() {
        let gold = data();
        let folds = stratified_folds(&gold, 3, 7).unwrap_or_default();
        assert_eq!(folds.len(), 3);
        let mut seen = vec![0; gold.len()];
        for (train, test) in &folds {
            assert_eq!(train.len() + test.len(), gold.len());
            assert!(train.iter().all(|i| !test.contains(i)));
            assert!(test.windows(2).all(|w| w[0] < w[1]));
            test.iter().for_each(|&i| seen[i] += 1);
        }
        assert!(seen.iter().all(|&n| n == 1));
        let sizes: Vec<usize> = folds.iter().map(|(_, t)| t.len()).collect();
        assert!(sizes.iter().max() <= Some(&(sizes.iter().min().unwrap_or(&0) + 1)));
    }

    #[test]
    fn each_intent_is_spread_across_folds() {
        let gold = data();
        let k = 3;
        let folds = stratified_folds(&gold, k, 7).unwrap_or_default();
        for (intent, n) in [("greet", 10), ("book", 7), ("bye", 3)] {
            for (_, test) in &folds {
                let here = test.iter().filter(|&&i| gold[i].intent.as_str() == intent);
                let count = here.count();
                assert!(
                    count == n / k || count == n.div_ceil(k),
                    "{intent}: {count}"
                );
            }
        }
    }

    #[test]
    fn deterministic_for_a_seed() {
        let gold = data();
        let a = stratified_folds(&gold, 4, 42).unwrap_or_default();
        assert_eq!(a, stratified_folds(&gold, 4, 42).unwrap_or_default());
        assert_ne!(a, stratified_folds(&gold, 4, 43).unwrap_or_default());
    }

    #[test]
    fn rejects_impossible_fold_counts() {
        let gold = data();
        assert!(matches!(
            stratified_folds(&gold, 1, 0),
            Err(Error::InvalidInput(_))
        ));
        assert!(stratified_folds(&gold, gold.len() + 1, 0).is_err());
        assert!(stratified_folds(&gold, gold.len(), 0).is_ok());
    }
}
