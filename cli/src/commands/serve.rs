//! `bela run`: trains if needed, then serves the HTTP API.

use crate::cli::RunArgs;
use anyhow::{Context, Result};
use bela_engine::project::Project;
use bela_server::{AppState, Application, Settings};
use std::process::ExitCode;

/// Serves until Ctrl-C.
pub fn run(project: &Project, args: &RunArgs) -> Result<ExitCode> {
    let (dir, model) = super::resolve_model(project, args.model.as_ref(), true)?;
    let settings = Settings {
        host: args.host,
        port: args.port,
        auth_token: args.auth_token.clone().filter(|t| !t.is_empty()),
        ..Settings::from_env().map_err(anyhow::Error::msg)?
    };
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async move {
        let state = AppState::new(model, dir.clone(), settings.auth_token.clone());
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
