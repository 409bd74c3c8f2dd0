//! Helpers shared by the benchmarks.

use std::path::Path;

/// Copies a project's configuration and data (not its models) into `dst`.
pub fn copy_project(src: &Path, dst: &Path) {
    for name in ["config.yml", "slang.yml", "domain.yml"] {
        if src.join(name).is_file() {
            std::fs::copy(src.join(name), dst.join(name)).expect("copy");
        }
    }
    for dir in ["data", "training-data"] {
        let from = src.join(dir);
        if from.is_dir() {
            copy_tree(&from, &dst.join(dir));
        }
    }
}

/// Copies a directory tree.
pub fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("read dir").flatten() {
        if e.path().is_dir() {
            copy_tree(&e.path(), &dst.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), dst.join(e.file_name())).expect("copy");
        }
    }
}
