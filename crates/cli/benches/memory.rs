//! Peak resident memory per input byte of `iac-parity compare`, on a real
//! project and on inputs scaled up from it: `cargo bench -p iac-parity
//! --bench memory`.
//!
//! The project is the three ecs-blueprints pairs under
//! `testdata/real-pairs/` (three Terraform plans, three CDK stacks). At
//! scale N, one plan holds N copies of each of the three plans, each copy
//! moved into a module of its own (`module.core_infra_3.…`), and one folder
//! holds N copies of each template as stacks of their own, every literal
//! string of copy k suffixed `-k` on both sides (so copies can be told
//! apart as a larger project's resources can), so the binary
//! reads one large plan and many templates, as it would on a large
//! project. The binary runs as a child process; its peak resident memory
//! (`VmHWM`) is read from `/proc` until it exits. Nothing asserts a number:
//! docs/performance.md records them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Map, Value, json};

const SERVICES: &[(&str, &str)] = &[
    ("core_infra", "core-infra"),
    ("lb_service", "lb-service"),
    ("backend_service", "backend-service"),
];

const SCALES: &[usize] = &[1, 5, 25];

fn main() {
    let root = repo_root();
    let pairs = root.join("testdata/real-pairs/ecs-blueprints");
    let work = tempfile::tempdir().expect("a temporary folder");
    println!(
        "{:<20} {:>12} {:>14} {:>16}",
        "input", "input bytes", "peak RSS", "RSS / input byte"
    );
    for &scale in SCALES {
        let plan = work.path().join(format!("tfplan-x{scale}.json"));
        let templates = work.path().join(format!("templates-x{scale}"));
        std::fs::create_dir_all(&templates).unwrap();
        let mut bytes = write_plan(&pairs, scale, &plan);
        bytes += write_templates(&pairs, scale, &templates);
        let Some((peak, unpaired)) = peak_rss(&plan, &templates) else {
            println!("peak resident memory: not available on this system");
            return;
        };
        println!(
            "{:<20} {:>12} {:>14} {:>16.2}{}",
            format!("ecs-blueprints x{scale}"),
            bytes,
            format!("{:.1} MiB", peak as f64 / (1024.0 * 1024.0)),
            peak as f64 / bytes as f64,
            if unpaired {
                "   nothing paired: refused before the report"
            } else {
                ""
            }
        );
    }
}

/// Writes one plan holding `scale` copies of each service's plan, each in
/// a module of its own; returns its size.
fn write_plan(pairs: &Path, scale: usize, out: &Path) -> u64 {
    let mut changes = Vec::new();
    let mut planned = Vec::new();
    let mut prior = Vec::new();
    let mut calls = Map::new();
    let mut header = None;
    for (name, folder) in SERVICES {
        let text = std::fs::read_to_string(pairs.join(folder).join("tfplan.json")).unwrap();
        let plan: Value = serde_json::from_str(&text).unwrap();
        header.get_or_insert_with(|| {
            (
                plan["format_version"].clone(),
                plan["terraform_version"].clone(),
            )
        });
        for copy in 0..scale {
            let call = format!("{name}_{copy}");
            let prefix = format!("module.{call}");
            for change in plan["resource_changes"].as_array().unwrap() {
                let mut change = change.clone();
                prefix_address(&mut change, &prefix);
                for side in ["before", "after"] {
                    if let Some(values) = change["change"].get_mut(side) {
                        distinct(values, copy);
                    }
                }
                let module = match change.get("module_address").and_then(Value::as_str) {
                    Some(inner) => format!("{prefix}.{inner}"),
                    None => prefix.clone(),
                };
                change["module_address"] = Value::String(module);
                changes.push(change);
            }
            planned.push(as_child(
                &plan["planned_values"]["root_module"],
                &prefix,
                copy,
            ));
            if let Some(values) = plan.pointer("/prior_state/values/root_module") {
                prior.push(as_child(values, &prefix, copy));
            }
            calls.insert(
                call,
                json!({"source": format!("./{folder}"), "module": plan["configuration"]["root_module"]}),
            );
        }
    }
    let (format_version, terraform_version) = header.unwrap();
    let plan = json!({
        "format_version": format_version,
        "terraform_version": terraform_version,
        "planned_values": {"root_module": {"child_modules": planned}},
        "resource_changes": changes,
        "prior_state": {"format_version": format_version, "values": {"root_module": {"child_modules": prior}}},
        "configuration": {"root_module": {"module_calls": calls}},
    });
    let text = serde_json::to_string(&plan).unwrap();
    std::fs::write(out, &text).unwrap();
    text.len() as u64
}

/// A module of the values representation moved under `prefix`: its own
/// address and every resource's and child's address prefixed.
fn as_child(module: &Value, prefix: &str, copy: usize) -> Value {
    let mut module = module.clone();
    prefix_module(&mut module, prefix, copy);
    module["address"] = Value::String(prefix.to_owned());
    module
}

fn prefix_module(module: &mut Value, prefix: &str, copy: usize) {
    if let Some(resources) = module.get_mut("resources").and_then(Value::as_array_mut) {
        for resource in resources {
            prefix_address(resource, prefix);
            if let Some(values) = resource.get_mut("values") {
                distinct(values, copy);
            }
        }
    }
    if let Some(children) = module
        .get_mut("child_modules")
        .and_then(Value::as_array_mut)
    {
        for child in children {
            prefix_address(child, prefix);
            prefix_module(child, prefix, copy);
        }
    }
}

fn prefix_address(object: &mut Value, prefix: &str) {
    if let Some(address) = object.get("address").and_then(Value::as_str) {
        object["address"] = Value::String(format!("{prefix}.{address}"));
    }
}

/// Makes copy `copy` of a side's values distinct from the others, the same
/// way on both sides so that twins stay twins: every literal string gets
/// the copy's number (not those inside an intrinsic function, nor JSON
/// documents held in strings). Identical copies would leave alignment
/// nothing to tell them apart by.
fn distinct(value: &mut Value, copy: usize) {
    if copy == 0 {
        return;
    }
    match value {
        Value::String(text) if !text.starts_with(['{', '[']) => {
            text.push_str(&format!("-{copy}"));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| distinct(v, copy)),
        Value::Object(map) => {
            let intrinsic = map.len() == 1
                && map
                    .keys()
                    .all(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::"));
            if !intrinsic {
                map.values_mut().for_each(|v| distinct(v, copy));
            }
        }
        _ => {}
    }
}

/// Writes `scale` copies of each service's templates into `folder`, each a
/// stack of its own; returns their total size.
fn write_templates(pairs: &Path, scale: usize, folder: &Path) -> u64 {
    let mut bytes = 0;
    for (name, service) in SERVICES {
        let cdk_out = pairs.join(service).join("cdk.out");
        for entry in std::fs::read_dir(&cdk_out).unwrap() {
            let path = entry.unwrap().path();
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let Some(stack) = file.strip_suffix(".template.json") else {
                continue;
            };
            let text = std::fs::read(&path).unwrap();
            for copy in 0..scale {
                let out = folder.join(format!("{stack}-{name}-{copy}.template.json"));
                std::fs::File::create(out)
                    .unwrap()
                    .write_all(&text)
                    .unwrap();
                bytes += text.len() as u64;
            }
        }
    }
    bytes
}

/// Runs `iac-parity compare` on the inputs; its peak resident memory in
/// bytes, polled from `/proc` until it exits, and whether it refused the
/// inputs for want of any pair.
fn peak_rss(plan: &Path, templates: &Path) -> Option<(u64, bool)> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iac-parity"))
        .args(["compare", "--format", "json", "--terraform"])
        .arg(plan)
        .arg("--cloudformation")
        .arg(templates)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak = None;
    loop {
        if let Some(kib) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|status| vm_hwm(&status))
        {
            peak = Some(kib * 1024);
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Refused after comparing, before the report: the peak leaves out
    // rendering, and the line says so.
    let unpaired = stderr.contains("do not look like the same infrastructure")
        || stderr.contains("do not look like twins");
    assert!(
        matches!(output.status.code(), Some(0 | 1)) || unpaired,
        "iac-parity compare failed: {stderr}"
    );
    peak.map(|peak| (peak, unpaired))
}

/// `VmHWM` of a `/proc/PID/status`, in KiB.
fn vm_hwm(status: &str) -> Option<u64> {
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
