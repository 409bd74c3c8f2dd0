//! Numbers: digits with Brazilian separators ("1.500,50", ",77"), spelled out ("vinte e
//! cinco", "mil e duzentos"), with suffixes ("10k", "1,2M"), signs, fractions, "ponto",
//! dozens and pairs.

use super::chart::{Chart, Kind, Node, Num, Rule, n, opt, rule, w};
use super::lexer::{Token, TokenKind};

/// What a number word contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// 1–19.
    Small,
    /// 20, 30, ... 90.
    Ten,
    /// 100 ... 900 ("cento" must go on: "cento e quatro").
    Hundred,
    /// A multiplier: thousand, million, billion.
    Scale,
}

const WORDS: &[(&str, Part, u64)] = &[
    ("um", Part::Small, 1),
    ("uma", Part::Small, 1),
    ("dois", Part::Small, 2),
    ("duas", Part::Small, 2),
    ("tres", Part::Small, 3),
    ("quatro", Part::Small, 4),
    ("cinco", Part::Small, 5),
    ("seis", Part::Small, 6),
    ("sete", Part::Small, 7),
    ("oito", Part::Small, 8),
    ("nove", Part::Small, 9),
    ("dez", Part::Small, 10),
    ("onze", Part::Small, 11),
    ("doze", Part::Small, 12),
    ("treze", Part::Small, 13),
    ("catorze", Part::Small, 14),
    ("quatorze", Part::Small, 14),
    ("quinze", Part::Small, 15),
    ("dezesseis", Part::Small, 16),
    ("dezasseis", Part::Small, 16),
    ("dezessete", Part::Small, 17),
    ("dezassete", Part::Small, 17),
    ("dezoito", Part::Small, 18),
    ("dezenove", Part::Small, 19),
    ("dezanove", Part::Small, 19),
    ("vinte", Part::Ten, 20),
    ("trinta", Part::Ten, 30),
    ("quarenta", Part::Ten, 40),
    ("cinquenta", Part::Ten, 50),
    ("cincoenta", Part::Ten, 50),
    ("sessenta", Part::Ten, 60),
    ("setenta", Part::Ten, 70),
    ("oitenta", Part::Ten, 80),
    ("noventa", Part::Ten, 90),
    ("cem", Part::Hundred, 100),
    ("cento", Part::Hundred, 100),
    ("duzentos", Part::Hundred, 200),
    ("duzentas", Part::Hundred, 200),
    ("trezentos", Part::Hundred, 300),
    ("trezentas", Part::Hundred, 300),
    ("quatrocentos", Part::Hundred, 400),
    ("quatrocentas", Part::Hundred, 400),
    ("quinhentos", Part::Hundred, 500),
    ("quinhentas", Part::Hundred, 500),
    ("seiscentos", Part::Hundred, 600),
    ("seiscentas", Part::Hundred, 600),
    ("setecentos", Part::Hundred, 700),
    ("setecentas", Part::Hundred, 700),
    ("oitocentos", Part::Hundred, 800),
    ("oitocentas", Part::Hundred, 800),
    ("novecentos", Part::Hundred, 900),
    ("novecentas", Part::Hundred, 900),
    ("mil", Part::Scale, 1_000),
    ("milhao", Part::Scale, 1_000_000),
    ("milhoes", Part::Scale, 1_000_000),
    ("bilhao", Part::Scale, 1_000_000_000),
    ("bilhoes", Part::Scale, 1_000_000_000),
];

fn word(text: &str) -> Option<(Part, u64)> {
    WORDS
        .iter()
        .find(|(w, _, _)| *w == text)
        .map(|&(_, part, value)| (part, value))
}

/// Seeds every number the tokens spell, digits or words.
pub(super) fn scan(chart: &mut Chart<'_, '_>) {
    let tokens = chart.tokens();
    for i in 0..tokens.len() {
        for (end, num) in digits_at(tokens, i).into_iter().chain(words_at(tokens, i)) {
            chart.seed(i, end, Node::Number(num));
        }
    }
}

/// Digit numbers starting at `i`: the token alone, and with `.` thousands groups and a
/// `,` decimal part written against it.
fn digits_at(tokens: &[Token<'_>], i: usize) -> Vec<(usize, Num)> {
    let tight = |j: usize, kind: TokenKind| {
        tokens
            .get(j)
            .filter(|t| !t.space_before && t.kind == kind)
            .map(|t| t.text)
    };
    let plain = |value: f64, formatted| Num {
        value,
        words: false,
        formatted,
    };
    let mut out = Vec::new();
    let first = &tokens[i];
    if first.kind == TokenKind::Punct && first.text == "," {
        // ",77" (not a decimal comma after digits: that one is read from the digits).
        let after_digits = i > 0 && tokens[i - 1].kind == TokenKind::Digits && !first.space_before;
        if let (false, Some(frac)) = (after_digits, tight(i + 1, TokenKind::Digits)) {
            out.push((i + 2, plain(decimal(0, frac), true)));
        }
        return out;
    }
    if first.kind != TokenKind::Digits {
        return out;
    }
    let Ok(mut int) = first.text.parse::<u64>() else {
        return out;
    };
    out.push((i + 1, plain(int as f64, false)));
    let mut j = i + 1;
    let mut grouped = false;
    while tight(j, TokenKind::Punct) == Some(".")
        && first.text.len() <= 3
        && let Some(group) = tight(j + 1, TokenKind::Digits).filter(|g| g.len() == 3)
    {
        let Some(v) = int
            .checked_mul(1000)
            .and_then(|v| v.checked_add(group.parse().ok()?))
        else {
            break;
        };
        int = v;
        j += 2;
        grouped = true;
    }
    if grouped {
        out.push((j, plain(int as f64, true)));
    }
    if tight(j, TokenKind::Punct) == Some(",")
        && let Some(frac) = tight(j + 1, TokenKind::Digits)
    {
        out.push((j + 2, plain(decimal(int, frac), true)));
    }
    out
}

/// `int,frac` as a number.
fn decimal(int: u64, frac: &str) -> f64 {
    let digits = frac.len().min(15) as i32;
    let frac: f64 = frac[..digits as usize].parse().unwrap_or(0.0);
    int as f64 + frac / 10f64.powi(digits)
}

/// Spelled numbers starting at `i`, one per word that can end one ("vinte e cinco" gives
/// 20 and 25).
fn words_at(tokens: &[Token<'_>], i: usize) -> Vec<(usize, Num)> {
    let mut out = Vec::new();
    let (mut total, mut current) = (0u64, 0u64);
    let mut last: Option<Part> = None;
    let mut last_scale = u64::MAX;
    let mut joined = false;
    let mut j = i;
    while let Some(t) = tokens.get(j).filter(|t| t.kind == TokenKind::Word) {
        if t.text == "e" && last.is_some() && !joined {
            joined = true;
            j += 1;
            continue;
        }
        let Some((part, value)) = word(t.text) else {
            break;
        };
        // Inside a group below a thousand, a further word needs "e" ("vinte e cinco");
        // after a scale word it may come straight ("mil duzentos").
        let fresh = current == 0;
        let linked = fresh || joined;
        let ok = match part {
            Part::Hundred => fresh,
            Part::Ten => linked && current % 100 == 0,
            Part::Small => {
                linked
                    && (current % 100 == 0
                        || (current % 100 >= 20 && current % 10 == 0 && value < 10))
            }
            Part::Scale => !joined && value < last_scale,
        };
        if !ok {
            break;
        }
        if part == Part::Scale {
            let n = if current == 0 && total == 0 {
                1
            } else {
                current
            };
            if n == 0 {
                break;
            }
            total += n * value;
            current = 0;
            last_scale = value;
        } else {
            current += value;
        }
        joined = false;
        last = Some(part);
        j += 1;
        if t.text != "cento" {
            out.push((
                j,
                Num {
                    value: (total + current) as f64,
                    words: true,
                    formatted: false,
                },
            ));
        }
    }
    out
}

fn num(node: &Node<'_>) -> bool {
    matches!(node, Node::Number(_))
}

fn digits_num(node: &Node<'_>) -> bool {
    matches!(node, Node::Number(n) if !n.words)
}

fn small_int(node: &Node<'_>) -> bool {
    matches!(node, Node::Number(n) if n.int_in(0, 999).is_some() && !n.formatted)
}

fn value(node: &Node<'_>) -> f64 {
    match node {
        Node::Number(n) => n.value,
        _ => 0.0,
    }
}

fn number<'a>(value: f64, words: bool) -> Option<Node<'a>> {
    value.is_finite().then_some(Node::Number(Num {
        value,
        words,
        formatted: true,
    }))
}

/// The number rules.
pub(super) fn rules() -> Vec<Rule> {
    vec![
        rule(
            "number k",
            vec![n(Kind::Number, digits_num), w(&["k"]).tight()],
            |_, c| number(value(c[0]) * 1e3, false),
        ),
        rule(
            "number m",
            vec![n(Kind::Number, digits_num), w(&["m"]).tight()],
            |_, c| number(value(c[0]) * 1e6, false),
        ),
        rule(
            "number g",
            vec![n(Kind::Number, digits_num), w(&["g"]).tight()],
            |_, c| number(value(c[0]) * 1e9, false),
        ),
        rule(
            "minus number",
            vec![w(&["-", "menos", "negativo"]), n(Kind::Number, num)],
            |_, c| (value(c[0]) > 0.0).then(|| number(-value(c[0]), false))?,
        ),
        rule(
            "number ponto number",
            vec![
                n(Kind::Number, num),
                w(&["ponto"]),
                n(Kind::Number, small_int),
            ],
            |_, c| number(value(c[0]) + fraction(value(c[1])), false),
        ),
        rule(
            "ponto number",
            vec![w(&["ponto"]), n(Kind::Number, small_int)],
            |_, c| number(fraction(value(c[0])), false),
        ),
        rule(
            "fraction",
            vec![
                n(Kind::Number, digits_num),
                w(&["/"]).tight(),
                n(Kind::Number, digits_num).tight(),
            ],
            |_, c| {
                let d = value(c[1]);
                (d != 0.0).then(|| number(value(c[0]) / d, false))?
            },
        ),
        rule("par de", vec![w(&["par", "pares"]), w(&["de"])], |_, _| {
            number(2.0, true)
        }),
        rule(
            "um par de",
            vec![w(&["um"]), w(&["par"]), w(&["de"])],
            |_, _| number(2.0, true),
        ),
        rule("meia duzia", vec![w(&["meia"]), w(&["duzia"])], |_, _| {
            number(6.0, true)
        }),
        rule(
            "n duzias de",
            vec![n(Kind::Number, num), w(&["duzia", "duzias"]), opt(&["de"])],
            |_, c| number(value(c[0]) * 12.0, true),
        ),
    ]
}

/// "cinco" after "ponto" is .5, "setenta e sete" .77.
fn fraction(v: f64) -> f64 {
    let mut f = v;
    while f >= 1.0 {
        f /= 10.0;
    }
    f
}
