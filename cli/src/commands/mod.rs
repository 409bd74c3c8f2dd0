//! One file per command; `run` dispatches.

mod agent;
mod data;
mod parse;
mod serve;
mod shell;
mod test_builtin;
mod test_nlu;
mod test_stories;
mod train;

use crate::cli::{Cli, Command, DataCommand, TestCommand};
use anyhow::{Context, Result};
use bela_engine::nlu::model::NluModel;
use bela_engine::project::Project;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let project = Project::open(&cli.project)?;
    let project = agent::with_catalogue_synonyms(project);
    match cli.command {
        Command::Train(args) => train::run(&project, &args),
        Command::Parse(args) => parse::run(&project, &args),
        Command::Test(TestCommand::Nlu(args)) => test_nlu::run(&project, &args),
        Command::Test(TestCommand::Stories(args)) => test_stories::run(&project, &args),
        Command::Shell(args) => shell::run(&project, &args),
        Command::Test(TestCommand::Builtin(args)) => test_builtin::run(&args),
        Command::Data(DataCommand::Validate(args)) => data::validate(&project, &args),
        Command::Data(DataCommand::Convert(args)) => data::convert(&args),
        Command::Run(args) => serve::run(&project, &args),
    }
}

/// The model in `explicit`, or the project's newest one, trained first when it is missing
/// or stale and `train_if_needed` is set.
fn resolve_model(
    project: &Project,
    explicit: Option<&PathBuf>,
    train_if_needed: bool,
) -> Result<(PathBuf, NluModel)> {
    if let Some(dir) = explicit {
        let model = NluModel::load(dir).with_context(|| format!("loading {}", dir.display()))?;
        return Ok((dir.clone(), model));
    }
    if train_if_needed {
        train::train_quietly_if_needed(project)?;
    }
    Ok(project.load_latest_model()?)
}
