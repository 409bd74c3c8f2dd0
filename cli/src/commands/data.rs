//! `bela data validate` and `bela data convert`.

use super::train::print_diagnostics;
use crate::cli::{ConvertArgs, ValidateArgs};
use anyhow::{Context, Result};
use bela_engine::data::{Diagnostic, Severity, loader, validate, writer};
use bela_engine::dialogue::check;
use bela_engine::dialogue::stories::loader::load_training;
use bela_engine::project::{Project, data_files};
use std::path::PathBuf;
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
    let dialogue = validate_dialogue(project, &args.data)?;
    diagnostics.extend(dialogue.diagnostics);
    // The clinic's configuration and catalogue (clinic.yml, catalogue.yml), when present.
    diagnostics.extend(bela_clinic::validate(project.root()));
    diagnostics.sort_by_key(|d| d.severity);
    print_diagnostics(&diagnostics);
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    eprintln!(
        "{} examples, {} intents, {} entity types, {} stories, {} rules: {errors} error(s), {warnings} warning(s).",
        data.examples.len(),
        data.intents().len(),
        data.entity_types().len(),
        dialogue.stories,
        dialogue.rules,
    );
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// What the dialogue checks found.
struct DialogueFindings {
    diagnostics: Vec<Diagnostic>,
    stories: usize,
    rules: usize,
}

/// Checks the domain, the stories and rules in `paths` (default: the project's data),
/// and the policies' configuration.
fn validate_dialogue(project: &Project, paths: &[PathBuf]) -> Result<DialogueFindings> {
    let (domain, _, mut diagnostics) = project.load_domain()?;
    let (data, read) = if paths.is_empty() {
        project.load_dialogue_data()?
    } else {
        load_training(paths)?
    };
    diagnostics.extend(read);
    let (settings, policy_warnings) = project.policy_settings()?;
    diagnostics.extend(policy_warnings);
    if !project.domain_files()?.is_empty() || !data.stories.is_empty() || !data.rules.is_empty() {
        diagnostics.extend(check::validate_dialogue(&domain, &data, &settings));
    }
    Ok(DialogueFindings {
        diagnostics,
        stories: data.stories.len(),
        rules: data.rules.len(),
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
