//! Trained models on disk: one directory per model, named `<kind>-<date>-<time>-<fingerprint>`
//! so the newest sorts last, and written aside then renamed so it appears whole or not at all.

use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// The directory name of a model of `kind` (`nlu`, `core`) trained at `trained_at`
/// (RFC 3339) from inputs with `fingerprint`.
pub fn dir_name(kind: &str, trained_at: &str, fingerprint: &str) -> String {
    // Down to the microsecond, so two trainings in one second still sort in order.
    let mut stamp: String = trained_at
        .chars()
        .filter(|c| c.is_ascii_digit())
        .take(20)
        .collect();
    while stamp.len() < 20 {
        stamp.push('0');
    }
    let (date, time) = stamp.split_at(8);
    let fp: String = fingerprint.chars().take(12).collect();
    format!("{kind}-{date}-{time}-{fp}")
}

/// The newest `kind` model directory under `models_dir` (one holding `marker`), if any.
pub fn latest(models_dir: &Path, kind: &str, marker: &str) -> Result<Option<PathBuf>> {
    let entries = match std::fs::read_dir(models_dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(models_dir, e)),
    };
    let prefix = format!("{kind}-");
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_dir()
                && p.join(marker).is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&prefix))
        })
        .collect();
    dirs.sort();
    Ok(dirs.pop())
}

/// Creates `models_dir/name` through `write`, which fills a temporary directory; an
/// existing model of the same name is replaced only once the new one is complete.
pub fn write_atomically(
    models_dir: &Path,
    name: &str,
    write: impl FnOnce(&Path) -> Result<()>,
) -> Result<PathBuf> {
    std::fs::create_dir_all(models_dir).map_err(|e| Error::io(models_dir, e))?;
    let final_dir = models_dir.join(name);
    let tmp_dir = models_dir.join(format!(".{name}.partial"));
    if tmp_dir.exists() {
        std::fs::remove_dir_all(&tmp_dir).map_err(|e| Error::io(&tmp_dir, e))?;
    }
    std::fs::create_dir_all(&tmp_dir).map_err(|e| Error::io(&tmp_dir, e))?;
    write(&tmp_dir)?;
    if final_dir.exists() {
        std::fs::remove_dir_all(&final_dir).map_err(|e| Error::io(&final_dir, e))?;
    }
    std::fs::rename(&tmp_dir, &final_dir).map_err(|e| Error::io(&final_dir, e))?;
    Ok(final_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_in_training_order_within_a_second() {
        let first = dir_name("core", "2026-12-01T21:37:36.0718Z", "ffff");
        let second = dir_name("core", "2026-12-01T21:37:36.7182Z", "0000");
        let whole = dir_name("core", "2026-12-01T21:37:36Z", "9999");
        assert_eq!(first, "core-20261201-213736071800-ffff");
        assert!(whole < first && first < second, "{whole} {first} {second}");
    }
}
