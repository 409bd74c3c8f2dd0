//! The whole NLU pipeline: training a project, persistence, fingerprints and versions.

use bela_engine::Error;
use bela_engine::nlu::model::{METADATA_FILE, NluModel};
use bela_engine::project::{Project, TrainOutcome};
use std::path::{Path, PathBuf};

const TEXTS: [&str; 5] = [
    "oi, tudo bem?",
    "quanto custa o botox?",
    "qto sai a limpeza de pele",
    "quero agendar peeling pra sexta",
    "orçamento de btx com cupom BELA20",
];

fn fixture_project() -> (tempfile::TempDir, Project) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/mini");
    std::fs::create_dir_all(tmp.path().join("data")).expect("mkdir");
    std::fs::copy(src.join("config.yml"), tmp.path().join("config.yml")).expect("copy");
    std::fs::copy(src.join("data/nlu.yml"), tmp.path().join("data/nlu.yml")).expect("copy");
    let project = Project::open(tmp.path()).expect("project");
    (tmp, project)
}

fn train(project: &Project, force: bool) -> TrainOutcome {
    project
        .train(force, &mut |_| {})
        .expect("training succeeds")
}

fn trained_dir(outcome: TrainOutcome) -> PathBuf {
    match outcome {
        TrainOutcome::Trained { dir, .. } => dir,
        TrainOutcome::UpToDate { dir } => panic!("expected training, got up-to-date {dir:?}"),
    }
}

fn parses(model: &NluModel) -> Vec<String> {
    TEXTS
        .iter()
        .map(|t| serde_json::to_string(&model.parse(t).to_parse_result(true)).expect("serialize"))
        .collect()
}

#[test]
fn saved_model_parses_exactly_like_the_trained_one() {
    let (_tmp, project) = fixture_project();
    let TrainOutcome::Trained { dir, model, .. } = train(&project, false) else {
        panic!("expected a trained model");
    };
    let loaded = NluModel::load(&dir).expect("load");
    assert_eq!(parses(&model), parses(&loaded));
    assert_eq!(
        model
            .parse("quanto custa o botox?")
            .intent
            .map(|i| i.name.to_string()),
        Some("ask_price".to_string())
    );
}

#[test]
fn training_is_deterministic_for_a_seed() {
    let (_a, pa) = fixture_project();
    let (_b, pb) = fixture_project();
    let ma = NluModel::load(&trained_dir(train(&pa, false))).expect("load a");
    let mb = NluModel::load(&trained_dir(train(&pb, false))).expect("load b");
    assert_eq!(parses(&ma), parses(&mb));
}

#[test]
fn unchanged_inputs_skip_training_and_changes_retrain() {
    let (tmp, project) = fixture_project();
    let first = trained_dir(train(&project, false));
    match train(&project, false) {
        TrainOutcome::UpToDate { dir } => assert_eq!(dir, first),
        TrainOutcome::Trained { .. } => panic!("retrained although nothing changed"),
    }
    let nlu = tmp.path().join("data/nlu.yml");
    let mut text = std::fs::read_to_string(&nlu).expect("read");
    text = text.replace("    - xau\n", "    - xau\n    - tchauzinho\n");
    std::fs::write(&nlu, text).expect("write");
    std::thread::sleep(std::time::Duration::from_millis(1100)); // distinct directory timestamp
    let second = trained_dir(train(&project, false));
    assert_ne!(first, second);
    assert!(
        trained_dir(train(&project, true)).exists(),
        "--force retrains"
    );
}

#[test]
fn a_model_of_another_format_version_gives_a_clear_error() {
    let (_tmp, project) = fixture_project();
    let dir = trained_dir(train(&project, false));
    let path = dir.join(METADATA_FILE);
    let mut meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    meta["format_version"] = serde_json::json!(999);
    std::fs::write(&path, serde_json::to_vec(&meta).expect("json")).expect("write");
    match NluModel::load(&dir) {
        Err(e @ Error::ModelVersion { found: 999, .. }) => {
            assert!(e.to_string().contains("bela train"), "{e}");
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("loaded a model of another format version"),
    }
}

#[test]
fn corrupt_weights_are_reported_not_panicked() {
    let (_tmp, project) = fixture_project();
    let dir = trained_dir(train(&project, false));
    std::fs::write(dir.join("weights.safetensors"), b"garbage").expect("write");
    assert!(matches!(
        NluModel::load(&dir),
        Err(Error::ModelCorrupt { .. })
    ));
}

#[test]
fn invalid_data_aborts_training_with_locations_and_keeps_the_old_model() {
    let (tmp, project) = fixture_project();
    let first = trained_dir(train(&project, false));
    std::fs::write(
        tmp.path().join("data/broken.yml"),
        "version: \"3.1\"\nnlu:\n- intent: greet\n  examples: |\n    - oi [sumido]{\"entity\": }\n",
    )
    .expect("write");
    match project.train(false, &mut |_| {}) {
        Err(Error::InvalidData(diagnostics)) => {
            let text = diagnostics[0].to_string();
            assert!(text.contains("broken.yml:5:"), "{text}");
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("trained on invalid data"),
    }
    assert!(
        NluModel::load(&first).is_ok(),
        "the previous model is intact"
    );
}
