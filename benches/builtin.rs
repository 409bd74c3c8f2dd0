//! Built-in extractor latency: `cargo bench --bench builtin`.
//!
//! Times `extract` (all dimensions) on short patient messages against a fixed reference.

use bela_engine::nlu::builtin::reference::{parse_instant, parse_zone};
use bela_engine::nlu::builtin::{Dimension, ReferenceTime, extract};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const MESSAGES: &[(&str, &str)] = &[
    ("no_value", "qto custa o botox?"),
    ("tomorrow_3pm", "amanhã às 15h"),
    (
        "informal_slot",
        "tem horario sabado de manha ou sexta as 3 da tarde?",
    ),
    ("interval", "entre 14h e 16h dia 12/03"),
    (
        "money_phone",
        "paguei R$ 1.500,00, meu cel é (11) 98765-4321",
    ),
    (
        "nine_words",
        "tem horário amanha de tarde pra limpeza de pele?",
    ),
];

fn bench(c: &mut Criterion) {
    let at = parse_instant("2026-03-11T10:00:00-03:00").expect("reference");
    let reference = ReferenceTime::new(at.to_zoned(parse_zone("America/Sao_Paulo").expect("zone")));
    // Build the rules and regexes before timing.
    black_box(extract("amanhã", &reference, &Dimension::ALL));
    let mut group = c.benchmark_group("builtin_extract");
    for (name, text) in MESSAGES {
        group.bench_function(*name, |b| {
            b.iter(|| extract(black_box(text), &reference, &Dimension::ALL))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
