//! Whisper's mel filter bank (librosa's `filters.mel` with Slaney's scale and area
//! normalisation, as OpenAI's and Hugging Face's feature extractors compute it), so no
//! `mel_filters` file has to ship with the model.

use candle_transformers::models::whisper::{N_FFT, SAMPLE_RATE};

/// `n_mels` triangular filters over the `N_FFT / 2 + 1` frequency bins, row-major.
pub fn filters(n_mels: usize) -> Vec<f32> {
    let bins = N_FFT / 2 + 1;
    let nyquist = SAMPLE_RATE as f64 / 2.0;
    let (low, high) = (hz_to_mel(0.0), hz_to_mel(nyquist));
    let edges: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(low + (high - low) * i as f64 / (n_mels + 1) as f64))
        .collect();
    let mut out = vec![0f32; n_mels * bins];
    for m in 0..n_mels {
        let (left, centre, right) = (edges[m], edges[m + 1], edges[m + 2]);
        // Slaney's normalisation: each filter has the same area.
        let norm = 2.0 / (right - left);
        for k in 0..bins {
            let f = nyquist * k as f64 / (bins - 1) as f64;
            let rising = (f - left) / (centre - left);
            let falling = (right - f) / (right - centre);
            out[m * bins + k] = (rising.min(falling).max(0.0) * norm) as f32;
        }
    }
    out
}

/// Slaney's mel scale: linear below 1 kHz, logarithmic above.
fn hz_to_mel(hz: f64) -> f64 {
    let (f_sp, min_log_hz, min_log_mel, step) = slaney();
    if hz < min_log_hz {
        hz / f_sp
    } else {
        min_log_mel + (hz / min_log_hz).ln() / step
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    let (f_sp, min_log_hz, min_log_mel, step) = slaney();
    if mel < min_log_mel {
        mel * f_sp
    } else {
        min_log_hz * (step * (mel - min_log_mel)).exp()
    }
}

/// Hz per mel below 1 kHz, 1 kHz, its mel, and the log step above it.
fn slaney() -> (f64, f64, f64, f64) {
    let f_sp = 200.0 / 3.0;
    (f_sp, 1000.0, 1000.0 / f_sp, 6.4f64.ln() / 27.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The triangles' shape (librosa itself is not available here to compare values).
    #[test]
    fn filters_are_ordered_normalised_triangles() {
        let bins = N_FFT / 2 + 1;
        let f = filters(80);
        assert_eq!(f.len(), 80 * bins);
        assert!(f.iter().all(|w| w.is_finite() && *w >= 0.0));
        let peaks: Vec<usize> = f
            .chunks(bins)
            .map(|row| {
                (0..bins)
                    .max_by(|&a, &b| row[a].total_cmp(&row[b]))
                    .unwrap_or(0)
            })
            .collect();
        assert!(peaks.windows(2).all(|p| p[0] <= p[1]), "{peaks:?}");
        // Area normalisation: wider (higher) filters are lower.
        assert!(f[1] > f[79 * bins + peaks[79]]);
    }
}
