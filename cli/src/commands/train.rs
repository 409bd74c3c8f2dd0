//! `bela train`.

use crate::cli::TrainArgs;
use crate::progress::TrainingBars;
use anyhow::{Result, bail};
use bela_engine::Error;
use bela_engine::data::Diagnostic;
use bela_engine::project::{Project, TrainOutcome};
use std::process::ExitCode;

/// Trains the project's model (or says it is up to date).
pub fn run(project: &Project, args: &TrainArgs) -> Result<ExitCode> {
    train(project, args.force)?;
    Ok(ExitCode::SUCCESS)
}

/// Trains when the data or configuration changed since the newest model.
pub fn train_quietly_if_needed(project: &Project) -> Result<()> {
    train(project, false)
}

fn train(project: &Project, force: bool) -> Result<()> {
    let mut bars = TrainingBars::default();
    let outcome = project.train(force, &mut |p| bars.update(p));
    bars.finish();
    match outcome {
        Ok(TrainOutcome::UpToDate { dir }) => {
            eprintln!(
                "Nothing changed since the last training; using {}",
                dir.display()
            );
            Ok(())
        }
        Ok(TrainOutcome::Trained {
            dir,
            model,
            warnings,
        }) => {
            print_diagnostics(&warnings);
            let meta = model.metadata();
            eprintln!(
                "Trained on {} examples ({} with entities): {} intents, {} entity types, in {:.1} s.\nModel saved to {}",
                meta.training.examples,
                meta.training.examples_with_entities,
                meta.intents.len(),
                meta.entities.len(),
                meta.training.seconds,
                dir.display()
            );
            Ok(())
        }
        Err(Error::InvalidData(errors)) => {
            print_diagnostics(&errors);
            bail!(
                "the training data has {} error(s); nothing was trained (`bela data validate` lists them too)",
                errors.len()
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// Prints diagnostics one per line, `file:line:column: level: message`.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}
