//! Tests of loading, merging and checking domains, and of the behaviour built on them.

use super::*;
use crate::data::{Diagnostic, Severity};
use crate::nlu::ParsedEntity;
use serde_json::{Value, json};
use std::path::Path;

const CLINIC: &str = r#"version: "3.1"
intents:
  - greet
  - inform
  - book_appointment:
      use_entities: [procedure]
  - deny:
      use_entities: false
  - ask_price:
      ignore_entities: [person_name]
  - stop
entities:
  - procedure
  - person_name
  - time:
      roles: [start, end]
      groups: [a]
slots:
  procedure:
    type: text
    mappings:
      - type: from_entity
        entity: procedure
  person_name:
    type: text
    mappings:
      - type: from_entity
        entity: person_name
        not_intent: deny
      - type: from_text
        conditions:
          - active_loop: booking_form
            requested_slot: person_name
  start_time:
    type: any
    mappings:
      - type: from_entity
        entity: time
        role: start
  wants_booking:
    type: bool
    initial_value: false
    mappings:
      - type: from_trigger_intent
        value: true
  mood:
    type: categorical
    values: [Bom, ruim, null]
    mappings:
      - type: from_intent
        intent: greet
        value: bom
  procedures:
    type: list
    mappings:
      - type: from_entity
        entity: procedure
  score:
    type: float
    min_value: 0
    max_value: 10
    mappings:
      - type: custom
        action: action_score
responses:
  utter_greet:
    - text: "Oi, {person_name}!"
      condition:
        - type: slot
          name: mood
          value: bom
    - text: "Olá!"
    - text: "Olá pelo WhatsApp!"
      channel: whatsapp
  utter_ask_procedure:
    - text: "Qual procedimento?"
      buttons:
        - title: Botox
          payload: '/inform{"procedure": "botox"}'
  utter_ask_booking_form_person_name:
    - text: "Seu nome?"
  utter_custom:
    - custom:
        kind: "card {procedure}"
actions:
  - action_score
  - action_ask_time
forms:
  booking_form:
    ignored_intents: [stop]
    required_slots:
      - procedure
      - person_name
session_config:
  session_expiration_time: 30
  carry_over_slots_to_new_session: false
"#;

fn clinic() -> Domain {
    let loaded = Domain::parse(CLINIC, Path::new("domain.yml"));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    loaded.domain
}

fn diags(text: &str) -> Vec<Diagnostic> {
    Domain::parse(text, Path::new("d.yml")).diagnostics
}

/// The (severity, line, column) of each diagnostic whose message contains `part`.
fn found(diags: &[Diagnostic], part: &str) -> Vec<(Severity, usize, usize)> {
    diags
        .iter()
        .filter(|d| d.message.contains(part))
        .map(|d| (d.severity, d.location.line, d.location.column))
        .collect()
}

fn entity(name: &str, value: &str) -> ParsedEntity {
    ParsedEntity {
        entity: name.into(),
        start: 0,
        end: value.chars().count(),
        value: json!(value),
        extractor: "test".into(),
        confidence_entity: None,
        role: None,
        group: None,
        processors: Vec::new(),
        additional_info: None,
    }
}

#[test]
fn reads_intents_with_their_entities() {
    let d = clinic();
    let book = d.intent(&"book_appointment".into()).expect("declared");
    assert!(book.uses_entity(&"procedure".into()));
    assert!(!book.uses_entity(&"person_name".into()));
    let deny = d.intent(&"deny".into()).expect("declared");
    assert!(!deny.uses_entity(&"procedure".into()));
    let price = d.intent(&"ask_price".into()).expect("declared");
    assert!(price.uses_entity(&"procedure".into()));
    assert!(!price.uses_entity(&"person_name".into()));
    // Default intents are added as plain intents.
    let restart = d.intent(&"restart".into()).expect("default");
    assert!(restart.is_default && restart.uses_entity(&"procedure".into()));
    assert!(d.intent(&"nlu_fallback".into()).is_some());
}

#[test]
fn entities_that_do_not_influence_are_seen_only_when_listed() {
    let text = "intents:\n  - a\n  - b:\n      use_entities: [quiet]\nentities:\n  - loud\n  - quiet:\n      influence_conversation: false\n";
    let d = Domain::parse(text, Path::new("d.yml")).domain;
    let (a, b) = (IntentName::new("a"), IntentName::new("b"));
    assert!(d.intent_uses_entity(&a, &"loud".into()));
    assert!(!d.intent_uses_entity(&a, &"quiet".into()));
    assert!(d.intent_uses_entity(&b, &"quiet".into()));
    assert!(!d.intent_uses_entity(&b, &"loud".into()));
}

#[test]
fn reads_entities_slots_and_session() {
    let d = clinic();
    let time = d.entity(&"time".into()).expect("declared");
    assert_eq!(time.roles, vec!["start", "end"]);
    assert_eq!(time.groups, vec!["a"]);
    let mood = d.slot(&"mood".into()).expect("declared");
    assert_eq!(
        mood.slot_type,
        SlotType::Categorical {
            values: vec!["bom".into(), "ruim".into(), "__other__".into()]
        }
    );
    let score = d.slot(&"score".into()).expect("declared");
    assert_eq!(
        score.slot_type,
        SlotType::Float {
            min: 0.0,
            max: 10.0
        }
    );
    let any = d.slot(&"start_time".into()).expect("declared");
    assert!(!any.influence_conversation);
    assert_eq!(
        d.slot(&"wants_booking".into()).map(|s| &s.initial_value),
        Some(&json!(false))
    );
    // Rasa's own slots.
    assert!(d.slot(&REQUESTED_SLOT.into()).is_some());
    assert!(d.slot(&SESSION_STARTED_METADATA.into()).is_some());
    assert_eq!(d.session_config.expiration_minutes, 30.0);
    assert!(!d.session_config.carry_over_slots);
    let form = d.form(&"booking_form".into()).expect("declared");
    assert_eq!(
        form.required_slots,
        vec![SlotName::new("procedure"), SlotName::new("person_name")]
    );
    assert_eq!(form.ignored_intents, vec![IntentName::new("stop")]);
}

#[test]
fn null_category_is_dropped_with_a_warning() {
    let found = found(
        &Domain::parse(CLINIC, Path::new("d.yml")).diagnostics,
        "`null`",
    );
    assert_eq!(found, vec![(Severity::Warning, 48, 25)]);
}

#[test]
fn action_names_follow_rasa_order() {
    let d = clinic();
    let names: Vec<String> = d.action_names().iter().map(ToString::to_string).collect();
    assert_eq!(&names[..DEFAULT_ACTIONS.len()], DEFAULT_ACTIONS);
    let user = &names[DEFAULT_ACTIONS.len()..];
    assert_eq!(
        user,
        [
            "action_score",
            "action_ask_time",
            "utter_ask_booking_form_person_name",
            "utter_ask_procedure",
            "utter_custom",
            "utter_greet",
            "booking_form",
        ]
    );
    assert!(
        d.has_action("action_listen")
            && d.has_action("utter_greet")
            && d.has_action("booking_form")
    );
    assert!(!d.has_action("utter_nope"));
    assert!(d.is_form(&"booking_form".into()) && !d.is_form(&"utter_greet".into()));
}

#[test]
fn ask_action_follows_rasa_search_order() {
    let d = clinic();
    let form = ActionName::new("booking_form");
    assert_eq!(
        d.ask_action(&form, &"person_name".into()).as_str(),
        "utter_ask_booking_form_person_name"
    );
    assert_eq!(
        d.ask_action(&form, &"time".into()).as_str(),
        "action_ask_time"
    );
    assert_eq!(
        d.ask_action(&form, &"procedure".into()).as_str(),
        "utter_ask_procedure"
    );
    assert_eq!(
        d.ask_action(&form, &"other".into()).as_str(),
        "utter_ask_other"
    );
}

#[test]
fn wrong_types_are_located_errors() {
    let text = "slots:\n  a:\n    type: float\n    min_value: 5\n    max_value: 1\n    mappings: []\n  b:\n    mappings: []\n  c:\n    type: colour\n    mappings: []\n  d:\n    type: any\n    influence_conversation: true\n    mappings: []\n  e:\n    type: text\nresponses:\n  utter_x:\n    - image: a.png\nintents: {greet: 1}\n";
    let ds = diags(text);
    assert_eq!(found(&ds, "not below"), vec![(Severity::Error, 3, 11)]);
    assert_eq!(found(&ds, "needs a `type`"), vec![(Severity::Error, 7, 3)]);
    assert_eq!(
        found(&ds, "unknown type `colour`"),
        vec![(Severity::Error, 10, 11)]
    );
    assert_eq!(
        found(&ds, "cannot influence"),
        vec![(Severity::Error, 14, 29)]
    );
    assert_eq!(
        found(&ds, "needs `mappings`"),
        vec![(Severity::Error, 16, 3)]
    );
    assert_eq!(
        found(&ds, "needs a `text` or a `custom`"),
        vec![(Severity::Error, 20, 7)]
    );
    assert_eq!(
        found(&ds, "`intents` must be a list"),
        vec![(Severity::Error, 21, 10)]
    );
}

#[test]
fn invalid_yaml_is_a_located_error() {
    let ds = diags("intents:\n  - greet\n  - [\n");
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].severity, Severity::Error);
    assert!(ds[0].message.starts_with("invalid YAML"));
}

#[test]
fn unknown_keys_are_warnings() {
    let text = "intents: [greet]\nstuff: 1\nslots:\n  a:\n    type: text\n    auto_fill: false\n    mappings: [{type: from_text, foo: 1}]\n";
    let ds = diags(text);
    assert_eq!(found(&ds, "`stuff`"), vec![(Severity::Warning, 2, 1)]);
    assert_eq!(found(&ds, "`auto_fill`"), vec![(Severity::Warning, 6, 5)]);
    assert_eq!(found(&ds, "`foo`"), vec![(Severity::Warning, 7, 34)]);
    assert!(
        ds.iter().all(|d| d.severity == Severity::Warning),
        "{ds:#?}"
    );
}

#[test]
fn references_are_checked_after_loading() {
    let text = "intents: [greet]\nentities: [e]\nslots:\n  a:\n    type: text\n    mappings:\n      - type: from_entity\n        entity: missing\n        intent: nope\n        conditions: [{active_loop: no_form, requested_slot: zz}]\nforms:\n  f:\n    required_slots: [a, ghost]\nactions: [utter_nothing]\n";
    let ds = diags(text);
    assert_eq!(
        found(&ds, "entity `missing`"),
        vec![(Severity::Warning, 8, 17)]
    );
    assert_eq!(
        found(&ds, "intent `nope`"),
        vec![(Severity::Warning, 9, 17)]
    );
    assert_eq!(found(&ds, "`no_form`"), vec![(Severity::Warning, 10, 36)]);
    assert_eq!(found(&ds, "slot `zz`"), vec![(Severity::Warning, 10, 61)]);
    assert_eq!(found(&ds, "slot `ghost`"), vec![(Severity::Error, 13, 25)]);
    assert_eq!(
        found(&ds, "no way to ask for `a`"),
        vec![(Severity::Warning, 13, 22)]
    );
    assert_eq!(
        found(&ds, "no response `utter_nothing`"),
        vec![(Severity::Warning, 14, 11)]
    );
}

#[test]
fn rasa_2_required_slots_are_read_with_a_warning() {
    let text = "slots:\n  a:\n    type: text\n    mappings: []\nresponses:\n  utter_ask_a: [{text: A?}]\nforms:\n  f:\n    required_slots:\n      a:\n        - type: from_text\n";
    let loaded = Domain::parse(text, Path::new("d.yml"));
    assert_eq!(
        loaded.domain.required_slots(&"f".into()),
        [SlotName::new("a")]
    );
    assert_eq!(
        found(&loaded.diagnostics, "Rasa 2 format"),
        vec![(Severity::Warning, 10, 7)]
    );
}

#[test]
fn directory_files_merge_first_wins() -> crate::Result<()> {
    let dir = tempfile::tempdir().map_err(|e| crate::Error::io("tmp", e))?;
    let write = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text).map_err(|e| crate::Error::io(name, e))
    };
    write(
        "a.yml",
        "intents: [greet]\nresponses:\n  utter_greet: [{text: Oi}]\n",
    )?;
    write(
        "b.yml",
        "intents: [greet, bye]\nresponses:\n  utter_greet: [{text: Olá}]\n",
    )?;
    write(
        "nlu.yml",
        "nlu:\n  - intent: greet\n    examples: |\n      - oi\n",
    )?;
    let loaded = Domain::load(dir.path())?;
    let d = &loaded.domain;
    let declared: Vec<&str> = d
        .intents
        .iter()
        .filter(|i| !i.is_default)
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(declared, ["greet", "bye"]);
    assert_eq!(
        d.response("utter_greet").and_then(|v| v[0].text.as_deref()),
        Some("Oi")
    );
    let dups: Vec<(String, usize)> = loaded
        .diagnostics
        .iter()
        .filter(|x| x.message.contains("declared again"))
        .map(|x| {
            (
                x.location
                    .file
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                x.location.line,
            )
        })
        .collect();
    assert_eq!(dups, [("b.yml".to_owned(), 1), ("b.yml".to_owned(), 3)]);
    Ok(())
}

#[test]
fn missing_path_is_an_io_error() {
    assert!(matches!(
        Domain::load(Path::new("/no/such/domain.yml")),
        Err(crate::Error::Io { .. })
    ));
}

fn ctx<'a>(
    intent: &'a IntentName,
    entities: &'a [ParsedEntity],
    text: &'a str,
    active_loop: Option<&'a ActionName>,
    requested: Option<&'a SlotName>,
    values: &'a (dyn Fn(&SlotName) -> Option<Value> + Sync),
) -> ExtractionContext<'a> {
    ExtractionContext {
        intent: Some(intent),
        entities,
        text: Some(text),
        active_loop,
        requested_slot: requested,
        loop_rejected: false,
        slot_value: values,
    }
}

fn unset(_: &SlotName) -> Option<Value> {
    None
}

fn set_slots(e: &Extraction) -> Vec<(&str, &Value)> {
    e.slots.iter().map(|(s, v)| (s.as_str(), v)).collect()
}

#[test]
fn entity_mappings_fill_outside_forms() {
    let d = clinic();
    let inform = IntentName::new("inform");
    let ents = [
        entity("procedure", "botox"),
        entity("procedure", "peeling"),
        entity("person_name", "Ana"),
    ];
    let e = d.extract_slots(&ctx(
        &inform,
        &ents,
        "botox e peeling, Ana",
        None,
        None,
        &unset,
    ));
    assert_eq!(
        set_slots(&e),
        [
            ("procedure", &json!("peeling")),
            ("person_name", &json!("Ana")),
            ("procedures", &json!(["botox", "peeling"]))
        ]
    );
    // from_text is conditioned on the form, so the text sets nothing more; the custom
    // mapping asks for its action.
    assert_eq!(e.custom_actions, [ActionName::new("action_score")]);
    assert_eq!(e.validation_action, None);
}

#[test]
fn intent_filters_roles_and_from_intent() {
    let d = clinic();
    let deny = IntentName::new("deny");
    let ents = [entity("person_name", "Ana")];
    assert!(
        d.extract_slots(&ctx(&deny, &ents, "Ana", None, None, &unset))
            .slots
            .is_empty()
    );
    let greet = IntentName::new("greet");
    let mut start = entity("time", "10h");
    start.role = Some("start".into());
    let ents = [entity("time", "9h"), start];
    let e = d.extract_slots(&ctx(&greet, &ents, "oi", None, None, &unset));
    assert_eq!(
        set_slots(&e),
        [("start_time", &json!("10h")), ("mood", &json!("bom"))]
    );
}

#[test]
fn from_text_fills_only_the_requested_slot_of_the_active_form() {
    let d = clinic();
    let inform = IntentName::new("inform");
    let form = ActionName::new("booking_form");
    let asked = SlotName::new("person_name");
    let e = d.extract_slots(&ctx(
        &inform,
        &[],
        "Maria Souza",
        Some(&form),
        Some(&asked),
        &unset,
    ));
    assert_eq!(
        set_slots(&e),
        [
            ("person_name", &json!("Maria Souza")),
            ("wants_booking", &json!(true))
        ]
    );
    let other = SlotName::new("procedure");
    let e = d.extract_slots(&ctx(
        &inform,
        &[],
        "Maria Souza",
        Some(&form),
        Some(&other),
        &unset,
    ));
    assert_eq!(set_slots(&e), [("wants_booking", &json!(true))]);
    // A rejected loop does not fill its requested slot through conditioned mappings.
    let mut rejected = ctx(
        &inform,
        &[],
        "Maria Souza",
        Some(&form),
        Some(&asked),
        &unset,
    );
    rejected.loop_rejected = true;
    assert_eq!(
        set_slots(&d.extract_slots(&rejected)),
        [("wants_booking", &json!(true))]
    );
}

#[test]
fn ignored_intents_block_mappings_while_the_form_is_active() {
    let d = clinic();
    let stop = IntentName::new("stop");
    let form = ActionName::new("booking_form");
    let ents = [entity("procedure", "botox")];
    let e = d.extract_slots(&ctx(&stop, &ents, "para", Some(&form), None, &unset));
    // As in Rasa, every mapping without conditions for another loop is blocked, the
    // form's slots and the others alike.
    assert!(e.slots.is_empty(), "{e:?}");
    let e = d.extract_slots(&ctx(&stop, &ents, "para", None, None, &unset));
    assert_eq!(set_slots(&e)[0], ("procedure", &json!("botox")));
}

#[test]
fn shared_entity_mappings_fill_only_the_requested_form_slot() {
    let text = "intents: [inform]\nentities: [name]\nslots:\n  first:\n    type: text\n    mappings: [{type: from_entity, entity: name}]\n  last:\n    type: text\n    mappings: [{type: from_entity, entity: name}]\nforms:\n  f:\n    required_slots: [first, last]\n";
    let d = Domain::parse(text, Path::new("d.yml")).domain;
    let inform = IntentName::new("inform");
    let form = ActionName::new("f");
    let asked = SlotName::new("last");
    let ents = [entity("name", "Souza")];
    let e = d.extract_slots(&ctx(
        &inform,
        &ents,
        "Souza",
        Some(&form),
        Some(&asked),
        &unset,
    ));
    assert_eq!(set_slots(&e), [("last", &json!("Souza"))]);
    let e = d.extract_slots(&ctx(&inform, &ents, "Souza", None, None, &unset));
    assert_eq!(e.slots.len(), 2);
}

#[test]
fn null_values_only_reset_slots_that_are_set() {
    let text = "intents: [inform]\nentities: [e]\nslots:\n  a:\n    type: text\n    mappings: [{type: from_entity, entity: e}]\nactions: [action_validate_slot_mappings]\n";
    let d = Domain::parse(text, Path::new("d.yml")).domain;
    let inform = IntentName::new("inform");
    let mut null = entity("e", "");
    null.value = Value::Null;
    let ents = [null];
    assert!(
        d.extract_slots(&ctx(&inform, &ents, "x", None, None, &unset))
            .slots
            .is_empty()
    );
    let set = |_: &SlotName| Some(json!("old"));
    let e = d.extract_slots(&ctx(&inform, &ents, "x", None, None, &set));
    assert_eq!(set_slots(&e), [("a", &Value::Null)]);
    assert_eq!(
        e.validation_action,
        Some(ActionName::new("action_validate_slot_mappings"))
    );
}

fn slots_with_mood(mood: Option<&'static str>) -> impl Fn(&SlotName) -> Option<Value> {
    move |s: &SlotName| match s.as_str() {
        "mood" => mood.map(|m| json!(m)),
        "person_name" => Some(json!("Ana")),
        _ => None,
    }
}

#[test]
fn conditional_variations_come_first() {
    let d = clinic();
    let r = d
        .choose_and_render(
            "utter_greet",
            slots_with_mood(Some("bom")),
            &serde_json::Map::new(),
            None,
            |_| 0,
        )
        .expect("response");
    assert_eq!(r.text.as_deref(), Some("Oi, Ana!"));
    let r = d
        .choose_and_render(
            "utter_greet",
            slots_with_mood(Some("ruim")),
            &serde_json::Map::new(),
            None,
            |_| 0,
        )
        .expect("response");
    assert_eq!(r.text.as_deref(), Some("Olá!"));
}

#[test]
fn channel_variations_are_preferred() {
    let d = clinic();
    let none = slots_with_mood(None);
    let candidates = d.candidate_variations("utter_greet", &none, Some("whatsapp"));
    assert_eq!(candidates.len(), 1);
    assert_eq!(candidates[0].text.as_deref(), Some("Olá pelo WhatsApp!"));
    assert_eq!(
        d.candidate_variations("utter_greet", &none, Some("rest"))
            .len(),
        1
    );
    assert!(
        d.choose_and_render("utter_none", none, &serde_json::Map::new(), None, |_| 0)
            .is_none()
    );
}

#[test]
fn pick_chooses_among_candidates() {
    let text = "responses:\n  utter_a: [{text: um}, {text: dois}, {text: três}]\n";
    let d = Domain::parse(text, Path::new("d.yml")).domain;
    let texts: Vec<String> = (0..3)
        .filter_map(|i| {
            d.choose_and_render("utter_a", unset, &serde_json::Map::new(), None, |n| {
                assert_eq!(n, 3);
                i
            })
        })
        .filter_map(|r| r.text)
        .collect();
    assert_eq!(texts, ["um", "dois", "três"]);
}

#[test]
fn templates_fill_text_buttons_and_custom() {
    let d = clinic();
    let slots = |s: &SlotName| (s.as_str() == "procedure").then(|| json!("botox"));
    let r = d
        .choose_and_render("utter_custom", slots, &serde_json::Map::new(), None, |_| 0)
        .expect("response");
    assert_eq!(r.custom, Some(json!({"kind": "card botox"})));
    let r = d
        .choose_and_render(
            "utter_ask_procedure",
            slots,
            &serde_json::Map::new(),
            None,
            |_| 0,
        )
        .expect("response");
    assert_eq!(r.buttons[0].payload, r#"/inform{"procedure": "botox"}"#);
    assert_eq!(r.to_json()["buttons"][0]["title"], json!("Botox"));
    // A declared but unset slot prints as Python's None.
    let r = d.choose_and_render(
        "utter_greet",
        |s: &SlotName| (s.as_str() == "mood").then(|| json!("bom")),
        &serde_json::Map::new(),
        None,
        |_| 0,
    );
    assert_eq!(r.and_then(|r| r.text).as_deref(), Some("Oi, None!"));
}

#[test]
fn json_has_rasa_shape() {
    let d = clinic();
    let j = d.to_json();
    assert_eq!(j["config"], json!({"store_entities_as_slots": true}));
    assert_eq!(
        j["session_config"],
        json!({"session_expiration_time": 30, "carry_over_slots_to_new_session": false})
    );
    assert_eq!(j["intents"][0], json!("greet"));
    assert_eq!(
        j["intents"][2],
        json!({"book_appointment": {"use_entities": ["procedure"]}})
    );
    assert_eq!(j["intents"][3], json!({"deny": {"use_entities": false}}));
    assert_eq!(
        j["intents"].as_array().map(Vec::len),
        Some(6),
        "default intents are not listed"
    );
    assert_eq!(
        j["entities"][2],
        json!({"time": {"roles": ["start", "end"], "groups": ["a"]}})
    );
    assert_eq!(j["slots"]["score"]["min_value"], json!(0.0));
    assert_eq!(
        j["slots"]["person_name"]["mappings"][1]["conditions"],
        json!([{"active_loop": "booking_form", "requested_slot": "person_name"}])
    );
    assert!(j["slots"].get(REQUESTED_SLOT).is_none());
    assert_eq!(
        j["responses"]["utter_greet"][0]["condition"],
        json!([{"type": "slot", "name": "mood", "value": "bom"}])
    );
    assert_eq!(
        j["forms"]["booking_form"],
        json!({"required_slots": ["procedure", "person_name"], "ignored_intents": ["stop"]})
    );
    assert_eq!(j["actions"], json!(["action_score", "action_ask_time"]));
    assert_eq!(j["version"], json!("3.1"));
}

#[test]
fn rasa_slot_class_paths_are_builtin_types() {
    let text = "slots:\n  n:\n    type: rasa.shared.core.slots.FloatSlot\n    max_value: 100\n    mappings: []\n";
    let loaded = Domain::parse(text, Path::new("d.yml"));
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    assert_eq!(
        loaded.domain.slot(&"n".into()).map(|s| &s.slot_type),
        Some(&SlotType::Float {
            min: 0.0,
            max: 100.0
        })
    );
}

#[test]
fn empty_file_is_an_empty_domain() {
    let loaded = Domain::parse("", Path::new("d.yml"));
    assert!(loaded.diagnostics.is_empty());
    assert_eq!(loaded.domain.session_config, SessionConfig::default());
    assert_eq!(loaded.domain.action_names().len(), DEFAULT_ACTIONS.len());
}

#[test]
fn a_second_session_config_is_reported_and_ignored() {
    let files = [
        (
            "session_config:\n  session_expiration_time: 10\n",
            "a.yml".into(),
        ),
        (
            "session_config:\n  session_expiration_time: 99\n",
            "b.yml".into(),
        ),
    ];
    let loaded = Domain::parse_files(&files);
    assert_eq!(loaded.domain.session_config.expiration_minutes, 10.0);
    let warned: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("`session_config` is given again"))
        .map(|d| d.location.to_string())
        .collect();
    assert_eq!(warned, ["b.yml:2:3"]);
}

#[test]
fn extra_variables_win_over_slots() {
    let d = clinic();
    let variation = ResponseVariation::text("{procedure}: {total}");
    let slots = |s: &SlotName| (s.as_str() == "procedure").then(|| json!("botox"));
    let extra = serde_json::Map::from_iter([("total".to_owned(), json!("R$ 900"))]);
    let r = d.render("utter_quote", &variation, &slots, &extra);
    assert_eq!(r.text.as_deref(), Some("botox: R$ 900"));
    assert_eq!(r.to_json()["response"], json!("utter_quote"));
}

#[test]
fn unquoted_version_is_read_with_a_warning() {
    let loaded = Domain::parse("version: 3.1\nintents: [greet]\n", Path::new("d.yml"));
    assert_eq!(loaded.domain.version.as_deref(), Some("3.1"));
    assert_eq!(
        found(&loaded.diagnostics, "quoted string"),
        vec![(Severity::Warning, 1, 10)]
    );
}

#[test]
fn malformed_list_items_are_located_errors() {
    let text = "intents:\n  - greet:\n  - [a]\n  - {a: {}, b: {}}\nentities:\n  - 3\nactions:\n  - action_x:\n      send_domain: yes\n";
    let ds = diags(text);
    assert_eq!(found(&ds, "no properties"), vec![(Severity::Error, 2, 5)]);
    assert_eq!(
        found(&ds, "an intent must be a name, not a list"),
        vec![(Severity::Error, 3, 5)]
    );
    assert_eq!(found(&ds, "with 2 keys"), vec![(Severity::Error, 4, 5)]);
    assert_eq!(
        found(&ds, "an entity must be a name, not a number"),
        vec![(Severity::Error, 6, 5)]
    );
    assert_eq!(
        found(&ds, "`send_domain` must be true or false"),
        vec![(Severity::Error, 9, 20)]
    );
}
