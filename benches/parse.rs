//! In-process parse latency: `cargo bench --bench parse`.
//!
//! Trains the repository's clinic project into a temporary directory, then times
//! loading the model and `NluModel::parse` on short patient messages.

use bela_engine::nlu::model::NluModel;
use bela_engine::project::{Project, TrainOutcome};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn copy_project(src: &Path, dst: &Path) {
    for name in ["config.yml", "slang.yml", "domain.yml"] {
        if src.join(name).is_file() {
            std::fs::copy(src.join(name), dst.join(name)).expect("copy");
        }
    }
    for dir in ["data", "training-data"] {
        let from = src.join(dir);
        if from.is_dir() {
            copy_tree(&from, &dst.join(dir));
        }
    }
}

fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("read dir").flatten() {
        if e.path().is_dir() {
            copy_tree(&e.path(), &dst.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), dst.join(e.file_name())).expect("copy");
        }
    }
}

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
