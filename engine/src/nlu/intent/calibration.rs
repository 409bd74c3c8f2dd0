//! Temperature scaling: one scalar dividing the logits, fitted on held-out examples so
//! confidences match accuracy (Guo et al., 2017). It never changes the ranking.

use serde::{Deserialize, Serialize};

/// What calibration found on the held-out slice; saved with the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationReport {
    /// The fitted temperature (logits are divided by it).
    pub temperature: f32,
    /// Held-out examples it was fitted on.
    pub holdout: usize,
    /// Accuracy of the calibration model on them.
    pub accuracy: f32,
    /// Expected calibration error of the top confidence before scaling.
    pub ece_before: f32,
    /// The same after scaling (in-sample, so optimistic).
    pub ece_after: f32,
}

/// Bins for the expected calibration error.
const ECE_BINS: usize = 10;

/// Softmax of `logits / temperature`, in place.
pub(crate) fn softmax(logits: &mut [f32], temperature: f32) {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for l in logits.iter_mut() {
        *l = ((*l - max) / temperature).exp();
        sum += *l;
    }
    for l in logits.iter_mut() {
        *l /= sum;
    }
}

/// Fits the temperature on held-out `logits` and their true `labels`.
pub(crate) fn calibrate(logits: &[Vec<f32>], labels: &[usize]) -> CalibrationReport {
    let temperature = fit_temperature(logits, labels);
    let ece_at = |t: f32| expected_calibration_error(&top_confidences(logits, labels, t), ECE_BINS);
    let correct = top_confidences(logits, labels, 1.0)
        .iter()
        .filter(|(_, ok)| *ok)
        .count();
    CalibrationReport {
        temperature,
        holdout: labels.len(),
        accuracy: correct as f32 / labels.len().max(1) as f32,
        ece_before: ece_at(1.0),
        ece_after: ece_at(temperature),
    }
}

/// The temperature minimising held-out negative log-likelihood: a golden-section search
/// over log T (the NLL is unimodal in T).
fn fit_temperature(logits: &[Vec<f32>], labels: &[usize]) -> f32 {
    let nll = |log_t: f32| -> f32 {
        let t = log_t.exp();
        logits
            .iter()
            .zip(labels)
            .map(|(l, &y)| {
                let mut p = l.clone();
                softmax(&mut p, t);
                -(p[y].max(1e-12)).ln()
            })
            .sum()
    };
    // T in [0.1, 10]: beyond that the held-out slice is too small to be trusted.
    let (mut a, mut b) = (0.1f32.ln(), 10f32.ln());
    let ratio = (5f32.sqrt() - 1.0) / 2.0;
    let mut c = b - ratio * (b - a);
    let mut d = a + ratio * (b - a);
    let (mut fc, mut fd) = (nll(c), nll(d));
    for _ in 0..40 {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - ratio * (b - a);
            fc = nll(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + ratio * (b - a);
            fd = nll(d);
        }
    }
    ((a + b) / 2.0).exp()
}

/// (top confidence, whether the top class is right) per example at temperature `t`.
fn top_confidences(logits: &[Vec<f32>], labels: &[usize], t: f32) -> Vec<(f32, bool)> {
    logits
        .iter()
        .zip(labels)
        .map(|(l, &y)| {
            let mut p = l.clone();
            softmax(&mut p, t);
            let (best, conf) =
                p.iter()
                    .copied()
                    .enumerate()
                    .fold(
                        (0, f32::NEG_INFINITY),
                        |acc, (i, v)| if v > acc.1 { (i, v) } else { acc },
                    );
            (conf, best == y)
        })
        .collect()
}

/// Expected calibration error: the mean |accuracy − confidence| over equal-width
/// confidence bins, weighted by how many predictions fall in each.
pub fn expected_calibration_error(predictions: &[(f32, bool)], bins: usize) -> f32 {
    if predictions.is_empty() || bins == 0 {
        return 0.0;
    }
    let mut conf = vec![0f32; bins];
    let mut hits = vec![0f32; bins];
    let mut count = vec![0usize; bins];
    for &(c, ok) in predictions {
        let b = ((c * bins as f32) as usize).min(bins - 1);
        conf[b] += c;
        hits[b] += f32::from(u8::from(ok));
        count[b] += 1;
    }
    (0..bins)
        .filter(|&b| count[b] > 0)
        .map(|b| (hits[b] - conf[b]).abs())
        .sum::<f32>()
        / predictions.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overconfident_logits_get_cooled() {
        // Scores say "sure" but half the predictions are wrong.
        let logits: Vec<Vec<f32>> = (0..40).map(|_| vec![6.0, 0.0]).collect();
        let labels: Vec<usize> = (0..40).map(|i| i % 2).collect();
        let report = calibrate(&logits, &labels);
        assert!(report.temperature > 3.0, "{report:?}");
        assert!(report.ece_after < report.ece_before);
    }

    #[test]
    fn ece_is_zero_when_confidence_matches_accuracy() {
        let preds = [(0.75, true), (0.75, true), (0.75, true), (0.75, false)];
        assert!(expected_calibration_error(&preds, 10) < 1e-6);
        assert!(expected_calibration_error(&[(0.9, false)], 10) > 0.8);
    }

    #[test]
    fn softmax_sums_to_one() {
        let mut p = vec![1.0, 2.0, 3.0];
        softmax(&mut p, 2.0);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(p[2] > p[1] && p[1] > p[0]);
    }
}
