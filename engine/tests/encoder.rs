//! The optional pretrained encoder inside the pipeline.

use bela_engine::Error;
use bela_engine::project::{Project, TrainOutcome};
use std::path::Path;

/// A copy of the test fixture whose config adds `BelaEncoder` at `models/encoder`.
fn project_with_encoder() -> (tempfile::TempDir, Project) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/mini");
    std::fs::create_dir_all(tmp.path().join("data")).expect("mkdir");
    std::fs::copy(src.join("data/nlu.yml"), tmp.path().join("data/nlu.yml")).expect("copy");
    let config = std::fs::read_to_string(src.join("config.yml")).expect("config");
    let config = config.replace(
        "pipeline:\n",
        "pipeline:\n  - name: BelaEncoder\n    model_path: encoder\n    max_length: 32\n",
    );
    std::fs::write(tmp.path().join("config.yml"), config).expect("write config");
    let project = Project::open(tmp.path()).expect("project");
    (tmp, project)
}

#[cfg(feature = "bert")]
#[test]
fn dense_features_flow_through_training_and_loading() {
    use bela_engine::nlu::model::NluModel;
    let (tmp, project) = project_with_encoder();
    let encoder_dir = tmp.path().join("encoder");
    std::fs::create_dir_all(&encoder_dir).expect("mkdir");
    bela_engine::nlu::encoder::tiny::write_tiny_model(&encoder_dir).expect("tiny model");
    let TrainOutcome::Trained { dir, model, .. } =
        project.train(false, &mut |_| {}).expect("train")
    else {
        panic!("expected training");
    };
    let parsed = model.parse("quanto custa o botox?");
    let dense = parsed.dense.as_ref().expect("dense features set");
    assert_eq!(dense.len(), 32);
    assert_eq!(
        parsed.intent.map(|i| i.name.to_string()).as_deref(),
        Some("ask_price")
    );
    let loaded = NluModel::load(&dir).expect("load with encoder");
    assert_eq!(
        loaded.parse("quanto custa o botox?").dense.as_ref(),
        Some(dense)
    );
}

#[cfg(not(feature = "bert"))]
#[test]
fn an_encoder_in_a_build_without_bert_is_a_clear_error() {
    let (_tmp, project) = project_with_encoder();
    match project.train(false, &mut |_| {}) {
        Err(e @ Error::Config(_)) => assert!(e.to_string().contains("--features bert"), "{e}"),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("trained with an encoder this build cannot run"),
    }
}

#[cfg(feature = "bert")]
#[test]
fn a_missing_encoder_directory_is_a_clear_error() {
    let (_tmp, project) = project_with_encoder();
    let err = project
        .train(false, &mut |_| {})
        .err()
        .expect("training must fail");
    assert!(matches!(err, Error::Io { .. } | Error::Config(_)), "{err}");
    assert!(err.to_string().contains("encoder"), "{err}");
}
