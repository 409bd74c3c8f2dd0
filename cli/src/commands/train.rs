//! `bela train`.

use crate::cli::TrainArgs;
use crate::progress::TrainingBars;
use anyhow::{Result, bail};
use bela_engine::Error;
use bela_engine::data::Diagnostic;
use bela_engine::project::{DialogueTrainOutcome, Project, TrainOutcome};
use std::process::ExitCode;

/// Trains the project's models (or says they are up to date).
pub fn run(project: &Project, args: &TrainArgs) -> Result<ExitCode> {
    let part = args.part.as_deref();
    if part != Some("core") {
        train_nlu(project, args.force)?;
    }
    if part != Some("nlu") {
        train_dialogue(project, args.force)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Trains the NLU model when the data or configuration changed since the newest model.
pub fn train_quietly_if_needed(project: &Project) -> Result<()> {
    train_nlu(project, false)
}

/// Trains the dialogue model when the domain, stories, rules or policies changed.
pub fn train_dialogue(project: &Project, force: bool) -> Result<()> {
    match project.train_dialogue(force) {
        Ok(DialogueTrainOutcome::UpToDate { dir }) => {
            eprintln!(
                "Dialogue unchanged since the last training; using {}",
                dir.display()
            );
            Ok(())
        }
        Ok(DialogueTrainOutcome::Trained {
            dir,
            model,
            warnings,
        }) => {
            print_diagnostics(&warnings);
            let meta = &model.metadata;
            eprintln!(
                "Trained the dialogue on {} stories and {} rules ({} rule entries); model saved to {}",
                meta.stories,
                meta.rules,
                model.policies.rules.entries().len(),
                dir.display()
            );
            Ok(())
        }
        Err(Error::InvalidData(errors)) => {
            print_diagnostics(&errors);
            bail!(
                "the domain or dialogue data has {} error(s); nothing was trained (`bela data validate` lists them too)",
                errors.len()
            )
        }
        Err(e) => Err(e.into()),
    }
}

fn train_nlu(project: &Project, force: bool) -> Result<()> {
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
