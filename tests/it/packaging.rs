//! The Dockerfile's build stage copies everything the binary is compiled
//! from: every workspace member and every folder a source file includes
//! (`include_str!`/`include_bytes!`, the embedded migrations). No Docker
//! engine runs in CI, so this keeps `docker build` from silently breaking.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The first folder of `path` below the repository root.
fn top_level(path: &Path) -> String {
    let mut resolved = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    let relative = resolved.strip_prefix(ROOT).unwrap_or(&resolved);
    relative
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_dockerfile_copies_every_folder_the_build_reads() {
    let dockerfile = std::fs::read_to_string(Path::new(ROOT).join("Dockerfile")).unwrap();
    let copied: BTreeSet<String> = dockerfile
        .lines()
        .filter_map(|line| line.strip_prefix("COPY "))
        .filter(|args| !args.starts_with("--from"))
        .flat_map(|args| {
            let words: Vec<&str> = args.split_whitespace().collect();
            words[..words.len() - 1]
                .iter()
                .map(|w| w.trim_end_matches('/').to_string())
                .collect::<Vec<_>>()
        })
        .collect();

    let mut needed = BTreeSet::from([
        "src".to_string(),
        "migrations".to_string(),
        "Cargo.toml".into(),
        "Cargo.lock".into(),
        "build.rs".into(),
    ]);
    let manifest = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    let members = manifest
        .split("members = [")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("a workspace members list");
    needed.extend(
        members
            .split(',')
            .map(|m| m.trim().trim_matches('"'))
            .filter(|m| !m.is_empty() && *m != ".")
            .map(|m| top_level(&Path::new(ROOT).join(m))),
    );
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    rust_files(&Path::new(ROOT).join("crates"), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for piece in text
            .split("include_str!(\"")
            .skip(1)
            .chain(text.split("include_bytes!(\"").skip(1))
        {
            let included = piece.split('"').next().unwrap();
            needed.insert(top_level(&file.parent().unwrap().join(included)));
        }
    }
    let missing: Vec<&String> = needed.iter().filter(|n| !copied.contains(*n)).collect();
    assert!(
        missing.is_empty(),
        "the Dockerfile's build stage does not COPY {missing:?} (copies {copied:?})"
    );
}
