//! `bela test stories`: runs test stories end to end and writes the failed ones.

use super::agent::load_processor;
use super::train::print_diagnostics;
use crate::cli::TestStoriesArgs;
use anyhow::{Context, Result, bail};
use bela_clinic::calendar::InMemoryCalendar;
use bela_engine::data::Severity;
use bela_engine::dialogue::stories::DeclaredNames;
use bela_engine::dialogue::stories::test_stories::load_test_stories;
use bela_engine::dialogue::testing::run_test_stories;
use bela_engine::project::Project;
use std::process::ExitCode;
use std::sync::Arc;

/// The name Rasa gives the file of failed stories.
const FAILED_STORIES_FILE: &str = "failed_test_stories.yml";

/// Runs the test stories; exits with failure when any story fails.
pub fn run(project: &Project, args: &TestStoriesArgs) -> Result<ExitCode> {
    let path = args
        .stories
        .clone()
        .unwrap_or_else(|| project.root().join("tests"));
    if !path.exists() {
        bail!(
            "{} does not exist: give test stories with --stories",
            path.display()
        );
    }
    // A fresh calendar per run: what a story books must not depend on stored state.
    let processor = load_processor(project, Arc::new(InMemoryCalendar::new()))?;
    let declared = DeclaredNames::of(&processor.model().domain);
    let (stories, diagnostics) = load_test_stories(std::slice::from_ref(&path), Some(&declared))?;
    print_diagnostics(&diagnostics);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        bail!("the test stories have errors; nothing was run");
    }
    if stories.is_empty() {
        bail!("no test stories found in {}", path.display());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let report = runtime.block_on(run_test_stories(&processor, &stories));

    for outcome in report.stories.iter().filter(|s| !s.passed()) {
        eprintln!("FAILED: {}", outcome.name);
        for (location, message) in &outcome.messages {
            eprintln!("  {location}: {message}");
        }
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let failed_path = args.out.join(FAILED_STORIES_FILE);
    std::fs::write(&failed_path, report.failed_stories_yaml(&stories))
        .with_context(|| format!("writing {}", failed_path.display()))?;
    let (correct, total) = report.actions();
    let (understood, messages) = report.messages_understood();
    eprintln!(
        "Stories: {} passed, {} failed (of {}); actions: {correct}/{total} predicted correctly; messages: {understood}/{messages} understood. Failed stories: {}",
        report.passed(),
        report.failed(),
        report.stories.len(),
        failed_path.display()
    );
    Ok(if report.failed() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
