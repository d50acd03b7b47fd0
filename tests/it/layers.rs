//! The import rules of docs/architecture.md that the crate walls cannot hold
//! (the engines are crates, so Cargo holds theirs): `store` imports neither
//! `jobs` nor `api`, and `jobs` does not import `api`.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// Every `crate::<module>` path in the Rust files under `src/<floor>` that
/// names one of `forbidden`, as `file: path`.
fn imports_of(floor: &str, forbidden: &[&str]) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(floor);
    let mut found = Vec::new();
    for file in rust_files(&dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        for module in forbidden {
            if text.contains(&format!("crate::{module}")) {
                found.push(format!("{}: crate::{module}", file.display()));
            }
        }
    }
    found
}

#[test]
fn store_imports_neither_jobs_nor_api() {
    assert_eq!(imports_of("store", &["jobs", "api"]), Vec::<String>::new());
}

#[test]
fn jobs_do_not_import_api() {
    assert_eq!(imports_of("jobs", &["api"]), Vec::<String>::new());
}
