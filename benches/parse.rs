//! In-process parse latency: `cargo bench --bench parse`.
//!
//! Trains the repository's clinic project into a temporary directory, then times
//! loading the model and `NluModel::parse` on short patient messages.

use bela_engine::nlu::model::NluModel;
use bela_engine::project::{Project, TrainOutcome};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};

mod common;
use common::copy_project;

/// Trains the project into a temporary copy; returns the copy (keep it alive) and the
/// model directory.
fn trained_model() -> (tempfile::TempDir, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_project(root, tmp.path());
    let project = Project::open(tmp.path()).expect("project");
    let dir = match project.train(true, &mut |_| {}).expect("train") {
        TrainOutcome::Trained { dir, .. } | TrainOutcome::UpToDate { dir } => dir,
    };
    (tmp, dir)
}

fn bench_parse(c: &mut Criterion) {
    let (_tmp, dir) = trained_model();
    c.bench_function("load model", |b| {
        b.iter(|| NluModel::load(black_box(&dir)).expect("load"))
    });
    let model = NluModel::load(&dir).expect("load");
    let mut group = c.benchmark_group("parse");
    for text in [
        "qto custa o botox?",
        "tem horário amanha de tarde pra limpeza de pele?",
        "oi",
    ] {
        group.bench_function(text, |b| b.iter(|| model.parse(black_box(text))));
    }
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
