//! How long a comparison takes and how much memory it holds, on the real
//! fixtures and on inputs scaled up from them: `cargo bench -p iac-parity`.
//!
//! For every real pair under `testdata/real-pairs/` (its resolved plan when
//! it has one) and its copy ×25 (every name renamed per copy), it prints the
//! time to compare next to the time serde_json takes just to parse the same
//! input files, measured in the same run, and the recall of the audited
//! twins (`EXPECTED_PAIRS.yaml`) in both.
//!
//! Timings are medians of several runs of each stage in this process; the
//! peak resident memory is the process's, read from `/proc` where there is
//! one. Nothing here asserts a time: it measures, and the numbers are read
//! by people (docs/performance.md says what to expect).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use parity_model::Resource;

#[allow(dead_code, reason = "each benchmark uses part of the copier")]
mod scaled;

use scaled::{copies, real_pair_dirs, renamed_address, renamed_target};

/// Real pairs of inputs.
const FIXTURES: &[(&str, &str, &str)] = &[
    (
        "ecs-fargate",
        "testdata/ecs-fargate/tfplan.json",
        "testdata/ecs-fargate/cdk.out",
    ),
    (
        "multi-service",
        "testdata/multi-service/tfplan.json",
        "testdata/multi-service/cdk.out",
    ),
];

/// How many copies of multi-service the scaling runs compare at once.
const SCALES: &[usize] = &[1, 4, 16, 64];

const RUNS: usize = 7;

fn main() {
    let root = repo_root();
    let table = parity_mapping::Table::builtin().expect("the built-in table loads");
    let config = parity_engine::Config::default();
    let options = parity_engine::Options::default();
    // `BENCH_ONLY=<part of a real pair's name>` measures only those real
    // pairs.
    let only = std::env::var("BENCH_ONLY").ok();
    if let Some(only) = &only {
        real_pairs(&root, &table, &config, &options, only);
        return;
    }
    println!(
        "{:<28} {:>10} {:>12} {:>12} {:>12}",
        "input", "resources", "load", "compare", "report"
    );
    let mut base = None;
    for (name, plan, cdk) in FIXTURES {
        let (plan, cdk) = (root.join(plan), root.join(cdk));
        let (load, (terraform, cloudformation)) = median(|| load(&plan, &cdk));
        let (compare, comparison) = median(|| {
            parity_engine::compare(&terraform, &cloudformation, &table, &config, &options)
                .expect("compares")
        });
        let inputs = parity_report::Inputs {
            terraform: name.to_string(),
            cloudformation: name.to_string(),
        };
        let (report, _) = median(|| {
            let mut out = Vec::new();
            parity_report::Report::new(&comparison, &inputs, Default::default())
                .render(parity_report::Format::Json, &mut out)
                .expect("renders");
            out.len()
        });
        let resources = terraform.len() + cloudformation.len();
        println!(
            "{name:<28} {resources:>10} {:>12} {:>12} {:>12}",
            ms(load),
            ms(compare),
            ms(report)
        );
        if *name == "multi-service" {
            base = Some((terraform, cloudformation));
        }
    }
    let (terraform, cloudformation) = base.expect("multi-service is a fixture");
    for scale in SCALES {
        let tf = copies(&terraform, *scale);
        let cfn = copies(&cloudformation, *scale);
        let (compare, comparison) = median(|| {
            parity_engine::compare(&tf, &cfn, &table, &config, &options).expect("compares")
        });
        let resources = tf.len() + cfn.len();
        let per_resource = compare.as_secs_f64() * 1e6 / resources as f64;
        println!(
            "{:<28} {resources:>10} {:>12} {:>12} {:>12}   {} pairs, {} without a twin",
            format!("multi-service x{scale}"),
            "-",
            ms(compare),
            format!("{per_resource:.0} µs/res"),
            comparison.pairs.len(),
            comparison.unpaired.len()
        );
        if std::env::var_os("BENCH_UNPAIRED").is_some() {
            let mut types: std::collections::BTreeMap<&str, usize> = Default::default();
            for u in &comparison.unpaired {
                *types.entry(u.resource_type.as_str()).or_default() += 1;
            }
            println!(
                "    {types:?} {:?}",
                comparison.notes.iter().take(3).collect::<Vec<_>>()
            );
        }
    }
    real_pairs(&root, &table, &config, &options, "");
    match peak_memory() {
        Some(kib) => println!("peak resident memory: {} MiB", kib / 1024),
        None => println!("peak resident memory: not available on this system"),
    }
}

/// How many copies of each real pair the scaled run compares at once.
const REAL_SCALE: usize = 25;

/// Compare time against parse time and recall, per real pair, ×1 and ×25.
fn real_pairs(
    root: &Path,
    table: &parity_mapping::Table,
    config: &parity_engine::Config,
    options: &parity_engine::Options,
    only: &str,
) {
    println!();
    println!(
        "{:<40} {:>9} {:>11} {:>11} {:>7} {:>8}",
        "real pair", "resources", "parse", "compare", "ratio", "recall"
    );
    for dir in real_pair_dirs(&root.join("testdata/real-pairs")) {
        let name = dir
            .strip_prefix(root.join("testdata/real-pairs"))
            .unwrap_or(&dir)
            .display()
            .to_string();
        if !name.contains(only) {
            continue;
        }
        let plan = if dir.join("tfplan.resolved.json").is_file() {
            dir.join("tfplan.resolved.json")
        } else {
            dir.join("tfplan.json")
        };
        let cdk = dir.join("cdk.out");
        let mut files = vec![plan.clone()];
        files.extend(json_files(&cdk));
        let bytes: Vec<Vec<u8>> = files
            .iter()
            .map(|f| std::fs::read(f).expect("a real pair's file reads"))
            .collect();
        let expected = expected_pairs(&dir.join("EXPECTED_PAIRS.yaml"));
        let (terraform, cloudformation) = load(&plan, &cdk);
        for scale in [1, REAL_SCALE] {
            let (parse, _) = median(|| {
                for _ in 0..scale {
                    for b in &bytes {
                        std::hint::black_box(
                            serde_json::from_slice::<serde_json::Value>(b).expect("parses"),
                        );
                    }
                }
            });
            let tf = copies(&terraform, scale);
            let cfn = copies(&cloudformation, scale);
            let (compare, comparison) = median(|| {
                parity_engine::compare(&tf, &cfn, table, config, options).expect("compares")
            });
            let made: std::collections::BTreeSet<(String, String)> = comparison
                .pairs
                .iter()
                .map(|p| (p.terraform.to_string(), p.cloudformation.to_string()))
                .collect();
            let found = (0..scale)
                .flat_map(|copy| {
                    expected
                        .iter()
                        .map(move |(t, c)| (renamed_address(t, copy), renamed_target(c, copy)))
                })
                .filter(|pair| made.contains(pair))
                .count();
            if std::env::var_os("BENCH_UNPAIRED").is_some() {
                // The audited twins missed, by their pair's index in the
                // audited list: how many of the copies missed each.
                let mut missed: std::collections::BTreeMap<&str, usize> = Default::default();
                for copy in 0..scale {
                    for (t, c) in &expected {
                        let pair = (renamed_address(t, copy), renamed_target(c, copy));
                        if !made.contains(&pair) {
                            *missed.entry(t.as_str()).or_default() += 1;
                        }
                    }
                }
                for (t, n) in missed {
                    println!("    missed {n}x {t}");
                }
                for note in &comparison.notes {
                    println!("    note: {note}");
                }
            }
            let recall = 100.0 * found as f64 / (expected.len() * scale).max(1) as f64;
            println!(
                "{:<40} {:>9} {:>11} {:>11} {:>6.1}x {:>7.1}%",
                format!("{name} x{scale}"),
                tf.len() + cfn.len(),
                ms(parse),
                ms(compare),
                compare.as_secs_f64() / parse.as_secs_f64(),
                recall
            );
        }
    }
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    out.sort();
    out
}

/// The audited twins: (Terraform address, `stack/logical ID`).
fn expected_pairs(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).expect("the audited list reads");
    let doc: yaml_serde::Value = yaml_serde::from_str(&text).expect("the audited list parses");
    doc.get("pairs")
        .and_then(yaml_serde::Value::as_sequence)
        .map(|pairs| {
            pairs
                .iter()
                .filter_map(|p| {
                    Some((
                        p.get("terraform")?.as_str()?.to_owned(),
                        p.get("cloudformation")?.as_str()?.to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn load(plan: &Path, cdk: &Path) -> (Vec<Resource>, Vec<Resource>) {
    let terraform = parity_terraform::load_file(plan)
        .expect("the fixture plan loads")
        .resources;
    let cloudformation = parity_cloudformation::load(&[cdk], &Default::default())
        .expect("the fixture cdk.out loads")
        .resources;
    (terraform, cloudformation)
}

/// The median time of `RUNS` runs, and the last run's result.
fn median<T>(mut run: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        last = Some(std::hint::black_box(run()));
        times.push(start.elapsed());
    }
    times.sort();
    (times[RUNS / 2], last.expect("at least one run"))
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

/// Peak resident set size in KiB (`VmHWM`), where `/proc` has it.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the crate is in crates/")
        .to_owned()
}
