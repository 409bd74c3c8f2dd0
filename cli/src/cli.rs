//! The command line, as clap types.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Bela: a Rust-native NLU and dialogue engine that reads Rasa projects.
#[derive(Debug, Parser)]
#[command(name = "bela", version, about)]
pub struct Cli {
    /// The project directory (config.yml, domain.yml, data/ or training-data/, models/).
    #[arg(
        long,
        short = 'p',
        global = true,
        default_value = ".",
        env = "BELA_PROJECT"
    )]
    pub project: PathBuf,
    /// More logging (-v, -vv); BELA_LOG overrides.
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Train the model (skipped when data and configuration did not change).
    Train(TrainArgs),
    /// Parse one message and print Rasa's /model/parse JSON.
    Parse(ParseArgs),
    /// Evaluate the model on labelled data.
    #[command(subcommand)]
    Test(TestCommand),
    /// Check or convert training data.
    #[command(subcommand)]
    Data(DataCommand),
    /// Serve the HTTP API (trains first when there is no model).
    Run(RunArgs),
    /// Chat with the bot in the terminal (trains first when needed).
    Shell(ShellArgs),
}

/// `bela train [nlu|core]`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// What to train: `nlu` (intents and entities), `core` (dialogue policies), or both
    /// when omitted.
    #[arg(value_parser = ["nlu", "core"])]
    pub part: Option<String>,
    /// Train even if a model of the same data and configuration exists.
    #[arg(long)]
    pub force: bool,
}

/// `bela parse TEXT`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The message to parse.
    pub text: String,
    /// A model directory (default: the newest under models/).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Include token spans (`text_tokens`).
    #[arg(long)]
    pub tokens: bool,
    /// The reference time for relative dates, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// The time zone values are given in: IANA name or offset (default: the configured
    /// one, America/Sao_Paulo).
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true)]
    pub tz: Option<String>,
}

/// `bela test ...`.
#[derive(Debug, Subcommand)]
pub enum TestCommand {
    /// Score intent and entity predictions on a labelled set.
    Nlu(TestNluArgs),
    /// Run test stories end to end: every message parsed, every action predicted.
    Stories(TestStoriesArgs),
    /// Score the built-in extractor on Duckling's corpus files (pass rate per dimension).
    Builtin(TestBuiltinArgs),
}

/// `bela test stories`.
#[derive(Debug, Args)]
pub struct TestStoriesArgs {
    /// Test stories: a file or directory (default: the project's `tests/`).
    #[arg(long)]
    pub stories: Option<PathBuf>,
    /// Where `failed_test_stories.yml` and the report are written.
    #[arg(long, default_value = "results")]
    pub out: PathBuf,
}

/// `bela shell`.
#[derive(Debug, Args)]
pub struct ShellArgs {
    /// The conversation id to use.
    #[arg(long, default_value = "shell")]
    pub sender: String,
}

/// `bela test builtin`.
#[derive(Debug, Args)]
pub struct TestBuiltinArgs {
    /// A directory of Duckling corpus files (`<dimension>_pt.json`).
    #[arg(long)]
    pub corpus: PathBuf,
    /// Also write every failed case here, as JSON.
    #[arg(long)]
    pub failures: Option<PathBuf>,
}

/// `bela test nlu`.
#[derive(Debug, Args)]
pub struct TestNluArgs {
    /// Labelled data: Rasa YAML/Markdown, or JSON `[{text, intent, entities}]`. With
    /// --cross-validation, the project's training data is used unless this is given.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Where reports are written.
    #[arg(long, default_value = "results")]
    pub out: PathBuf,
    /// A model directory (default: the newest under models/, trained if missing).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Cross-validate on the data instead of testing a trained model.
    #[arg(long)]
    pub cross_validation: bool,
    /// Number of folds for --cross-validation.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
}

/// `bela data ...`.
#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Report every problem in the training data with file, line and column.
    Validate(ValidateArgs),
    /// Convert Rasa 1.x Markdown (or any readable format) NLU data to Rasa 3 YAML.
    Convert(ConvertArgs),
}

/// `bela data validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files or directories to check (default: the project's data directories).
    #[arg(long = "data")]
    pub data: Vec<PathBuf>,
}

/// `bela data convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The file or directory to convert.
    #[arg(long)]
    pub data: PathBuf,
    /// The YAML file to write (`-` for standard output).
    #[arg(long)]
    pub out: PathBuf,
}

/// `bela run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Port to listen on.
    #[arg(long, default_value_t = 5005, env = "BELA_PORT")]
    pub port: u16,
    /// Interface to bind.
    #[arg(long, default_value = "0.0.0.0", env = "BELA_HOST")]
    pub host: std::net::IpAddr,
    /// Require `?token=` on every request.
    #[arg(long, env = "BELA_AUTH_TOKEN")]
    pub auth_token: Option<String>,
    /// Accept JWTs signed with this secret (`Authorization: Bearer`), as Rasa's
    /// `--jwt-secret`; env `BELA_JWT_SECRET`.
    #[arg(long)]
    pub jwt_secret: Option<String>,
    /// How JWTs are signed: HS256 (default), HS384 or HS512; env `BELA_JWT_METHOD`.
    #[arg(long)]
    pub jwt_method: Option<String>,
    /// A model directory (default: the newest under models/, trained if missing or stale).
    #[arg(long)]
    pub model: Option<PathBuf>,
}
