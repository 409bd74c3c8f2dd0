//! Small pieces of pt-BR wording shared by replies.

/// "a, b e c".
pub(crate) fn join_pt(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} e {last}", rest.join(", ")),
    }
}
