//! AdamW for the embedding table, updating only the rows a batch touched ("lazy" Adam, as
//! PyTorch's `SparseAdam`). A dense optimiser would sweep the whole table (tens of
//! thousands of rows) every step for the few thousand rows that have a gradient.

/// Optimiser state for a `rows × width` table kept in a plain vector.
#[derive(Debug)]
pub(crate) struct SparseAdamW {
    width: usize,
    m: Vec<f32>,
    v: Vec<f32>,
    step: i32,
    weight_decay: f32,
}

const BETA1: f32 = 0.9;
const BETA2: f32 = 0.999;
const EPS: f32 = 1e-8;

impl SparseAdamW {
    pub(crate) fn new(rows: usize, width: usize, weight_decay: f32) -> Self {
        Self {
            width,
            m: vec![0.0; rows * width],
            v: vec![0.0; rows * width],
            step: 0,
            weight_decay,
        }
    }

    /// Applies `grads` (`rows.len() × width`, row `i` for table row `rows[i]`) to `table`.
    pub(crate) fn step(&mut self, table: &mut [f32], rows: &[u32], grads: &[f32], lr: f32) {
        self.step += 1;
        let scale_m = 1.0 / (1.0 - BETA1.powi(self.step));
        let scale_v = 1.0 / (1.0 - BETA2.powi(self.step));
        let decay = 1.0 - lr * self.weight_decay;
        let w = self.width;
        for (&row, g) in rows.iter().zip(grads.chunks_exact(w)) {
            let at = row as usize * w;
            let rows = table[at..at + w]
                .iter_mut()
                .zip(&mut self.m[at..at + w])
                .zip(&mut self.v[at..at + w])
                .zip(g);
            // Zipped iterators (no indexing) so the loop vectorises.
            for (((p, m), v), &g) in rows {
                *m = BETA1 * *m + (1.0 - BETA1) * g;
                *v = BETA2 * *v + (1.0 - BETA2) * g * g;
                *p = *p * decay - lr * (*m * scale_m) / ((*v * scale_v).sqrt() + EPS);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_only_touched_rows_against_the_gradient() {
        let mut table = vec![1.0f32; 6];
        let mut opt = SparseAdamW::new(3, 2, 0.0);
        opt.step(&mut table, &[1], &[0.5, -0.5], 0.1);
        assert_eq!(&table[0..2], &[1.0, 1.0]);
        assert_eq!(&table[4..6], &[1.0, 1.0]);
        assert!(table[2] < 1.0 && table[3] > 1.0);
    }
}
