//! In-process parse latency: `cargo bench --bench parse`.
//!
//! Trains the repository's clinic project (or the test fixture when run elsewhere) into a
//! temporary directory, then times `NluModel::parse` on short patient messages.

use bela_engine::nlu::model::NluModel;
use bela_engine::project::{Project, TrainOutcome};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

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

fn trained_model() -> NluModel {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_project(root, tmp.path());
    let project = Project::open(tmp.path()).expect("project");
    match project.train(true, &mut |_| {}).expect("train") {
        TrainOutcome::Trained { model, .. } => *model,
        TrainOutcome::UpToDate { dir } => NluModel::load(&dir).expect("load"),
    }
}

fn bench_parse(c: &mut Criterion) {
    let model = trained_model();
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
