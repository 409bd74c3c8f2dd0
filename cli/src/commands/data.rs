//! `bela data validate` and `bela data convert`.

use super::train::print_diagnostics;
use crate::cli::{ConvertArgs, ValidateArgs};
use anyhow::{Context, Result};
use bela_engine::data::{Severity, loader, validate, writer};
use bela_engine::project::{Project, data_files};
use std::process::ExitCode;

/// Lists every problem; fails when any is an error.
pub fn validate(project: &Project, args: &ValidateArgs) -> Result<ExitCode> {
    let (data, mut diagnostics) = if args.data.is_empty() {
        project.load_data()?
    } else {
        let (data, mut d) = loader::load_training_data(&data_files(&args.data)?)?;
        d.extend(validate::validate(&data));
        d.sort_by_key(|d| d.severity);
        (data, d)
    };
    let (_, config_warnings) = project.load_config()?;
    diagnostics.extend(config_warnings);
    print_diagnostics(&diagnostics);
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    eprintln!(
        "{} examples, {} intents, {} entity types: {errors} error(s), {warnings} warning(s).",
        data.examples.len(),
        data.intents().len(),
        data.entity_types().len()
    );
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads any supported format and writes Rasa 3 YAML.
pub fn convert(args: &ConvertArgs) -> Result<ExitCode> {
    let (data, diagnostics) =
        loader::load_training_data(&data_files(std::slice::from_ref(&args.data))?)?;
    print_diagnostics(&diagnostics);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        anyhow::bail!("{} has errors; nothing was written", args.data.display());
    }
    let yaml = writer::to_yaml(&data);
    if args.out.as_os_str() == "-" {
        print!("{yaml}");
    } else {
        std::fs::write(&args.out, yaml)
            .with_context(|| format!("writing {}", args.out.display()))?;
        eprintln!(
            "Wrote {} examples of {} intents to {}",
            data.examples.len(),
            data.intents().len(),
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
