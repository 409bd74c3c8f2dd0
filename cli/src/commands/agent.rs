//! Builds the bot a command talks to: the newest NLU and dialogue models (trained first
//! when missing or stale), the custom actions over a calendar, and the NLU as
//! interpreter.

use super::{resolve_model, train};
use anyhow::{Context, Result};
use bela_clinic::ClinicData;
use bela_clinic::actions::register;
use bela_clinic::calendar::{Calendar, InMemoryCalendar};
use bela_clinic::catalogue::CATALOGUE_FILE;
use bela_clinic::config::{CONFIG_FILE, ClinicConfig};
use bela_engine::dialogue::actions::ActionRegistry;
use bela_engine::dialogue::processor::Processor;
use bela_engine::project::Project;
use bela_server::Settings;
use bela_server::actions::RemoteActions;
use bela_server::calendar::SqlCalendar;
use bela_server::jobs::JobSettings;
use std::sync::Arc;

/// Whether the project is the clinic's: it holds `clinic.yml` or `catalogue.yml`.
pub fn is_clinic(project: &Project) -> bool {
    let has = |f: &str| project.root().join(f).is_file();
    has(CONFIG_FILE) || has(CATALOGUE_FILE)
}

/// The calendar the clinic's actions book into: the project's database (the same
/// settings as the conversation store) for a clinic project, an empty in-memory one
/// otherwise (no action reads it).
pub async fn project_calendar(project: &Project) -> Result<Arc<dyn Calendar>> {
    if !is_clinic(project) {
        return Ok(Arc::new(InMemoryCalendar::new()));
    }
    let settings = Settings::from_env().map_err(anyhow::Error::msg)?;
    let url = settings.database_url_in(project.root());
    let calendar = SqlCalendar::connect(&url)
        .await
        .context("opening the clinic's calendar")?;
    Ok(Arc::new(calendar))
}

/// The scheduled jobs' times from the clinic's `clinic.yml` (reminder lead time,
/// follow-up days), when the project is the clinic's and the file loads; else `settings`
/// as they are (no reminders, no follow-ups).
pub fn with_clinic_notices(project: &Project, mut settings: JobSettings) -> JobSettings {
    let path = project.root().join(CONFIG_FILE);
    if !path.is_file() {
        return settings;
    }
    // The actions load the file too and report its problems; here it only feeds times.
    if let Ok(config) = ClinicConfig::load(&path) {
        settings.reminder_hours = Some(config.notices.reminder_hours);
        settings.follow_up_days = config.notices.follow_up_days.clone();
    }
    settings
}

/// The project's bot, ready to handle messages, booking into `calendar`.
pub fn load_processor(project: &Project, calendar: Arc<dyn Calendar>) -> Result<Processor> {
    let (_, nlu) = resolve_model(project, None, true)?;
    train::train_dialogue(project, false)?;
    let (dir, dialogue) = project
        .load_latest_dialogue()?
        .context("no dialogue model was trained: does the project have a domain.yml?")?;
    tracing::info!(model = %dir.display(), "dialogue model loaded");
    Ok(Processor::new(
        Arc::new(dialogue),
        actions(project, calendar)?,
        Arc::new(nlu),
    ))
}

/// The custom actions the project can run: the clinic's Rust actions when the project has
/// `clinic.yml` and `catalogue.yml`, and the action server of `endpoints.yml` (or
/// `BELA_ACTION_ENDPOINT`) for the actions not written in Rust. The clinic's actions
/// book into `calendar`.
pub fn actions(project: &Project, calendar: Arc<dyn Calendar>) -> Result<ActionRegistry> {
    let mut registry = ActionRegistry::new();
    register_clinic_actions(project, &mut registry, calendar)?;
    if let Some(remote) = RemoteActions::from_project(project.root())? {
        tracing::info!(url = %remote.endpoint().url, "custom actions go to the action server");
        registry.with_server(Arc::new(remote));
    }
    Ok(registry)
}

/// Registers the clinic's actions (availability, quote, recommendation, procedure info)
/// when the project holds the clinic's files.
fn register_clinic_actions(
    project: &Project,
    registry: &mut ActionRegistry,
    calendar: Arc<dyn Calendar>,
) -> Result<()> {
    if !is_clinic(project) {
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
    register(registry, Arc::new(data), calendar);
    tracing::info!("clinic actions registered");
    Ok(())
}

/// The project with the clinic catalogue's synonyms and slang ("botoks" → botox) added to
/// its NLU training data, when it has the clinic's files. Files with errors add nothing
/// here: `bela data validate` and the clinic actions report them.
pub fn with_catalogue_synonyms(project: Project) -> Project {
    let has = |f: &str| project.root().join(f).is_file();
    if !has(CATALOGUE_FILE) || !has(CONFIG_FILE) {
        return project;
    }
    match ClinicData::load(project.root()) {
        Ok(data) => {
            let synonyms = data.catalogue.training_synonyms();
            project.with_synonyms(synonyms)
        }
        Err(_) => project,
    }
}
