//! One dialogue turn in process: `cargo bench --bench dialogue`.
//!
//! Trains the booking fixture (tests/fixtures/booking) into a temporary copy, then times
//! `Processor::handle_message`: NLU parse, slot extraction, policies, actions and the
//! responses, on an in-memory tracker (the store is measured over HTTP).

use bela_engine::dialogue::actions::ActionRegistry;
use bela_engine::dialogue::processor::{Processor, UserMessage};
use bela_engine::names::SenderId;
use bela_engine::project::Project;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

mod common;

fn processor() -> (tempfile::TempDir, Processor) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/booking");
    let tmp = tempfile::tempdir().expect("tempdir");
    common::copy_project(&fixture, tmp.path());
    let project = Project::open(tmp.path()).expect("project");
    project.train(true, &mut |_| {}).expect("nlu trains");
    project.train_dialogue(true).expect("dialogue trains");
    let (_, nlu) = project.load_latest_model().expect("nlu loads");
    let (_, dialogue) = project
        .load_latest_dialogue()
        .expect("dialogue loads")
        .expect("a dialogue model");
    let processor = Processor::new(Arc::new(dialogue), ActionRegistry::new(), Arc::new(nlu));
    (tmp, processor)
}

fn message(text: &str) -> UserMessage {
    UserMessage {
        text: text.into(),
        input_channel: Some("bench".into()),
        timestamp: 1_700_000_000.0,
        ..UserMessage::default()
    }
}

fn bench_turns(c: &mut Criterion) {
    let (_tmp, processor) = processor();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let model = processor.model();
    c.bench_function("turn: greet on a fresh conversation", |b| {
        b.iter(|| {
            let mut tracker = model.new_tracker(SenderId::new("bench"));
            runtime.block_on(
                processor.handle_message(&mut tracker, message(black_box("oi, tudo bem?"))),
            )
        })
    });
    c.bench_function("conversation: book botox in 3 messages", |b| {
        b.iter(|| {
            let mut tracker = model.new_tracker(SenderId::new("bench"));
            for text in ["quero agendar um horário", "botox", "Maria Souza"] {
                runtime.block_on(processor.handle_message(&mut tracker, message(black_box(text))));
            }
            tracker
        })
    });
}

criterion_group!(benches, bench_turns);
criterion_main!(benches);
