//! Tidy checks: the project's structural rules, as ordinary tests.
//!
//! They read the source tree and fail with what to change; `cargo test
//! --workspace` runs them with everything else.

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    fn repo_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_owned()
    }

    /// Which project crates each crate may depend on: dependencies point one
    /// way, cli → report/engine → mapping → loaders → model and json
    /// (ARCHITECTURE.md).
    const ALLOWED: &[(&str, &[&str])] = &[
        ("model", &[]),
        ("json", &[]),
        ("terraform", &["parity-model", "parity-json"]),
        ("cloudformation", &["parity-model", "parity-json"]),
        (
            "mapping",
            &["parity-model", "parity-terraform", "parity-cloudformation"],
        ),
        ("engine", &["parity-model", "parity-mapping"]),
        (
            "report",
            &[
                "parity-model",
                "parity-json",
                "parity-mapping",
                "parity-engine",
            ],
        ),
        (
            "cli",
            &[
                "parity-model",
                "parity-terraform",
                "parity-cloudformation",
                "parity-mapping",
                "parity-engine",
                "parity-report",
            ],
        ),
    ];

    /// The project crates named in the `[dependencies]` table of a manifest.
    fn project_dependencies(manifest: &str) -> Vec<String> {
        let mut in_dependencies = false;
        let mut found = Vec::new();
        for line in manifest.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                in_dependencies = line == "[dependencies]";
                continue;
            }
            if in_dependencies && line.starts_with("parity-") {
                found.push(line.split(['=', '.', ' ']).next().unwrap().to_owned());
            }
        }
        found
    }

    #[test]
    fn dependencies_point_one_way() {
        let crates = repo_root().join("crates");
        let mut seen = Vec::new();
        for entry in std::fs::read_dir(&crates).unwrap() {
            let dir = entry.unwrap().path();
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let allowed = ALLOWED
                .iter()
                .find(|(c, _)| *c == name)
                .unwrap_or_else(|| panic!("crates/{name} is new: add its allowed dependencies to ALLOWED and to ARCHITECTURE.md"))
                .1;
            let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
            for dependency in project_dependencies(&manifest) {
                assert!(
                    allowed.contains(&dependency.as_str()),
                    "crates/{name} depends on {dependency}, against the dependency direction in docs/ARCHITECTURE.md"
                );
            }
            seen.push(name);
        }
        assert_eq!(
            seen.len(),
            ALLOWED.len(),
            "a crate listed in ALLOWED is gone"
        );
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// Every module says what it is for in its first line, except test
    /// modules, which are named `tests.rs` and live beside what they test.
    #[test]
    fn every_module_starts_with_a_doc_comment() {
        let mut files = Vec::new();
        rust_files(&repo_root().join("crates"), &mut files);
        rust_files(&repo_root().join("xtask"), &mut files);
        let missing: Vec<String> = files
            .iter()
            .filter(|p| {
                p.file_name().unwrap() != "tests.rs"
                    && !p.components().any(|c| c.as_os_str() == "tests")
            })
            .filter(|p| !std::fs::read_to_string(p).unwrap().starts_with("//!"))
            .map(|p| p.strip_prefix(repo_root()).unwrap().display().to_string())
            .collect();
        assert!(
            missing.is_empty(),
            "modules without a `//!` first line: {missing:?}"
        );
    }

    #[test]
    fn no_trailing_whitespace_in_sources() {
        let mut files = Vec::new();
        rust_files(&repo_root().join("crates"), &mut files);
        rust_files(&repo_root().join("xtask"), &mut files);
        files.push(repo_root().join("crates/mapping/mapping.yaml"));
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (i, line) in text.lines().enumerate() {
                assert!(
                    line.trim_end() == line,
                    "{}:{}: trailing whitespace",
                    file.strip_prefix(repo_root()).unwrap().display(),
                    i + 1
                );
            }
        }
    }

    /// Problems are tested as exit codes and messages, never as panics.
    #[test]
    fn no_should_panic_or_ignored_tests() {
        let mut files = Vec::new();
        rust_files(&repo_root().join("crates"), &mut files);
        let needle_panic = ["#[should", "_panic"].concat();
        let needle_ignore = ["#[ig", "nore"].concat();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(
                !text.contains(&needle_panic),
                "{}: uses should_panic",
                file.display()
            );
            assert!(
                !text.contains(&needle_ignore),
                "{}: has an ignored test",
                file.display()
            );
        }
    }
}
