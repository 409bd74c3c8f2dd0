//! `${VAR}` expansion in `endpoints.yml` values, as Rasa's YAML reader does.

/// Replaces every `${NAME}` in `value` by `lookup(NAME)`. Fails with the names that
/// `lookup` does not know (Rasa refuses to start then, rather than send an empty token).
pub(crate) fn expand(
    value: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, Vec<String>> {
    let mut out = String::with_capacity(value.len());
    let mut missing = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start + 2..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let name = &rest[start + 2..start + 2 + len];
        match lookup(name) {
            Some(v) => out.push_str(&v),
            None => missing.push(name.to_owned()),
        }
        rest = &rest[start + 3 + len..];
    }
    out.push_str(rest);
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        (name == "HOST").then(|| "actions".to_owned())
    }

    #[test]
    fn expands_known_variables_and_keeps_the_rest() {
        assert_eq!(
            expand("http://${HOST}:5055/webhook", &env),
            Ok("http://actions:5055/webhook".to_owned())
        );
        assert_eq!(
            expand("no $HOST here {x}", &env),
            Ok("no $HOST here {x}".to_owned())
        );
        assert_eq!(expand("open ${HOST", &env), Ok("open ${HOST".to_owned()));
    }

    #[test]
    fn reports_every_unknown_variable() {
        assert_eq!(
            expand("${A}/${HOST}/${B}", &env),
            Err(vec!["A".to_owned(), "B".to_owned()])
        );
    }
}
