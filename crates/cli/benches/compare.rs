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

use parity_model::{Ref, Resource, ResourceId, TemplatePart, Unknown, Value};

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

fn real_pair_dirs(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        if dir.join("EXPECTED_PAIRS.yaml").is_file() {
            out.push(dir.clone());
        }
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() && path.file_name().is_some_and(|n| n != "cdk.out") {
                stack.push(path);
            }
        }
    }
    out.sort();
    out
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

/// `n` copies of a deployment, each resource, every reference, construct
/// path and string inside it renamed with the copy's number, so that the
/// copies are as distinct as the resources of a real, larger deployment.
fn copies(resources: &[Resource], n: usize) -> Vec<Resource> {
    (0..n)
        .flat_map(|copy| {
            resources.iter().map(move |r| {
                let mut r = r.clone();
                let side = r.id.side();
                r.id = match r.id {
                    ResourceId::Terraform { address } => ResourceId::Terraform {
                        address: renamed_address(&address, copy),
                    },
                    ResourceId::CloudFormation { stack, logical_id } => {
                        ResourceId::CloudFormation {
                            stack,
                            logical_id: renamed_logical_id(&logical_id, copy),
                        }
                    }
                };
                r.construct_path = r.construct_path.map(|p| renamed_path(&p, copy));
                r.properties = r
                    .properties
                    .into_iter()
                    .map(|(k, v)| (k, rename_refs(v, copy, side)))
                    .collect();
                r
            })
        })
        .collect()
}

/// Copy `n` of a Terraform address is in a module of its own.
fn renamed_address(address: &str, copy: usize) -> String {
    if copy == 0 {
        address.to_owned()
    } else {
        format!("module.copy{copy}.{address}")
    }
}

/// Copy `n` of a logical ID starts with the copy's name (CDK's hash stays
/// at the end).
fn renamed_logical_id(logical_id: &str, copy: usize) -> String {
    if copy == 0 {
        logical_id.to_owned()
    } else {
        format!("Copy{copy}{logical_id}")
    }
}

/// A CloudFormation reference target or `stack/logical ID`.
fn renamed_target(target: &str, copy: usize) -> String {
    match target.split_once('/') {
        Some((stack, logical_id)) => format!("{stack}/{}", renamed_logical_id(logical_id, copy)),
        None => renamed_logical_id(target, copy),
    }
}

/// Copy `n` of a construct path is under a construct of its own.
fn renamed_path(path: &str, copy: usize) -> String {
    match (copy, path.split_once('/')) {
        (0, _) | (_, None) => path.to_owned(),
        (_, Some((stack, rest))) => format!("{stack}/Copy{copy}/{rest}"),
    }
}

/// Every part of a string between `/` and `:` is renamed, so that a name
/// inside a path or an ARN (`service/cluster/orders`) is still the name of
/// the copy's resource (`copy3-orders`), as in one larger deployment.
fn renamed_string(s: &str, copy: usize) -> String {
    if copy == 0 {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut part = String::new();
    let flush = |part: &mut String, out: &mut String| {
        if !part.is_empty() {
            out.push_str(&format!("copy{copy}-{part}"));
            part.clear();
        }
    };
    for ch in s.chars() {
        if ch == '/' || ch == ':' {
            flush(&mut part, &mut out);
            out.push(ch);
        } else {
            part.push(ch);
        }
    }
    flush(&mut part, &mut out);
    out
}

fn rename_refs(value: Value, copy: usize, side: parity_model::Side) -> Value {
    let target = |t: &str| match side {
        parity_model::Side::Terraform => renamed_address(t, copy),
        parity_model::Side::CloudFormation => renamed_target(t, copy),
    };
    let rename = |r: Ref| Ref {
        target: target(&r.target),
        attribute: r.attribute,
    };
    let unknown = |u: Unknown| Unknown {
        refs: u
            .refs
            .iter()
            .map(|r| match side {
                parity_model::Side::Terraform => target(r),
                // Pseudo-parameters (`AWS::Region`) stay as they are.
                parity_model::Side::CloudFormation => r.clone(),
            })
            .collect(),
        reason: u.reason,
    };
    match value {
        Value::Ref(r) => Value::Ref(rename(r)),
        Value::Unknown(u) => Value::Unknown(unknown(u)),
        Value::Template(parts) => Value::Template(
            parts
                .into_iter()
                .map(|p| match p {
                    TemplatePart::Ref(r) => TemplatePart::Ref(rename(r)),
                    TemplatePart::Unknown(u) => TemplatePart::Unknown(unknown(u)),
                    TemplatePart::Literal(s) => TemplatePart::Literal(renamed_string(&s, copy)),
                })
                .collect(),
        ),
        Value::List(items) => Value::List(
            items
                .into_iter()
                .map(|v| rename_refs(v, copy, side))
                .collect(),
        ),
        Value::Map(map) => Value::Map(
            map.into_iter()
                .map(|(k, v)| (k, rename_refs(v, copy, side)))
                .collect(),
        ),
        Value::Sensitive(inner) => rename_refs(*inner, copy, side).into_sensitive(),
        Value::String(s) => Value::String(renamed_string(&s, copy)),
        other => other,
    }
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
