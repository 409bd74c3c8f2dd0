//! `bela test builtin --corpus DIR`: the built-in extractor against Duckling's corpus.

use crate::cli::TestBuiltinArgs;
use anyhow::{Context, Result};
use bela_engine::nlu::builtin::eval::{DimensionScore, evaluate_dir};
use std::process::ExitCode;

/// Prints the pass rate per dimension; writes failures when asked.
pub fn run(args: &TestBuiltinArgs) -> Result<ExitCode> {
    let scores = evaluate_dir(&args.corpus)?;
    println!(
        "{:<15} {:>7} {:>7} {:>8} {:>9}",
        "dimension", "cases", "passed", "rate", "negatives"
    );
    for s in &scores {
        if !s.supported {
            println!(
                "{:<15} {:>7} {:>7} {:>8} {:>9}",
                s.dimension, s.cases, "-", "n/a", "-"
            );
            continue;
        }
        println!(
            "{:<15} {:>7} {:>7} {:>7.1}% {:>5}/{:<3}",
            s.dimension,
            s.cases,
            s.passed,
            100.0 * s.pass_rate(),
            s.negative_passed,
            s.negative_cases
        );
    }
    let scored: Vec<&DimensionScore> = scores.iter().filter(|s| s.supported).collect();
    let (cases, passed) = scored
        .iter()
        .fold((0, 0), |(c, p), s| (c + s.cases, p + s.passed));
    if cases > 0 {
        println!(
            "{:<15} {:>7} {:>7} {:>7.1}%",
            "all supported",
            cases,
            passed,
            100.0 * passed as f64 / cases as f64
        );
    }
    if let Some(path) = &args.failures {
        let failures: Vec<_> = scored
            .iter()
            .flat_map(|s| s.failures.iter().map(move |f| (s.dimension.as_str(), f)))
            .map(|(d, f)| serde_json::json!({"dimension": d, "text": f.text, "expected": f.expected, "found": f.found}))
            .collect();
        std::fs::write(path, serde_json::to_vec_pretty(&failures)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}
