//! `bela test nlu`: scores a model on labelled data, or cross-validates the project's data.

use super::train::print_diagnostics;
use crate::cli::TestNluArgs;
use crate::progress::TrainingBars;
use anyhow::{Result, bail};
use bela_engine::data::{Example, Severity, TrainingData, loader};
use bela_engine::evaluate::{self, Evaluation};
use bela_engine::nlu::fallback::undo_fallback;
use bela_engine::nlu::message::ParseResult;
use bela_engine::nlu::model::NluModel;
use bela_engine::project::{Project, data_files};
use std::process::ExitCode;

/// Evaluates and writes the reports into `--out`.
pub fn run(project: &Project, args: &TestNluArgs) -> Result<ExitCode> {
    let evaluation = if args.cross_validation {
        cross_validate(project, args)?
    } else {
        let Some(path) = &args.data else {
            bail!("give the labelled data with --data FILE (or use --cross-validation)");
        };
        let gold = load_labelled(std::slice::from_ref(path))?;
        let (dir, model) = super::resolve_model(project, args.model.as_ref(), true)?;
        eprintln!(
            "Testing {} on {} examples from {}",
            dir.display(),
            gold.examples.len(),
            path.display()
        );
        evaluate::evaluate(&gold.examples, &predict(&model, &gold.examples))?
    };
    let files = evaluation.write(&args.out)?;
    println!("{}", evaluation.summary());
    for f in files {
        eprintln!("wrote {}", f.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Parses every example; like `rasa test nlu`, a fallback prediction is reverted to the
/// classifier's own top intent so the report shows what was mistaken for what.
fn predict(model: &NluModel, examples: &[Example]) -> Vec<ParseResult> {
    examples
        .iter()
        .map(|e| {
            let mut result = model.parse(&e.text).to_parse_result(false);
            undo_fallback(&mut result);
            result
        })
        .collect()
}

fn load_labelled(paths: &[std::path::PathBuf]) -> Result<TrainingData> {
    let (data, diagnostics) = loader::load_training_data(&data_files(paths)?)?;
    let errors: Vec<_> = diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        print_diagnostics(&errors);
        bail!("the labelled data has {} error(s)", errors.len());
    }
    if data.examples.is_empty() {
        bail!("the labelled data has no examples");
    }
    Ok(data)
}

/// Rasa's `--cross-validation`: train on k-1 folds, test on the held-out one, k times.
fn cross_validate(project: &Project, args: &TestNluArgs) -> Result<Evaluation> {
    let data = match &args.data {
        Some(path) => load_labelled(std::slice::from_ref(path))?,
        None => load_labelled(&project.data_dirs()?)?,
    };
    let (config, _) = project.load_config()?;
    let slang = project.slang(&config)?;
    let folds = evaluate::stratified_folds(&data.examples, args.folds, config.intent.seed)?;
    let mut evaluations = Vec::with_capacity(folds.len());
    for (i, (train_idx, test_idx)) in folds.iter().enumerate() {
        eprintln!("fold {}/{}", i + 1, folds.len());
        let train_data = TrainingData {
            examples: train_idx
                .iter()
                .map(|&j| data.examples[j].clone())
                .collect(),
            ..data.clone()
        };
        let test: Vec<Example> = test_idx.iter().map(|&j| data.examples[j].clone()).collect();
        let mut bars = TrainingBars::default();
        let model = bela_engine::nlu::train::train(
            &train_data,
            &config,
            slang.clone(),
            format!("cross-validation fold {i}"),
            &mut |p| bars.update(p),
        )?;
        bars.finish();
        evaluations.push(evaluate::evaluate(&test, &predict(&model, &test))?);
    }
    Ok(evaluate::merge(evaluations))
}
