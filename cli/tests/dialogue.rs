//! `bela test stories`, `bela shell` and the dialogue checks of `bela data validate`, on a
//! copy of the booking fixture.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn bela(project: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bela"))
        .arg("--project")
        .arg(project)
        .args(args)
        .output()
        .expect("run bela")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `bela shell` on `project`, typing `input`.
fn shell(project: &Path, input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bela"))
        .arg("--project")
        .arg(project)
        .arg("shell")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("type");
    child.wait_with_output().expect("shell ends")
}

/// A trained temporary copy of the booking fixture.
fn booking() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/booking");
    std::fs::create_dir_all(tmp.path().join("data")).expect("mkdir");
    for file in ["config.yml", "domain.yml", "data/nlu.yml", "data/rules.yml"] {
        std::fs::copy(src.join(file), tmp.path().join(file)).expect("copy");
    }
    let trained = bela(tmp.path(), &["train"]);
    assert!(trained.status.success(), "{}", text(&trained.stderr));
    assert!(
        text(&trained.stderr).contains("Trained the dialogue"),
        "{}",
        text(&trained.stderr)
    );
    tmp
}

const PASSING: &str = r#"
stories:
- story: book botox
  steps:
  - intent: greet
  - action: utter_greet
  - intent: book
  - action: booking_form
  - active_loop: booking_form
  - intent: inform
    entities:
    - procedure: botox
  - action: booking_form
  - slot_was_set:
    - procedure: botox
  - intent: inform
  - action: booking_form
  - slot_was_set:
    - name: Maria
  - active_loop: null
  - action: utter_booked
"#;

const FAILING: &str = r#"
stories:
- story: greet gets a goodbye
  steps:
  - intent: greet
  - action: utter_booked
"#;

#[test]
fn test_stories_pass_and_fail_with_rasa_comments() {
    let p = booking();
    let tests = p.path().join("tests");
    std::fs::create_dir_all(&tests).expect("mkdir");
    std::fs::write(tests.join("test_booking.yml"), PASSING).expect("write");
    let out = p.path().join("out");
    let out = out.to_str().expect("utf-8 path");
    let ok = bela(p.path(), &["test", "stories", "--out", out]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(
        text(&ok.stderr).contains("1 passed, 0 failed"),
        "{}",
        text(&ok.stderr)
    );

    std::fs::write(tests.join("test_failing.yml"), FAILING).expect("write");
    let failed = bela(p.path(), &["test", "stories", "--out", out]);
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed.stderr));
    let stderr = text(&failed.stderr);
    assert!(stderr.contains("1 passed, 1 failed"), "{stderr}");
    assert!(
        stderr.contains("test_failing.yml:6:5: expected utter_booked, predicted utter_greet"),
        "{stderr}"
    );
    let written =
        std::fs::read_to_string(p.path().join("out/failed_test_stories.yml")).expect("written");
    assert!(written.contains("greet gets a goodbye"), "{written}");
    assert!(written.contains("# predicted: utter_greet"), "{written}");
    assert!(
        !written.contains("book botox"),
        "only failed stories are written"
    );
}

#[test]
fn shell_chats_and_numbers_buttons() {
    let p = booking();
    let out = shell(p.path(), "/greet\n/nonsense\n1\n/stop\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Bot: Olá! Como posso ajudar?"), "{stdout}");
    assert!(stdout.contains("Bot: Você quis dizer isso?"), "{stdout}");
    assert!(
        stdout.contains("  1: Yes"),
        "the affirmation's buttons are numbered: {stdout}"
    );
    assert_eq!(
        stdout.matches("Bot: Olá! Como posso ajudar?").count(),
        2,
        "typing 1 sends the first button's payload (/greet): {stdout}"
    );
}

#[test]
fn validate_reports_undeclared_dialogue_names_with_their_place() {
    let p = booking();
    std::fs::write(
        p.path().join("data/stories.yml"),
        "stories:\n- story: typo\n  steps:\n  - intent: greet\n  - action: utter_gret\n",
    )
    .expect("write");
    let out = bela(p.path(), &["data", "validate"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("data/stories.yml:5:"), "{stderr}");
    assert!(stderr.contains("utter_gret"), "{stderr}");
}

#[test]
fn the_shell_runs_the_clinic_actions_of_a_project_with_clinic_files() {
    let p = booking();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for file in ["clinic.yml", "catalogue.yml"] {
        std::fs::copy(root.join(file), p.path().join(file)).expect("copy");
    }
    let domain = std::fs::read_to_string(p.path().join("domain.yml")).expect("read");
    let domain = domain
        .replace(
            "intents: [greet, book, inform, chitchat]",
            "intents: [greet, book, inform, chitchat, ask_procedure_info]\nactions: [action_procedure_info]",
        );
    std::fs::write(p.path().join("domain.yml"), domain).expect("write");
    std::fs::write(
        p.path().join("data/info.yml"),
        "rules:\n- rule: procedure info\n  steps:\n  - intent: ask_procedure_info\n  - action: action_procedure_info\n",
    )
    .expect("write");
    let out = shell(
        p.path(),
        "/ask_procedure_info{\"procedure\": \"botox\"}\n/stop\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Toxina botulínica (Botox)"),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    // The clinic's calendar is the project's database, as `bela run` keeps it.
    assert!(p.path().join(".bela/bela.db").is_file());
}

/// A trained temporary copy of the clinic's own project (this repository's bot).
fn clinic_project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for file in [
        "config.yml",
        "domain.yml",
        "clinic.yml",
        "catalogue.yml",
        "slang.yml",
    ] {
        std::fs::copy(root.join(file), tmp.path().join(file)).expect("copy");
    }
    for dir in ["training-data", "training-data/nlu", "tests"] {
        std::fs::create_dir_all(tmp.path().join(dir)).expect("mkdir");
    }
    for dir in ["training-data", "training-data/nlu"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                let name = path.file_name().expect("file name");
                std::fs::copy(&path, tmp.path().join(dir).join(name)).expect("copy");
            }
        }
    }
    std::fs::copy(
        root.join("tests/test_stories.yml"),
        tmp.path().join("tests/test_stories.yml"),
    )
    .expect("copy");
    let trained = bela(tmp.path(), &["train"]);
    assert!(trained.status.success(), "{}", text(&trained.stderr));
    tmp
}

#[test]
fn the_clinic_bot_passes_its_test_stories_and_books_in_the_shell() {
    let p = clinic_project();
    let tested = bela(p.path(), &["test", "stories"]);
    let stderr = text(&tested.stderr);
    assert!(
        tested.status.success(),
        "{stderr}\n{}",
        text(&tested.stdout)
    );
    assert!(stderr.contains("0 failed"), "{stderr}");

    // Consent, screening ("nenhuma" is the button), the first offered slot, the name,
    // then "Sim" to the summary.
    let out = shell(
        p.path(),
        "/book_appointment{\"procedure\": \"limpeza_de_pele\"}\n1\n1\n1\nMaria Souza\n1\n/stop\n",
    );
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.contains("LGPD"), "{stdout}");
    assert!(stdout.contains("Confira o agendamento"), "{stdout}");
    assert!(stdout.contains("Prontinho, Maria Souza!"), "{stdout}");
    // The appointment is in the project's database: another shell lists it.
    let out = shell(p.path(), "/my_appointments\n/stop\n");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Limpeza de pele"),
        "{stdout}\n{}",
        text(&out.stderr)
    );
}
