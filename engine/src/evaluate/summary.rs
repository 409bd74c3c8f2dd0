//! The few lines `bela test nlu` prints to the terminal.

use super::{EntityReport, Evaluation, FoldScores};
use std::fmt::Write;

/// How many of the worst intents the summary names.
const WORST_SHOWN: usize = 5;

impl Evaluation {
    /// A short human summary: intent accuracy and F1, entity micro F1 and value
    /// accuracy, per-extractor F1, the worst intents and, for merged folds, their spread.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let intents = &self.intent_report;
        // Writing to a String cannot fail, hence the ignored results.
        let _ = writeln!(
            out,
            "Intents: accuracy {:.1}% on {} examples; F1 macro {:.3}, weighted {:.3}",
            intents.accuracy * 100.0,
            self.len(),
            intents.macro_avg.f1_score,
            intents.weighted_avg.f1_score,
        );
        entity_line(&mut out, &self.entity_report);
        for (extractor, report) in &self.extractor_reports {
            let _ = writeln!(
                out,
                "  {extractor}: micro F1 {:.3}",
                report.micro_avg.f1_score
            );
        }
        self.worst_lines(&mut out);
        self.fold_lines(&mut out);
        out
    }

    fn worst_lines(&self, out: &mut String) {
        let worst: Vec<_> = self
            .intent_report
            .worst()
            .into_iter()
            .filter(|(_, r)| r.scores.f1_score < 1.0)
            .take(WORST_SHOWN)
            .collect();
        if worst.is_empty() {
            return;
        }
        let width = worst
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(0);
        let _ = writeln!(out, "Worst intents (F1, support, mistaken for):");
        for (label, row) in worst {
            let confused: Vec<String> = row
                .confused_with
                .0
                .iter()
                .map(|(other, n)| format!("{other} ×{n}"))
                .collect();
            let _ = writeln!(
                out,
                "  {label:<width$}  {:.3}  {:>4}  {}",
                row.scores.f1_score,
                row.scores.support,
                confused.join(", ")
            );
        }
    }

    fn fold_lines(&self, out: &mut String) {
        if self.folds.is_empty() {
            return;
        }
        let (mean, std) = FoldScores::mean_and_std(&self.folds);
        let _ = writeln!(
            out,
            "Cross-validation over {} folds (mean ± std): accuracy {:.3} ± {:.3}, intent F1 {:.3} ± {:.3}, entity F1 {:.3} ± {:.3}",
            self.folds.len(),
            mean.intent_accuracy,
            std.intent_accuracy,
            mean.intent_f1,
            std.intent_f1,
            mean.entity_f1,
            std.entity_f1,
        );
    }
}

fn entity_line(out: &mut String, report: &EntityReport) {
    if report.labels.is_empty() {
        let _ = writeln!(out, "Entities: none annotated or predicted");
        return;
    }
    let micro = report.micro_avg;
    let _ = writeln!(
        out,
        "Entities: micro F1 {:.3} (precision {:.3}, recall {:.3}) on {} gold entities; right value on {}/{} matched spans",
        micro.f1_score,
        micro.precision,
        micro.recall,
        micro.support,
        report.correct_values,
        report.matched_spans,
    );
}

#[cfg(test)]
mod tests {
    use crate::evaluate::evaluate;
    use crate::evaluate::test_support::{entity_fixture, intent_fixture};

    #[test]
    fn summary_names_scores_and_worst_intents() {
        let (gold, predicted) = intent_fixture();
        let text = evaluate(&gold, &predicted)
            .map(|e| e.summary())
            .unwrap_or_default();
        assert!(text.contains("accuracy 62.5% on 8 examples"), "{text}");
        assert!(text.contains("weighted 0.675"), "{text}");
        assert!(text.contains("none annotated"), "{text}");
        let worst = text.lines().position(|l| l.starts_with("Worst"));
        let first = worst
            .and_then(|i| text.lines().nth(i + 1))
            .unwrap_or_default();
        assert!(first.trim_start().starts_with("goodbye") && first.contains("greet ×1"));
    }

    #[test]
    fn summary_reports_entities_per_extractor() {
        let (gold, predicted) = entity_fixture();
        let text = evaluate(&gold, &predicted)
            .map(|e| e.summary())
            .unwrap_or_default();
        assert!(text.contains("micro F1 0.444"), "{text}");
        assert!(text.contains("right value on 1/2 matched spans"), "{text}");
        assert!(
            text.contains("RegexEntityExtractor: micro F1 0.500"),
            "{text}"
        );
    }
}
