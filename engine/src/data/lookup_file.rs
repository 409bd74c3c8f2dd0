//! Lookup tables kept in a text file (one element per line), referenced from YAML or
//! Markdown data by path.

use super::{Diagnostic, Location};
use std::path::{Path, PathBuf};

/// Reads the elements of the lookup file `reference`, written in `data_file` at `at`.
///
/// The path is resolved against the data file's directory first, then against each of
/// its ancestors: Rasa 1.x resolved it from the project root, so `data/cities.txt`
/// written in `data/nlu.md` must still be found. Lines are trimmed; blank ones skipped.
pub(crate) fn read(
    reference: &str,
    data_file: &Path,
    at: &Location,
) -> Result<Vec<String>, Diagnostic> {
    let Some(path) = resolve(reference, data_file) else {
        return Err(Diagnostic::error(
            at.clone(),
            format!(
                "lookup table file `{reference}` not found (looked next to {} and in its parent directories)",
                data_file.display()
            ),
        ));
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Diagnostic::error(
            at.clone(),
            format!("cannot read lookup table file {}: {e}", path.display()),
        )
    })?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// The first existing file named `reference` relative to `data_file`'s directory or one
/// of its ancestors (or `reference` itself when absolute).
fn resolve(reference: &str, data_file: &Path) -> Option<PathBuf> {
    let reference = Path::new(reference);
    if reference.is_absolute() {
        return reference.is_file().then(|| reference.to_path_buf());
    }
    let dir = data_file.parent().unwrap_or(Path::new(""));
    dir.ancestors()
        .map(|d| d.join(reference))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn resolves_next_to_the_file_then_upwards() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        std::fs::create_dir_all(data.join("lookups")).expect("mkdir");
        std::fs::write(data.join("lookups/a.txt"), "botox\n\n  preenchimento \n").expect("write");
        let nlu = data.join("nlu.md");
        let at = Location::new(Arc::new(nlu.clone()), 3, 1);
        assert_eq!(
            read("lookups/a.txt", &nlu, &at).expect("found"),
            vec!["botox", "preenchimento"]
        );
        // Project-root-relative, as Rasa 1.x wrote them.
        assert_eq!(
            read("data/lookups/a.txt", &nlu, &at).expect("found").len(),
            2
        );
        let missing = read("nope.txt", &nlu, &at).expect_err("missing");
        assert_eq!(missing.location, at);
        assert!(
            missing.message.contains("`nope.txt` not found"),
            "{}",
            missing.message
        );
    }
}
