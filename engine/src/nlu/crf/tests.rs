//! The trained tagger end to end, on small pt-BR clinic fixtures.

use super::{CrfEntityExtractor, EntityConfig, EntityTrainer};
use crate::data::{EntityAnnotation, Example};
use crate::nlu::artifact::{ArtifactReader, ArtifactWriter};
use crate::nlu::{Component, ParsedEntity};

/// An entity slot in a template: `(entity, role, group)`.
type Slot = (&'static str, Option<&'static str>, Option<&'static str>);

/// Fills `template`'s `{}` holes with `values`, annotating each as `slots` say.
fn fill(template: &str, values: &[&str], slots: &[Slot]) -> Example {
    let mut text = String::new();
    let mut entities = Vec::new();
    let mut parts = template.split("{}");
    text.push_str(parts.next().unwrap_or(""));
    for ((value, slot), rest) in values.iter().zip(slots).zip(parts) {
        let start = text.chars().count();
        text.push_str(value);
        entities.push(EntityAnnotation {
            start,
            end: text.chars().count(),
            entity: slot.0.into(),
            value: (*value).into(),
            role: slot.1.map(Into::into),
            group: slot.2.map(Into::into),
        });
        text.push_str(rest);
    }
    Example {
        text,
        intent: "agendar".into(),
        entities,
        metadata: None,
        location: None,
    }
}

const PROC: Slot = ("procedimento", None, None);
const DIA: Slot = ("dia", None, None);

const TEMPLATES: [&str; 6] = [
    "quero agendar {} na {}",
    "tem horário pra {} {}?",
    "posso fazer {} na {} de manhã",
    "oi, queria marcar {} pra {} por favor",
    "vcs fazem {} na {}?",
    "gostaria de {} na {} à tarde",
];
const PROCEDURES: [&str; 5] = [
    "botox",
    "preenchimento labial",
    "limpeza de pele",
    "peeling",
    "drenagem linfática",
];
const DAYS: [&str; 5] = ["sexta", "segunda", "terça", "quarta", "quinta"];

/// Every third (template, procedure, day) combination is held out for testing.
fn clinic(held_out: bool) -> Vec<Example> {
    let mut out = Vec::new();
    let mut k = 0;
    for template in TEMPLATES {
        for procedure in PROCEDURES {
            for day in DAYS {
                k += 1;
                if (k % 3 == 0) == held_out {
                    out.push(fill(template, &[procedure, day], &[PROC, DIA]));
                }
            }
        }
    }
    if !held_out {
        for text in [
            "bom dia",
            "qual o endereço da clínica?",
            "obrigada!",
            "vcs abrem sábado?",
        ] {
            out.push(fill(text, &[], &[]));
        }
    }
    out
}

use crate::nlu::test_support::{message, prepare};

fn config() -> EntityConfig {
    EntityConfig {
        epochs: 20,
        ..EntityConfig::default()
    }
}

fn train(examples: &[Example]) -> CrfEntityExtractor {
    EntityTrainer::new(&config(), "pt")
        .train(&prepare(examples), &mut |_| {})
        .expect("training succeeds")
        .expect("the data has entities")
}

fn run(model: &dyn Component, text: &str) -> Vec<ParsedEntity> {
    let mut m = message(text);
    model.process(&mut m);
    m.entities
}

/// `(entity, value, role, group)` of each entity, and its offsets checked against the text.
fn found(
    text: &str,
    entities: &[ParsedEntity],
) -> Vec<(String, String, Option<String>, Option<String>)> {
    entities
        .iter()
        .map(|e| {
            let span: String = text.chars().skip(e.start).take(e.end - e.start).collect();
            assert_eq!(e.value, span.as_str(), "the value is the text as written");
            (e.entity.clone(), span, e.role.clone(), e.group.clone())
        })
        .collect()
}

#[test]
fn finds_entities_in_unseen_sentences() {
    let model = train(&clinic(false));
    let test = clinic(true);
    let mut correct = 0;
    for example in &test {
        let entities = run(&model, &example.text);
        for e in &entities {
            assert_eq!(e.extractor, "CRFEntityExtractor");
            let c = e.confidence_entity.expect("a confidence");
            assert!(c > 0.0 && c <= 1.0, "confidence {c} in (0, 1]");
        }
        let want: Vec<(String, String, Option<String>, Option<String>)> = example
            .entities
            .iter()
            .map(|a| (a.entity.to_string(), a.value.clone(), None, None))
            .collect();
        if found(&example.text, &entities) == want {
            correct += 1;
        }
    }
    assert_eq!(
        correct,
        test.len(),
        "every held-out sentence tagged exactly"
    );
    // A new phrasing with a capitalised, multi-token procedure.
    let text = "Dá pra fazer Preenchimento Labial sexta?";
    assert_eq!(
        found(text, &run(&model, text)),
        [
            (
                "procedimento".into(),
                "Preenchimento Labial".into(),
                None,
                None
            ),
            ("dia".into(), "sexta".into(), None, None),
        ]
    );
    assert!(run(&model, "bom dia, tudo bem?").is_empty());
}

#[test]
fn roles_and_groups_come_back_out() {
    let antigo: Slot = ("dia", Some("antigo"), None);
    let novo: Slot = ("dia", Some("novo"), None);
    let mut examples = Vec::new();
    // Every ordered pair of days but the one asked about below.
    for a in DAYS {
        for b in DAYS
            .iter()
            .filter(|&&b| b != a && (a, b) != ("terça", "quinta"))
        {
            for template in [
                "quero trocar {} por {}",
                "dá pra mudar de {} pra {}?",
                "preciso remarcar de {} para {}",
            ] {
                examples.push(fill(template, &[a, b], &[antigo, novo]));
            }
        }
    }
    let slots = [
        ("procedimento", None, Some("1")),
        ("dia", None, Some("1")),
        ("procedimento", None, Some("2")),
        ("dia", None, Some("2")),
    ];
    for (k, (p, q)) in [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0), (0, 2), (1, 3)]
        .iter()
        .enumerate()
    {
        let (d, e) = (DAYS[k % 5], DAYS[(k + 2) % 5]);
        for template in ["{} na {} e {} na {}", "quero {} na {} e depois {} na {}"] {
            examples.push(fill(
                template,
                &[PROCEDURES[*p], d, PROCEDURES[*q], e],
                &slots,
            ));
        }
    }
    let model = train(&examples);
    let text = "quero trocar terça por quinta";
    let got = found(text, &run(&model, text));
    let role = |r: &str| Some(r.to_string());
    assert_eq!(
        got,
        [
            ("dia".into(), "terça".into(), role("antigo"), None),
            ("dia".into(), "quinta".into(), role("novo"), None),
        ]
    );
    let text = "peeling na segunda e botox na sexta";
    let groups: Vec<Option<String>> = run(&model, text).into_iter().map(|e| e.group).collect();
    assert_eq!(groups, [role("1"), role("1"), role("2"), role("2")]);
}

#[test]
fn save_load_gives_identical_output() {
    let model = train(&clinic(false));
    let mut w = ArtifactWriter::new();
    model.save(&mut w).expect("save");
    let loaded = CrfEntityExtractor::load(&ArtifactReader::from_writer(&w)).expect("load");
    for example in clinic(true).iter().take(10) {
        assert_eq!(run(&model, &example.text), run(&loaded, &example.text));
    }
}

#[test]
fn training_is_deterministic_and_reports_each_epoch() {
    let examples = clinic(false);
    let mut reports = Vec::new();
    let a = EntityTrainer::new(&config(), "pt")
        .train(&prepare(&examples), &mut |p| reports.push(p))
        .expect("training succeeds")
        .expect("a model");
    let b = train(&examples);
    let saved = |m: &CrfEntityExtractor| {
        let mut w = ArtifactWriter::new();
        m.save(&mut w).expect("save");
        let r = ArtifactReader::from_writer(&w);
        r.tensor_vec("crf.weights").expect("weights")
    };
    assert_eq!(saved(&a), saved(&b));
    assert_eq!(reports.len(), config().epochs);
    assert!(
        reports
            .iter()
            .enumerate()
            .all(|(i, p)| p.stage == "entities" && p.epoch == i + 1)
    );
    let (first, last) = (&reports[0], &reports[reports.len() - 1]);
    assert!(last.loss < first.loss, "the loss goes down");
}

#[test]
fn no_entities_means_no_model() {
    let examples = vec![fill("bom dia", &[], &[])];
    let model = EntityTrainer::new(&config(), "pt")
        .train(&prepare(&examples), &mut |_| {})
        .expect("training succeeds");
    assert!(model.is_none());
}

#[test]
fn corrupt_artifact_is_an_error() {
    let model = train(&clinic(false));
    let mut w = ArtifactWriter::new();
    model.save(&mut w).expect("save");
    w.put_tensor("crf.targets", vec![60000.0], &[1])
        .expect("put");
    let err = CrfEntityExtractor::load(&ArtifactReader::from_writer(&w)).expect_err("corrupt");
    assert!(err.to_string().contains("corrupt"));
}
