//! `bela shell`: a conversation with the bot in the terminal. Buttons are shown as
//! numbered choices; typing the number sends the button's payload.

use super::agent::{load_processor, project_calendar};
use crate::cli::ShellArgs;
use anyhow::Result;
use bela_engine::dialogue::events::{BotUttered, Button, now};
use bela_engine::dialogue::processor::UserMessage;
use bela_engine::names::SenderId;
use bela_engine::project::Project;
use std::io::{BufRead, Write};
use std::process::ExitCode;

/// What ends the conversation, as in `rasa shell`.
const STOP: &str = "/stop";

/// Chats until `/stop` or the end of input.
pub fn run(project: &Project, args: &ShellArgs) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // Bookings made here are the project's: `bela run` on the same database sees them.
    let calendar = runtime.block_on(project_calendar(project))?;
    let processor = load_processor(project, calendar)?;
    let mut tracker = processor
        .model()
        .new_tracker(SenderId::new(args.sender.as_str()));
    eprintln!("Bot loaded. Type a message and press Enter ({STOP} to quit).");
    let mut buttons: Vec<Button> = Vec::new();
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    let mut lines = stdin.lock().lines();
    loop {
        write!(out, "Você: ")?;
        out.flush()?;
        let Some(line) = lines.next().transpose()? else {
            break;
        };
        let typed = line.trim();
        if typed.is_empty() {
            continue;
        }
        if typed == STOP {
            break;
        }
        let text = choose(typed, &buttons).unwrap_or(typed).to_owned();
        let message = UserMessage {
            text,
            input_channel: Some("cmdline".into()),
            timestamp: now(),
            ..UserMessage::default()
        };
        let replies = runtime.block_on(processor.handle_message(&mut tracker, message));
        buttons = show(&mut out, &replies)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The payload of button number `typed`, if it is one.
fn choose<'b>(typed: &str, buttons: &'b [Button]) -> Option<&'b str> {
    let n: usize = typed.parse().ok()?;
    buttons.get(n.checked_sub(1)?).map(|b| b.payload.as_str())
}

/// Prints the bot's messages; returns the buttons offered, numbered from 1.
fn show(out: &mut impl Write, replies: &[BotUttered]) -> Result<Vec<Button>> {
    let mut buttons = Vec::new();
    for reply in replies {
        if let Some(text) = &reply.text {
            writeln!(out, "Bot: {text}")?;
        }
        if let Some(image) = &reply.data.image {
            writeln!(out, "Bot: [imagem] {image}")?;
        }
        for button in reply.data.buttons.iter().chain(&reply.data.quick_replies) {
            buttons.push(button.clone());
            writeln!(out, "  {}: {}", buttons.len(), button.title)?;
        }
    }
    Ok(buttons)
}
