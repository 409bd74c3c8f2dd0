//! `bela parse TEXT`.

use crate::cli::ParseArgs;
use anyhow::Result;
use bela_engine::project::Project;
use std::process::ExitCode;

/// Prints the /model/parse JSON for one message.
pub fn run(project: &Project, args: &ParseArgs) -> Result<ExitCode> {
    let (_, model) = super::resolve_model(project, args.model.as_ref(), false)?;
    let result = model.parse(&args.text).to_parse_result(args.tokens);
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(ExitCode::SUCCESS)
}
