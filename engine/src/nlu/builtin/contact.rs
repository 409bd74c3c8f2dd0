//! Phone numbers (Brazilian and international formats), e-mail addresses and URLs, found
//! by regexes compiled once.

use super::values::BuiltinValue;
use regex::Regex;
use std::sync::LazyLock;

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        (?:\+\s?(?P<cc>\d{1,3})[\s.-]*)?
        (?P<num>(?:(?:\(\s?\d{2,3}\s?\)|\d{2,3})[\s.-]*)?\d{3,5}[\s.-]?\d{4})
        (?:\s*(?:ramal|ext\.?|r\.)\s*(?P<ext>\d{1,6}))?",
    )
    .unwrap_or_else(|e| unreachable!("phone regex: {e}"))
});

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[\p{L}0-9][\p{L}0-9._%+-]*@[\p{L}0-9-]+(?:\.[\p{L}0-9-]+)*\.\p{L}{2,}")
        .unwrap_or_else(|e| unreachable!("email regex: {e}"))
});

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        (?:https?://[^\s<>]+
          | www\.[^\s<>]+
          | [a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|br|io|app|me|info|gov|edu)(?:\.br)?(?:/[^\s<>]*)?
        )",
    )
    .unwrap_or_else(|e| unreachable!("url regex: {e}"))
});

/// A value found by a regex, with its character span.
pub(super) struct Found {
    /// Start in characters.
    pub start: usize,
    /// End in characters.
    pub end: usize,
    /// The value.
    pub value: BuiltinValue,
}

/// Phone numbers, e-mails and URLs in `text`. E-mails win over the URL inside them.
pub(super) fn scan(text: &str, phones: bool, emails: bool, urls: bool) -> Vec<Found> {
    // Cheap tests first: most messages have no '@', no dot and few digits.
    let emails = emails && text.contains('@');
    let urls = urls && text.contains('.');
    let phones = phones && text.bytes().filter(u8::is_ascii_digit).count() >= 8;
    let mut out = Vec::new();
    if !(emails || urls || phones) {
        return out;
    }
    let chars = CharIndex::new(text);
    if emails {
        for m in EMAIL.find_iter(text) {
            out.push(chars.found(
                m.start(),
                m.end(),
                BuiltinValue::Email(m.as_str().to_owned()),
            ));
        }
    }
    if urls {
        for m in URL.find_iter(text) {
            let s = m
                .as_str()
                .trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
            let (start, end) = (m.start(), m.start() + s.len());
            let inside_email = out.iter().any(|f| {
                let (a, b) = (chars.char_at(start), chars.char_at(end));
                a < f.end && f.start < b
            });
            let before = text[..start].chars().next_back();
            if !inside_email && !before.is_some_and(|c| c == '@' || c.is_alphanumeric()) {
                out.push(chars.found(start, end, BuiltinValue::Url(s.to_owned())));
            }
        }
    }
    if phones {
        for c in PHONE.captures_iter(text) {
            let Some(m) = c.get(0) else { continue };
            let (start, end) = (m.start(), m.end());
            let boundary = |ch: Option<char>| !ch.is_some_and(|c| c.is_alphanumeric());
            if !boundary(text[..start].chars().next_back()) || !boundary(text[end..].chars().next())
            {
                continue;
            }
            let digits: String = c
                .name("num")
                .map_or("", |n| n.as_str())
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            if !(8..=13).contains(&digits.len()) {
                continue;
            }
            let mut value = match c.name("cc") {
                Some(cc) => format!("(+{}) {digits}", cc.as_str()),
                None => digits,
            };
            if let Some(ext) = c.name("ext") {
                value.push_str(" ext ");
                value.push_str(ext.as_str());
            }
            out.push(chars.found(start, end, BuiltinValue::PhoneNumber(value)));
        }
    }
    out
}

/// Byte to character offsets.
struct CharIndex {
    starts: Vec<usize>,
}

impl CharIndex {
    fn new(text: &str) -> Self {
        Self {
            starts: text.char_indices().map(|(b, _)| b).collect(),
        }
    }

    fn char_at(&self, byte: usize) -> usize {
        self.starts.partition_point(|&b| b < byte)
    }

    fn found(&self, start: usize, end: usize, value: BuiltinValue) -> Found {
        Found {
            start: self.char_at(start),
            end: self.char_at(end),
            value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(usize, usize, BuiltinValue)> {
        scan(text, true, true, true)
            .into_iter()
            .map(|f| (f.start, f.end, f.value))
            .collect()
    }

    #[test]
    fn brazilian_phone_formats() {
        for (text, want) in [
            ("meu cel é (11) 98765-4321", "11987654321"),
            ("liga 11 98765-4321 por favor", "11987654321"),
            ("+55 11 98765-4321", "(+55) 11987654321"),
            ("fixo 3456-7890", "34567890"),
            ("(650)-283-4757 ramal 897", "6502834757 ext 897"),
        ] {
            let got = values(text);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert_eq!(got[0].2, BuiltinValue::PhoneNumber(want.into()), "{text}");
        }
    }

    #[test]
    fn prices_and_dates_are_not_phones() {
        assert!(values("custa 1.500,00 reais").is_empty());
        assert!(values("dia 12/03/2026").is_empty());
    }

    #[test]
    fn email_and_url_with_char_offsets() {
        let got = values("é ana@clínica.com.br ou www.clinica.com.br/agenda.");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].0, got[0].1), (2, 20));
        assert_eq!(got[0].2, BuiltinValue::Email("ana@clínica.com.br".into()));
        assert_eq!(
            got[1].2,
            BuiltinValue::Url("www.clinica.com.br/agenda".into())
        );
    }
}
