//! Builds the bot a command talks to: the newest NLU and dialogue models (trained first
//! when missing or stale), the custom actions, and the NLU as interpreter.

use super::{resolve_model, train};
use anyhow::{Context, Result};
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

/// The custom actions the project can run: the action server of `endpoints.yml` (or
/// `BELA_ACTION_ENDPOINT`) for the actions not written in Rust.
pub fn actions(project: &Project) -> Result<ActionRegistry> {
    let mut registry = ActionRegistry::new();
    if let Some(remote) = RemoteActions::from_project(project.root())? {
        tracing::info!(url = %remote.endpoint().url, "custom actions go to the action server");
        registry.with_server(Arc::new(remote));
    }
    Ok(registry)
}
