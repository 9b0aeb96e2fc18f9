//! `cargo xtask fuzz --seconds N [TARGET…]`: runs each fuzz target of
//! `fuzz/` for N seconds with `cargo +nightly fuzz`, its corpus seeded from
//! `testdata/` and the dictionary of intrinsic names and plan keys
//! (docs/fuzzing.md). Needs the nightly toolchain and cargo-fuzz; it is not
//! part of `.ci/run`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::process::step;

/// The targets, in the order they run.
pub const TARGETS: &[&str] = &[
    "terraform_loader",
    "template_json",
    "template_yaml",
    "intrinsics",
    "parameter_file",
    "parity_yaml",
    "baseline",
    "compare",
];

/// Seeds larger than this are left out: libFuzzer mutates small inputs
/// faster, and the large fixtures add little the small ones lack.
const MAX_SEED_BYTES: u64 = 256 * 1024;

const USAGE: &str = "usage: cargo xtask fuzz --seconds N [TARGET…]";

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut seconds = None;
    let mut targets = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                let value = args.next().context(USAGE)?;
                seconds = Some(
                    value
                        .parse::<u64>()
                        .with_context(|| format!("--seconds {value}: not a number"))?,
                );
            }
            name if TARGETS.contains(&name) => targets.push(name),
            other => bail!(
                "unknown argument `{other}` (targets: {})\n{USAGE}",
                TARGETS.join(", ")
            ),
        }
    }
    let seconds = seconds.context(USAGE)?;
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    let root = crate::docs::repo_root();
    let fuzz = root.join("fuzz");
    let seeds = seeds(&root.join("testdata"))?;
    for target in targets {
        let corpus = fuzz.join("corpus").join(target);
        fs::create_dir_all(&corpus)?;
        let mut seeded = 0;
        for seed in seeds.iter().filter(|s| seeds_target(s, target)) {
            let name = seed
                .strip_prefix(&root)
                .unwrap_or(seed)
                .to_string_lossy()
                .replace(['/', '\\'], "_");
            let copy = corpus.join(name);
            if !copy.exists() {
                fs::copy(seed, &copy)?;
                seeded += 1;
            }
        }
        step(
            "fuzz",
            format!("{target}: {seconds} s, {seeded} new seeds from testdata/"),
        );
        let status = Command::new("cargo")
            .current_dir(&root)
            .args(["+nightly", "fuzz", "run", target])
            .arg(&corpus)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg(format!(
                "-dict={}",
                fuzz.join("dictionaries/parity.dict").display()
            ))
            .args(["-timeout=20", "-rss_limit_mb=2048", "-print_final_stats=1"])
            .status()
            .context("cannot run `cargo +nightly fuzz` (rustup toolchain install nightly; cargo install cargo-fuzz)")?;
        if !status.success() {
            bail!(
                "fuzz target {target} failed ({status}): the input is under fuzz/artifacts/{target}/"
            );
        }
    }
    Ok(())
}

/// Every file under `testdata/` small enough to seed a corpus.
fn seeds(testdata: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut folders = vec![testdata.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder)? {
            let entry = entry?;
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                let name = entry.file_name();
                if name != "node_modules" && name != ".terraform" {
                    folders.push(path);
                }
            } else if kind.is_file() && entry.metadata()?.len() <= MAX_SEED_BYTES {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Whether `file` seeds `target`'s corpus, by what its path says it is.
fn seeds_target(file: &Path, target: &str) -> bool {
    let path = file.to_string_lossy().replace('\\', "/");
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let json = name.ends_with(".json");
    let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
    let plan = json
        && (name.starts_with("tfplan")
            || name.starts_with("tfstate")
            || path.contains("/real/tfplan/"))
        || path.contains("/bad/terraform/");
    let template_json = json
        && (name.ends_with(".template.json")
            || path.contains("/bad/cloudformation/")
            || path.contains("/cfn-corpus/"));
    let template_yaml = yaml && name != "parity.yaml" && !path.contains("/terraform/");
    match target {
        "terraform_loader" => plan,
        "compare" => plan && !path.contains("/bad/"),
        "template_json" | "intrinsics" => template_json,
        "template_yaml" => template_yaml,
        "parameter_file" => json && name.contains("parameter"),
        "parity_yaml" => name == "parity.yaml",
        "baseline" => json && path.contains("/expected/"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each target is a binary of the fuzz crate, with a source file, and
    /// `testdata/` seeds its corpus.
    #[test]
    fn every_target_is_built_and_seeded() {
        let root = crate::docs::repo_root();
        let manifest = fs::read_to_string(root.join("fuzz/Cargo.toml")).unwrap();
        let seeds = seeds(&root.join("testdata")).unwrap();
        for target in TARGETS {
            assert!(
                manifest.contains(&format!("name = \"{target}\"")),
                "{target} is not a [[bin]] of fuzz/Cargo.toml"
            );
            assert!(
                root.join(format!("fuzz/fuzz_targets/{target}.rs"))
                    .is_file()
            );
            let count = seeds.iter().filter(|s| seeds_target(s, target)).count();
            assert!(count >= 2, "{target}: {count} seeds");
        }
        let bins = manifest.matches("[[bin]]").count();
        assert_eq!(bins, TARGETS.len(), "a fuzz target missing from TARGETS");
    }
}
