//! The trained network in plain vectors. Inference is an embedding-bag sum over the
//! message's few hundred features and one small matrix product: plain loops beat candle's
//! per-op overhead by far at this size.

use super::vocabulary::SparseVec;

/// Weights of `sparse → [dense ⊕] width → ReLU → classes` (or `sparse → classes` when
/// `hidden` is 0, a linear model).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Network {
    /// Hidden units; 0 for a linear model.
    pub(crate) hidden: usize,
    pub(crate) classes: usize,
    /// Size of the encoder's dense features (0 without an encoder).
    pub(crate) dense_dim: usize,
    /// `vocabulary × width` rows, one per feature.
    pub(crate) input: Vec<f32>,
    /// `dense_dim × width`.
    pub(crate) dense: Vec<f32>,
    /// `width`.
    pub(crate) bias1: Vec<f32>,
    /// `hidden × classes` (empty for a linear model).
    pub(crate) output: Vec<f32>,
    /// `classes` (empty for a linear model).
    pub(crate) bias2: Vec<f32>,
}

impl Network {
    /// Width of the first layer: hidden units, or classes for a linear model.
    pub(crate) fn width(&self) -> usize {
        if self.hidden > 0 {
            self.hidden
        } else {
            self.classes
        }
    }

    /// Unnormalised class scores. Dense features of the wrong size are ignored (the
    /// pipeline guarantees the size; a mismatch must not crash a server).
    pub(crate) fn logits(&self, x: &SparseVec, dense: Option<&[f32]>) -> Vec<f32> {
        let width = self.width();
        let mut h = self.bias1.clone();
        for (&id, &v) in x.ids.iter().zip(&x.values) {
            let row = &self.input[id as usize * width..][..width];
            axpy(&mut h, v, row);
        }
        if let Some(d) = dense.filter(|d| self.dense_dim > 0 && d.len() == self.dense_dim) {
            for (i, &v) in d.iter().enumerate() {
                axpy(&mut h, v, &self.dense[i * width..][..width]);
            }
        }
        if self.hidden == 0 {
            return h;
        }
        let mut logits = self.bias2.clone();
        for (j, &a) in h.iter().enumerate() {
            // ReLU: about half the units are off and cost nothing.
            if a > 0.0 {
                axpy(
                    &mut logits,
                    a,
                    &self.output[j * self.classes..][..self.classes],
                );
            }
        }
        logits
    }
}

/// `y += a · x`, written so the compiler vectorises it.
pub(crate) fn axpy(y: &mut [f32], a: f32, x: &[f32]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_layer_applies_relu() {
        let net = Network {
            hidden: 2,
            classes: 2,
            dense_dim: 1,
            input: vec![1.0, -1.0, 0.5, 0.5],
            dense: vec![1.0, 0.0],
            bias1: vec![0.0, 0.0],
            output: vec![1.0, 0.0, 0.0, 1.0],
            bias2: vec![0.1, 0.2],
        };
        let x = SparseVec::from_parts(vec![0], vec![2.0]);
        let close = |a: Vec<f32>, b: [f32; 2]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-6);
        // h = relu([2, -2] + [1, 0]) = [3, 0]
        assert!(close(net.logits(&x, Some(&[1.0])), [3.1, 0.2]));
        // A dense vector of the wrong size is ignored.
        assert!(close(net.logits(&x, Some(&[1.0, 1.0])), [2.1, 0.2]));
    }
}
