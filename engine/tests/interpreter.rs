//! The NLU as the dialogue's interpreter: relative dates are read from when the message
//! was sent, in the patient's zone.

use bela_engine::dialogue::interpreter::Interpreter;
use bela_engine::dialogue::processor::UserMessage;
use bela_engine::nlu::model::NluModel;
use bela_engine::project::Project;
use serde_json::json;
use std::path::Path;

fn model() -> NluModel {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/booking");
    let project = Project::open(root).expect("fixture");
    let (config, _) = project.load_config().expect("config");
    let slang = project.slang(&config).expect("slang");
    let (data, _) = project.load_data().expect("data");
    bela_engine::nlu::train::train(&data, &config, slang, "test".into(), &mut |_| {})
        .expect("trains")
}

fn time_value(model: &NluModel, message: &UserMessage) -> serde_json::Value {
    let parsed = Interpreter::parse(model, message);
    parsed
        .entities
        .iter()
        .find(|e| e.entity == "time")
        .map(|e| e.value.clone())
        .unwrap_or_else(|| panic!("no time in {:?}", parsed.entities))
}

#[test]
fn relative_dates_follow_the_message_time_and_the_patients_zone() {
    let model = model();
    // 2026-03-10T12:00:00-03:00 (a Tuesday in São Paulo).
    let sent = 1_773_154_800.0;
    let message = UserMessage {
        text: "quero marcar amanhã às 15h".into(),
        timestamp: sent,
        ..UserMessage::default()
    };
    assert_eq!(
        time_value(&model, &message),
        json!("2026-03-11T15:00:00.000-03:00")
    );
    let in_manaus = UserMessage {
        metadata: Some(json!({"timezone": "America/Manaus"})),
        ..message
    };
    assert_eq!(
        time_value(&model, &in_manaus),
        json!("2026-03-11T15:00:00.000-04:00")
    );
}
