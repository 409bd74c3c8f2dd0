//! `bela parse TEXT [--now RFC3339] [--tz ZONE]`.

use crate::cli::ParseArgs;
use anyhow::Result;
use bela_engine::nlu::builtin::ReferenceTime;
use bela_engine::project::Project;
use std::process::ExitCode;

/// Prints the /model/parse JSON for one message.
pub fn run(project: &Project, args: &ParseArgs) -> Result<ExitCode> {
    let (_, model) = super::resolve_model(project, args.model.as_ref(), false)?;
    let default_zone = model
        .builtin()
        .map(|b| b.zone().clone())
        .unwrap_or_else(|| ReferenceTime::now_default().now.time_zone().clone());
    let reference =
        ReferenceTime::from_request(args.now.as_deref(), args.tz.as_deref(), &default_zone)?;
    let result = model
        .parse_at(&args.text, Some(reference))
        .to_parse_result(args.tokens);
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(ExitCode::SUCCESS)
}
