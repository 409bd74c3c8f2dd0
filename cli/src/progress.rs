//! Progress bars for training, one per trainer stage.

use bela_engine::nlu::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;

/// Turns trainer reports into indicatif bars on stderr (hidden when stderr is not a terminal).
#[derive(Default)]
pub struct TrainingBars {
    bars: HashMap<&'static str, ProgressBar>,
}

impl TrainingBars {
    /// Updates (or creates) the bar of `p.stage`.
    pub fn update(&mut self, p: Progress) {
        let bar = self.bars.entry(p.stage).or_insert_with(|| {
            let bar =
                ProgressBar::with_draw_target(Some(p.epochs as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{prefix:>9} [{bar:30}] epoch {pos}/{len} {msg} ({elapsed})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.set_prefix(p.stage);
            bar
        });
        bar.set_position(p.epoch as u64);
        bar.set_message(format!("loss {:.4}", p.loss));
        if p.epoch >= p.epochs {
            bar.finish();
        }
    }

    /// Finishes any bar a trainer left open (early stopping).
    pub fn finish(&self) {
        for bar in self.bars.values() {
            if !bar.is_finished() {
                bar.finish();
            }
        }
    }
}
