//! How long a comparison takes and how much memory it holds, on the real
//! fixtures and on inputs scaled up from them: `cargo bench -p iac-parity`.
//!
//! Timings are medians of several runs of each stage in this process; the
//! peak resident memory is the process's, read from `/proc` where there is
//! one. Nothing here asserts a time: it measures, and the numbers are read
//! by people (docs/performance.md says what to expect).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use parity_model::{Ref, Resource, ResourceId, TemplatePart, Value};

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
    match peak_memory() {
        Some(kib) => println!("peak resident memory: {} MiB", kib / 1024),
        None => println!("peak resident memory: not available on this system"),
    }
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

/// `n` copies of a deployment, each resource, every reference and every
/// string inside it renamed with the copy's number, so that the copies are
/// as distinct as the resources of a real, larger deployment.
fn copies(resources: &[Resource], n: usize) -> Vec<Resource> {
    (0..n)
        .flat_map(|copy| {
            resources.iter().map(move |r| {
                let mut r = r.clone();
                r.id = match r.id {
                    ResourceId::Terraform { address } => ResourceId::Terraform {
                        address: renamed(&address, copy),
                    },
                    ResourceId::CloudFormation { stack, logical_id } => {
                        ResourceId::CloudFormation {
                            stack,
                            logical_id: renamed(&logical_id, copy),
                        }
                    }
                };
                r.properties = r
                    .properties
                    .into_iter()
                    .map(|(k, v)| (k, rename_refs(v, copy)))
                    .collect();
                r
            })
        })
        .collect()
}

fn renamed(name: &str, copy: usize) -> String {
    if copy == 0 {
        name.to_owned()
    } else {
        format!("{name}Copy{copy}")
    }
}

fn rename_refs(value: Value, copy: usize) -> Value {
    let rename = |r: Ref| Ref {
        target: renamed(&r.target, copy),
        attribute: r.attribute,
    };
    match value {
        Value::Ref(r) => Value::Ref(rename(r)),
        Value::Template(parts) => Value::Template(
            parts
                .into_iter()
                .map(|p| match p {
                    TemplatePart::Ref(r) => TemplatePart::Ref(rename(r)),
                    other => other,
                })
                .collect(),
        ),
        Value::List(items) => {
            Value::List(items.into_iter().map(|v| rename_refs(v, copy)).collect())
        }
        Value::Map(map) => Value::Map(
            map.into_iter()
                .map(|(k, v)| (k, rename_refs(v, copy)))
                .collect(),
        ),
        Value::Sensitive(inner) => rename_refs(*inner, copy).into_sensitive(),
        Value::String(s) => Value::String(renamed(&s, copy)),
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
