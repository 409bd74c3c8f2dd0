//! Builds the bot a command talks to: the newest NLU and dialogue models (trained first
//! when missing or stale), the custom actions, and the NLU as interpreter.

use super::{resolve_model, train};
use anyhow::{Context, Result};
use bela_clinic::ClinicData;
use bela_clinic::actions::register;
use bela_clinic::calendar::InMemoryCalendar;
use bela_clinic::catalogue::CATALOGUE_FILE;
use bela_clinic::config::CONFIG_FILE;
use bela_engine::dialogue::actions::ActionRegistry;
use bela_engine::dialogue::processor::Processor;
use bela_engine::project::Project;
use bela_server::actions::RemoteActions;
use std::sync::Arc;

/// The project's bot, ready to handle messages.
pub fn load_processor(project: &Project) -> Result<Processor> {
    let (_, nlu) = resolve_model(project, None, true)?;
    train::train_dialogue(project, false)?;
    let (dir, dialogue) = project
        .load_latest_dialogue()?
        .context("no dialogue model was trained: does the project have a domain.yml?")?;
    tracing::info!(model = %dir.display(), "dialogue model loaded");
    Ok(Processor::new(
        Arc::new(dialogue),
        actions(project)?,
        Arc::new(nlu),
    ))
}

/// The custom actions the project can run: the clinic's Rust actions when the project has
/// `clinic.yml` and `catalogue.yml`, and the action server of `endpoints.yml` (or
/// `BELA_ACTION_ENDPOINT`) for the actions not written in Rust.
pub fn actions(project: &Project) -> Result<ActionRegistry> {
    let mut registry = ActionRegistry::new();
    register_clinic_actions(project, &mut registry)?;
    if let Some(remote) = RemoteActions::from_project(project.root())? {
        tracing::info!(url = %remote.endpoint().url, "custom actions go to the action server");
        registry.with_server(Arc::new(remote));
    }
    Ok(registry)
}

/// Registers the clinic's actions (availability, quote, recommendation, procedure info)
/// when the project holds the clinic's files. Bookings are kept in memory for now.
fn register_clinic_actions(project: &Project, registry: &mut ActionRegistry) -> Result<()> {
    let has = |f: &str| project.root().join(f).is_file();
    if !has(CONFIG_FILE) && !has(CATALOGUE_FILE) {
        return Ok(());
    }
    let data = ClinicData::load(project.root()).map_err(|diagnostics| {
        for d in &diagnostics {
            eprintln!("{d}");
        }
        anyhow::anyhow!(
            "the clinic's files have {} problem(s); `bela data validate` lists them",
            diagnostics.len()
        )
    })?;
    register(registry, Arc::new(data), Arc::new(InMemoryCalendar::new()));
    tracing::info!("clinic actions registered");
    Ok(())
}
