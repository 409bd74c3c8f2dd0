//! Builds the bot a command talks to: the newest NLU and dialogue models (trained first
//! when missing or stale), the custom actions, and the NLU as interpreter.

use super::{resolve_model, train};
use anyhow::{Context, Result};
use bela_engine::dialogue::actions::ActionRegistry;
use bela_engine::dialogue::processor::Processor;
use bela_engine::project::Project;
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

/// The custom actions the project can run.
fn actions(_project: &Project) -> Result<ActionRegistry> {
    Ok(ActionRegistry::new())
}
