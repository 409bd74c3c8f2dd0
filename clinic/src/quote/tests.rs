use super::*;
use crate::testing::{catalogue, config};
use jiff::civil::date;

fn item(procedure: &str, sessions: u32) -> QuoteItem {
    QuoteItem {
        procedure: ProcedureId::new(procedure),
        sessions,
    }
}

fn run(items: &[QuoteItem], voucher: Option<(&str, u32)>, today: Date) -> Quote {
    let voucher = voucher.map(|(code, times_used)| VoucherUse {
        code: code.to_owned(),
        times_used,
    });
    match quote(&config(), &catalogue(), items, voucher.as_ref(), today) {
        Ok(q) => q,
        Err(e) => panic!("no quote: {e}"),
    }
}

fn december() -> Date {
    date(2026, 12, 1)
}

#[test]
fn one_procedure_with_a_price_range_is_quoted_from_its_lower_end() {
    let q = run(&[item("botox", 1)], None, december());
    assert_eq!(q.lines[0].amount, Money(90_000));
    assert!(q.from_price && q.lines[0].from_price);
    assert_eq!(q.package, None);
    assert_eq!(q.total, Money(90_000));
    assert_eq!(q.pix_total, Money(85_500));
    // R$ 900 over at most 10 instalments of at least R$ 100: 9 of R$ 100.
    assert_eq!(
        q.instalments,
        Instalments {
            count: 9,
            each: Money(10_000),
            first: Money(10_000)
        }
    );
    assert_eq!(
        q.to_text(),
        "Seu orçamento:\n\
         • Toxina botulínica: a partir de R$ 900,00 (por região)\n\
         Total: a partir de R$ 900,00\n\
         No pix: a partir de R$ 855,00 (5% de desconto)\n\
         No cartão: em até 9x de R$ 100,00 sem juros\n\
         O valor final depende da avaliação."
    );
}

#[test]
fn the_best_package_applies_and_packages_do_not_stack() {
    // Combo pele (10 %) beats "Leve dois" (5 %) on botox + limpeza.
    let q = run(
        &[item("botox", 1), item("limpeza_de_pele", 1)],
        None,
        december(),
    );
    assert_eq!(q.subtotal, Money(108_000));
    let p = q.package.as_ref().expect("a package");
    assert_eq!((p.name.as_str(), p.amount), ("Combo pele", Money(10_800)));
    assert_eq!(q.total, Money(97_200));
    // Limpeza + drenagem is no combo, but two procedures: 5 % of both lines.
    let q = run(
        &[item("limpeza_de_pele", 1), item("drenagem_linfatica", 2)],
        None,
        december(),
    );
    let p = q.package.as_ref().expect("a package");
    assert_eq!((p.name.as_str(), p.amount), ("Leve dois", Money(2_400)));
}

#[test]
fn a_session_package_needs_enough_sessions() {
    let q = run(&[item("drenagem_linfatica", 10)], None, december());
    assert_eq!(q.lines[0].amount, Money(150_000));
    assert!(!q.from_price);
    assert_eq!(q.package.as_ref().map(|p| p.amount), Some(Money(30_000)));
    assert!(
        q.to_text()
            .contains("• Drenagem linfática, 10 sessões: R$ 1.500,00 (10x R$ 150,00 por sessão)"),
        "{}",
        q.to_text()
    );
    let q = run(&[item("drenagem_linfatica", 9)], None, december());
    assert_eq!(q.package, None);
}

#[test]
fn a_valid_voucher_applies_after_the_package() {
    let q = run(
        &[item("botox", 1), item("limpeza_de_pele", 1)],
        Some(("bela10", 3)),
        december(),
    );
    let VoucherOutcome::Applied { code, amount, .. } = &q.voucher else {
        panic!("{:?}", q.voucher)
    };
    assert_eq!((code.as_str(), *amount), ("BELA10", Money(9_720)));
    assert_eq!(q.total, Money(87_480));
    assert_eq!(q.pix_total, Money(83_106));
    let text = q.to_text();
    assert!(
        text.contains("Subtotal: a partir de R$ 1.080,00\n"),
        "{text}"
    );
    assert!(
        text.contains("Desconto Combo pele (10%): -R$ 108,00\n"),
        "{text}"
    );
    assert!(text.contains("Cupom BELA10 (10%): -R$ 97,20\n"), "{text}");
    assert!(
        text.contains("No cartão: em até 8x de R$ 109,35 sem juros"),
        "{text}"
    );
}

#[test]
fn a_fixed_voucher_never_exceeds_the_total() {
    let mut c = config();
    c.vouchers[1].discount = Discount::Amount(Money(50_000));
    let given = VoucherUse {
        code: "VALE50".into(),
        times_used: 0,
    };
    let q = quote(
        &c,
        &catalogue(),
        &[item("limpeza_de_pele", 1)],
        Some(&given),
        date(2026, 3, 1),
    );
    let q = q.expect("a quote");
    assert_eq!(q.total, Money::ZERO);
}

#[test]
fn refused_vouchers_say_why() {
    // (code, times used, procedure, why, the reply's words)
    let cases = [
        (
            "NATAL",
            0,
            "botox",
            VoucherProblem::Unknown,
            "Não encontrei o cupom NATAL",
        ),
        (
            "VALE50",
            0,
            "botox",
            VoucherProblem::Expired(date(2026, 6, 30)),
            "O cupom VALE50 expirou em 30/06/2026.",
        ),
        (
            "BELA10",
            100,
            "botox",
            VoucherProblem::UsedUp,
            "O cupom BELA10 já atingiu o limite de usos.",
        ),
        (
            "FUTURO",
            0,
            "botox",
            VoucherProblem::NotYetValid(date(2027, 3, 1)),
            "O cupom FUTURO só vale a partir de 01/03/2027.",
        ),
        (
            "bela10",
            0,
            "limpeza_de_pele",
            VoucherProblem::BelowMinimum(Money(30_000)),
            "O cupom BELA10 vale para orçamentos a partir de R$ 300,00.",
        ),
    ];
    for (code, used, procedure, problem, reply) in cases {
        let q = run(&[item(procedure, 1)], Some((code, used)), december());
        let VoucherOutcome::Refused { reason, .. } = &q.voucher else {
            panic!("{code}: {:?}", q.voucher)
        };
        assert_eq!(*reason, problem, "{code}");
        assert!(q.to_text().contains(reply), "{code}: {}", q.to_text());
        // No voucher discount on a refused code.
        assert_eq!(q.total, q.subtotal, "{code}");
    }
}

#[test]
fn a_small_total_is_paid_at_once_by_card() {
    let q = run(&[item("limpeza_de_pele", 1)], None, december());
    assert_eq!(q.instalments.count, 1);
    assert!(
        q.to_text().ends_with("No cartão: à vista, R$ 180,00"),
        "{}",
        q.to_text()
    );
}

#[test]
fn leftover_centavos_go_to_the_first_instalment() {
    assert_eq!(
        instalments(Money(100_001), 10, Money(10_000)),
        Instalments {
            count: 10,
            each: Money(10_000),
            first: Money(10_001)
        }
    );
}

#[test]
fn bad_items_are_errors() {
    let c = config();
    let cat = catalogue();
    assert_eq!(
        quote(&c, &cat, &[], None, december()),
        Err(QuoteError::Empty)
    );
    assert_eq!(
        quote(&c, &cat, &[item("laser", 1)], None, december()),
        Err(QuoteError::UnknownProcedure("laser".into()))
    );
    assert_eq!(
        quote(&c, &cat, &[item("botox", 0)], None, december()),
        Err(QuoteError::NoSessions("botox".into()))
    );
}
