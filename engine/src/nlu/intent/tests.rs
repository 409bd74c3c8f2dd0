//! Behaviour of the trained classifier on a small clinic dataset written for these tests.

use super::{IntentClassifier, IntentConfig, IntentTrainer};
use crate::data::Example;
use crate::names::IntentName;
use crate::nlu::artifact::{ArtifactReader, ArtifactWriter};
use crate::nlu::{Component, Message, Progress};

const CLINIC: &[(&str, &[&str])] = &[
    (
        "ask_price",
        &[
            "quanto custa o botox",
            "qual o valor da limpeza de pele",
            "quanto é o preenchimento labial",
            "qual o preço do botox",
            "quanto fica a depilação a laser",
            "valor do peeling",
            "preço da harmonização facial",
            "quanto custa a sessão de drenagem",
            "me passa os valores",
            "tabela de preços por favor",
        ],
    ),
    (
        "book",
        &[
            "quero agendar um horário",
            "tem horário amanhã",
            "gostaria de marcar uma consulta",
            "posso marcar pra sexta",
            "quero marcar limpeza de pele",
            "agendar botox semana que vem",
            "tem vaga sábado de manhã",
            "queria um horário à tarde",
            "consigo agendar pra hoje",
            "marca pra mim dia 10",
        ],
    ),
    (
        "greet",
        &[
            "oi",
            "olá",
            "bom dia",
            "boa tarde",
            "boa noite",
            "oi tudo bem",
            "olá bom dia",
            "e aí",
            "oii",
            "oi boa tarde",
        ],
    ),
    (
        "thank",
        &[
            "obrigada",
            "muito obrigado",
            "valeu",
            "brigada",
            "obrigada pela ajuda",
            "valeu mesmo",
            "agradeço",
            "muito obrigada viu",
            "show obrigado",
            "obrigado querida",
        ],
    ),
    (
        "cancel",
        &[
            "quero cancelar meu horário",
            "cancela minha consulta",
            "não vou poder ir",
            "preciso desmarcar",
            "desmarca pra mim",
            "cancelar o agendamento de amanhã",
            "não vou conseguir ir amanhã",
            "quero desmarcar a sessão",
            "cancela o botox",
            "tive um imprevisto, cancela",
        ],
    ),
];

fn examples() -> Vec<Example> {
    CLINIC
        .iter()
        .flat_map(|(intent, texts)| {
            texts.iter().map(move |t| Example {
                text: (*t).to_owned(),
                intent: IntentName::new(*intent),
                entities: Vec::new(),
                metadata: None,
                location: None,
            })
        })
        .collect()
}

use crate::nlu::test_support::{message, prepare};

fn train(config: &IntentConfig) -> IntentClassifier {
    let data = examples();
    IntentTrainer::new(config, "pt")
        .train(&prepare(&data), &mut |_| {})
        .expect("training succeeds")
}

fn classify(clf: &IntentClassifier, text: &str) -> Message {
    let mut m = message(text);
    clf.process(&mut m);
    m
}

fn top(clf: &IntentClassifier, text: &str) -> (String, f32) {
    let m = classify(clf, text);
    let i = m.intent.expect("an intent is set");
    (i.name.to_string(), i.confidence)
}

const PROBES: &[&str] = &[
    "qto custa o botoks",
    "quero marcar horario",
    "obg",
    "xablau",
];

#[test]
fn typos_and_slang_still_classify() {
    let clf = train(&IntentConfig::default());
    for (text, want) in [
        ("qto custa o botoks", "ask_price"),
        ("qnto é a limpeza de pele?", "ask_price"),
        ("queria agendamento amanha", "book"),
        ("oiii bom diaa", "greet"),
        ("brigadao", "thank"),
        ("preciso cancelar o horario", "cancel"),
    ] {
        assert_eq!(top(&clf, text).0, want, "{text}");
    }
}

#[test]
fn ranking_lists_every_intent_best_first_and_sums_to_one() {
    let clf = train(&IntentConfig::default());
    let m = classify(&clf, "quanto custa");
    assert_eq!(m.intent_ranking.len(), clf.intents().len());
    assert!(
        m.intent_ranking
            .windows(2)
            .all(|w| w[0].confidence >= w[1].confidence)
    );
    let sum: f32 = m.intent_ranking.iter().map(|s| s.confidence).sum();
    assert!((sum - 1.0).abs() < 1e-4, "{sum}");
    assert_eq!(m.intent.as_ref(), m.intent_ranking.first());
    assert_eq!(clf.name(), "BelaIntentClassifier");
}

#[test]
fn unknown_words_get_low_confidence() {
    let clf = train(&IntentConfig::default());
    let (_, unknown) = top(&clf, "xyzzy plugh");
    let (_, known) = top(&clf, "quanto custa o botox");
    assert!(unknown < 0.5, "{unknown}");
    assert!(unknown < known, "{unknown} vs {known}");
    // An empty message has no features at all: close to a uniform guess.
    let (_, empty) = top(&clf, "");
    assert!(empty < 0.5, "{empty}");
}

#[test]
fn save_and_load_give_identical_predictions() {
    let clf = train(&IntentConfig::default());
    let mut w = ArtifactWriter::new();
    clf.save(&mut w).expect("save");
    let loaded = IntentClassifier::load(&ArtifactReader::from_writer(&w)).expect("load");
    assert_eq!(loaded.intents(), clf.intents());
    for text in PROBES {
        assert_eq!(classify(&clf, text), classify(&loaded, text), "{text}");
    }
}

#[test]
fn same_seed_same_model_other_seed_other_weights() {
    let config = IntentConfig::default();
    let (a, b) = (train(&config), train(&config));
    let c = train(&IntentConfig {
        seed: 7,
        ..config.clone()
    });
    let weights = |clf: &IntentClassifier| {
        let mut w = ArtifactWriter::new();
        clf.save(&mut w).expect("save");
        ArtifactReader::from_writer(&w)
            .tensor_vec("intent.input")
            .expect("input weights")
            .0
    };
    assert_eq!(weights(&a), weights(&b));
    assert_ne!(weights(&a), weights(&c));
    for text in PROBES {
        assert_eq!(
            a.probabilities(&message(text)),
            b.probabilities(&message(text))
        );
    }
}

#[test]
fn linear_model_and_dense_features_work() {
    let data = examples();
    let mut prepared = prepare(&data);
    // A fake encoder: one dense feature that says "question about money".
    for p in &mut prepared {
        let money = p.example.intent.as_str() == "ask_price";
        p.message.dense = Some(vec![if money { 1.0 } else { 0.0 }, 0.5]);
    }
    let config = IntentConfig {
        hidden: 0,
        ..IntentConfig::default()
    };
    let clf = IntentTrainer::new(&config, "pt")
        .train(&prepared, &mut |_| {})
        .expect("training succeeds");
    let mut m = message("me fala o valor");
    m.dense = Some(vec![1.0, 0.5]);
    clf.process(&mut m);
    assert_eq!(m.intent.expect("intent").name.as_str(), "ask_price");
    let mut w = ArtifactWriter::new();
    clf.save(&mut w).expect("save");
    let loaded = IntentClassifier::load(&ArtifactReader::from_writer(&w)).expect("load");
    let mut again = message("me fala o valor");
    again.dense = Some(vec![1.0, 0.5]);
    assert_eq!(clf.probabilities(&again), loaded.probabilities(&again));
}

#[test]
fn progress_is_reported_once_per_epoch() {
    let data = examples();
    let config = IntentConfig {
        epochs: 5,
        ..IntentConfig::default()
    };
    let mut reports: Vec<Progress> = Vec::new();
    IntentTrainer::new(&config, "pt")
        .train(&prepare(&data), &mut |p| reports.push(p))
        .expect("training succeeds");
    assert_eq!(reports.len(), reports[0].epochs);
    assert!(
        reports
            .iter()
            .enumerate()
            .all(|(i, p)| p.epoch == i + 1 && p.stage == "intent")
    );
    assert!(reports.last().expect("reports").loss < reports[0].loss);
}

#[test]
fn bad_input_is_an_error() {
    let trainer = IntentTrainer::new(&IntentConfig::default(), "pt");
    assert!(trainer.train(&[], &mut |_| {}).is_err());
    let data = examples();
    let mut prepared = prepare(&data);
    prepared[0].message.dense = Some(vec![1.0]);
    assert!(trainer.train(&prepared, &mut |_| {}).is_err());
    let bad = IntentConfig {
        dropout: 1.0,
        ..IntentConfig::default()
    };
    assert!(
        IntentTrainer::new(&bad, "pt")
            .train(&prepare(&data), &mut |_| {})
            .is_err()
    );
}

#[test]
fn config_reads_from_yaml_like_json_with_defaults() {
    let c: IntentConfig = serde_json::from_str(r#"{"epochs": 10, "hidden": 0}"#).expect("valid");
    assert_eq!(c.epochs, 10);
    assert_eq!(c.seed, IntentConfig::default().seed);
    assert!(serde_json::from_str::<IntentConfig>(r#"{"epoch": 10}"#).is_err());
    assert_eq!(
        IntentConfig::default().effective_epochs(50),
        IntentConfig::default().epochs
    );
    assert!(IntentConfig::default().effective_epochs(1_000_000) < 5);
}

#[test]
fn one_intent_is_always_predicted() {
    let data: Vec<Example> = examples()
        .into_iter()
        .filter(|e| e.intent.as_str() == "greet")
        .collect();
    let clf = IntentTrainer::new(&IntentConfig::default(), "pt")
        .train(&prepare(&data), &mut |_| {})
        .expect("training succeeds");
    let (name, confidence) = top(&clf, "quanto custa");
    assert_eq!(name, "greet");
    assert!((confidence - 1.0).abs() < 1e-6);
}

#[test]
fn classifier_is_shareable_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<IntentClassifier>();
    let clf = train(&IntentConfig::default());
    let alone = classify(&clf, "quanto custa o botox");
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| s.spawn(|| classify(&clf, "quanto custa o botox")))
            .collect();
        for h in handles {
            assert_eq!(h.join().expect("thread"), alone);
        }
    });
}
