//! The `bela` binary as curators and scripts use it.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn bela(project: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bela"))
        .arg("--project")
        .arg(project)
        .args(args)
        .output()
        .expect("run bela")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A temporary copy of the test fixture project.
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/mini");
    std::fs::create_dir_all(tmp.path().join("data")).expect("mkdir");
    std::fs::copy(src.join("config.yml"), tmp.path().join("config.yml")).expect("copy");
    std::fs::copy(src.join("data/nlu.yml"), tmp.path().join("data/nlu.yml")).expect("copy");
    tmp
}

#[test]
fn train_then_skip_then_parse_prints_rasa_json() {
    let p = project();
    let first = bela(p.path(), &["train"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("Trained on 50 examples"),
        "{}",
        stderr(&first)
    );
    let again = bela(p.path(), &["train", "nlu"]);
    assert!(again.status.success());
    assert!(
        stderr(&again).contains("Nothing changed"),
        "{}",
        stderr(&again)
    );

    let out = bela(p.path(), &["parse", "qto custa o btx?", "--tokens"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("one JSON object on stdout");
    assert_eq!(json["intent"]["name"], "ask_price");
    assert_eq!(json["text_tokens"][0], serde_json::json!([0, 3]));
    assert!(
        json["entities"]
            .as_array()
            .expect("entities")
            .iter()
            .any(|e| e["entity"] == "procedure" && e["value"] == "botox")
    );
}

#[test]
fn parse_without_a_model_says_to_train() {
    let p = project();
    let out = bela(p.path(), &["parse", "oi"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("bela train"), "{}", stderr(&out));
}

#[test]
fn validate_lists_every_problem_with_file_line_and_column() {
    let p = project();
    std::fs::write(
        p.path().join("data/bad.yml"),
        "version: \"3.1\"\nnlu:\n- intent: greet\n  exemples: |\n    - oi\n- intent: goodbye\n  examples: |\n    - tchau [amigo]{\"entity\": }\n",
    )
    .expect("write");
    let out = bela(p.path(), &["data", "validate"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("bad.yml:4:3: error:"), "{err}");
    assert!(err.contains("exemples"), "{err}");
    assert!(err.contains("bad.yml:8:"), "{err}");
    // Training refuses unreadable data and says so.
    let train = bela(p.path(), &["train"]);
    assert!(!train.status.success());
    assert!(
        stderr(&train).contains("nothing was trained"),
        "{}",
        stderr(&train)
    );
}

#[test]
fn validate_passes_clean_data_with_warnings_only() {
    let p = project();
    let out = bela(p.path(), &["data", "validate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("0 error(s)"), "{}", stderr(&out));
}

#[test]
fn convert_turns_rasa_1_markdown_into_yaml_that_validates() {
    let p = project();
    let md = p.path().join("old.md");
    std::fs::write(
        &md,
        "## intent:greet\n- oi\n- olá [Maria](person_name)\n\n## synonym:botox\n- btx\n\n## regex:voucher\n- [A-Z]{4}[0-9]{2}\n\n## lookup:procedure\n- botox\n- peeling\n",
    )
    .expect("write");
    let out_file = p.path().join("converted.yml");
    let out = bela(
        p.path(),
        &[
            "data",
            "convert",
            "--data",
            md.to_str().expect("utf8"),
            "--out",
            out_file.to_str().expect("utf8"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let yaml = std::fs::read_to_string(&out_file).expect("written");
    assert!(yaml.contains("- intent: greet"), "{yaml}");
    assert!(yaml.contains("[Maria](person_name)"), "{yaml}");
    assert!(yaml.contains("- synonym: botox"), "{yaml}");
    let check = bela(
        p.path(),
        &[
            "data",
            "validate",
            "--data",
            out_file.to_str().expect("utf8"),
        ],
    );
    assert!(
        stderr(&check).contains("2 examples, 1 intents"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn test_nlu_writes_rasa_reports_and_a_confusion_matrix() {
    let p = project();
    let test_set = p.path().join("test.json");
    std::fs::write(
        &test_set,
        r#"[{"text": "quanto custa o peeling", "intent": "ask_price", "entities": [{"start": 15, "end": 22, "entity": "procedure", "value": "peeling"}]},
            {"text": "olá, bom dia", "intent": "greet", "entities": []},
            {"text": "tchau, até logo", "intent": "goodbye", "entities": []}]"#,
    )
    .expect("write");
    let out_dir = p.path().join("results");
    let out = bela(
        p.path(),
        &[
            "test",
            "nlu",
            "--data",
            test_set.to_str().expect("utf8"),
            "--out",
            out_dir.to_str().expect("utf8"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(
        &std::fs::read(out_dir.join("intent_report.json")).expect("intent report"),
    )
    .expect("json");
    assert_eq!(report["ask_price"]["support"], 1);
    assert!(report["accuracy"].as_f64().is_some());
    assert!(report["weighted avg"]["f1-score"].as_f64().is_some());
    for f in [
        "intent_errors.json",
        "entity_report.json",
        "intent_confusion_matrix.svg",
    ] {
        assert!(out_dir.join(f).is_file(), "{f} missing");
    }
    let svg = std::fs::read_to_string(out_dir.join("intent_confusion_matrix.svg")).expect("svg");
    assert!(svg.contains("ask_price") && svg.contains("goodbye"));
}

#[test]
fn cross_validation_reports_per_fold_figures() {
    let p = project();
    let out_dir = p.path().join("cv");
    let out = bela(
        p.path(),
        &[
            "test",
            "nlu",
            "--cross-validation",
            "--folds",
            "2",
            "--out",
            out_dir.to_str().expect("utf8"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let cv: Value = serde_json::from_slice(
        &std::fs::read(out_dir.join("cross_validation.json")).expect("cv report"),
    )
    .expect("json");
    assert_eq!(cv["folds"].as_array().map(Vec::len), Some(2), "{cv}");
    let report: Value = serde_json::from_slice(
        &std::fs::read(out_dir.join("intent_report.json")).expect("intent report"),
    )
    .expect("json");
    assert_eq!(
        report["macro avg"]["support"], 50,
        "every example tested once"
    );
}

#[test]
fn parse_reads_times_relative_to_now_and_tz() {
    let p = project();
    assert!(bela(p.path(), &["train"]).status.success());
    let args = [
        "parse",
        "pode ser sexta às 10h?",
        "--now",
        "2026-03-14T12:00:00Z",
        "--tz",
        "-02:00",
    ];
    let out = bela(p.path(), &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let time = json["entities"]
        .as_array()
        .and_then(|es| es.iter().find(|e| e["entity"] == "time").cloned())
        .unwrap_or_else(|| panic!("no time in {json}"));
    // Saturday the 14th: "sexta" is the next Friday, in the offset asked for.
    assert_eq!(time["value"], "2026-03-20T10:00:00.000-02:00");

    let bad = bela(p.path(), &["parse", "amanhã", "--tz", "Lua/Crateras"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("Lua/Crateras"), "{}", stderr(&bad));
}

#[test]
fn test_builtin_prints_the_pass_rate_per_dimension() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = serde_json::json!({
        "dimension": "Numeral",
        "reference_time": "2013-02-12T04:30:00.000-02:00",
        "cases": [
            {"text": "vinte e um", "expected": {"type": "value", "value": 21}},
            {"text": "trinta", "expected": {"type": "value", "value": 31}}
        ],
        "negative_cases": []
    });
    std::fs::write(dir.path().join("numeral_pt.json"), corpus.to_string()).expect("write");
    let failures = dir.path().join("failures.json");
    let out = Command::new(env!("CARGO_BIN_EXE_bela"))
        .args(["test", "builtin", "--corpus"])
        .arg(dir.path())
        .arg("--failures")
        .arg(&failures)
        .output()
        .expect("run bela");
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Numeral"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains("50.0%"), "{line}");
    let written: Value =
        serde_json::from_slice(&std::fs::read(&failures).expect("failures file")).expect("json");
    assert_eq!(written[0]["text"], "trinta");
}
