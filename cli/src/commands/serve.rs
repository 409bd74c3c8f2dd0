//! `bela run`: trains what is out of date (NLU and dialogue), opens the conversation
//! store, then serves the HTTP API.

use crate::cli::RunArgs;
use anyhow::{Context, Result};
use bela_engine::dialogue::model::DialogueModel;
use bela_engine::dialogue::processor::Processor;
use bela_engine::project::Project;
use bela_server::calendar::SqlCalendar;
use bela_server::conversations::Conversations;
use bela_server::store::{ConversationLocks, TrackerStore};
use bela_server::{AppState, Application, Settings};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Serves until Ctrl-C.
pub fn run(project: &Project, args: &RunArgs) -> Result<ExitCode> {
    let (dir, model) = super::resolve_model(project, args.model.as_ref(), true)?;
    let dialogue = dialogue_model(project)?;
    let from_env = Settings::from_env().map_err(anyhow::Error::msg)?;
    let settings = Settings {
        host: args.host,
        port: args.port,
        auth_token: args.auth_token.clone().filter(|t| !t.is_empty()),
        jwt_secret: args
            .jwt_secret
            .clone()
            .filter(|t| !t.is_empty())
            .or(from_env.jwt_secret.clone()),
        jwt_method: match &args.jwt_method {
            Some(m) => m
                .parse()
                .map_err(|e| anyhow::anyhow!("--jwt-method {m}: {e}"))?,
            None => from_env.jwt_method,
        },
        jobs: super::agent::with_clinic_notices(project, from_env.jobs.clone()),
        ..from_env
    };
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async move {
        let model = Arc::new(model);
        let mut state = AppState::new(model.clone(), dir.clone(), settings.auth_token.clone());
        match dialogue {
            Some((dialogue_dir, dialogue)) => {
                let url = settings.database_url_in(project.root());
                let store = TrackerStore::connect(&url)
                    .await
                    .context("opening the conversation store")?;
                // The clinic's appointments live next to the conversations, in one pool.
                let calendar = Arc::new(SqlCalendar::new(store.clone()));
                let actions = super::agent::actions(project, calendar)?;
                let processor = Processor::new(Arc::new(dialogue), actions, model);
                let locks = ConversationLocks::connect(&url, settings.lock_store_url.as_deref())
                    .await
                    .context("opening the conversation locks")?;
                let conversations = Conversations::new(processor, dialogue_dir, store, locks);
                tracing::info!("{}", conversations.describe());
                state = state.with_conversations(conversations);
            }
            None => eprintln!("No domain: serving NLU only (no conversation endpoints)"),
        }
        let app = Application::build(&settings, state)
            .await
            .with_context(|| format!("binding {}:{}", settings.host, settings.port))?;
        let addr = app.local_addr()?;
        tracing::info!(model = %dir.display(), "model loaded");
        eprintln!(
            "Bela is serving {} on http://{addr} (Ctrl-C to stop)",
            dir.display()
        );
        app.run_until_stopped().await.context("serving")
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The newest dialogue model, trained first when the domain, stories or rules changed;
/// `None` for a project without a domain (NLU only).
fn dialogue_model(project: &Project) -> Result<Option<(PathBuf, DialogueModel)>> {
    if project.domain_files()?.is_empty() {
        return Ok(None);
    }
    super::train::train_dialogue(project, false)?;
    Ok(project.load_latest_dialogue()?)
}
