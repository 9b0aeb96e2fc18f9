//! Peak resident memory per input byte of `iac-parity compare`, on every
//! real pair under `testdata/real-pairs/` and on inputs scaled up from it:
//! `cargo bench -p iac-parity --bench memory`.
//!
//! At scale N, the pair's plan (`tfplan.json`, what `terraform show -json`
//! writes) holds N copies of its root module and its cloud assembly N
//! copies of each stack's resources, every name renamed per copy by the
//! same copier as the timing benchmark (`scaled/mod.rs`), so that the
//! binary reads one large plan and large templates, as it would on a large
//! project. The binary runs as a child process; its peak resident memory
//! (`VmHWM`) is read from `/proc` until it exits. Input bytes are the plan's
//! and the templates' (the files that grow with the scale). Part of the
//! peak does not grow with the input: the pages of the binary's code and
//! of the shared libraries it runs (file-backed, `RssFile`), about the same
//! on every input; the rest is the process's own memory (`RssAnon`, the
//! heap): the first is read at the poll that saw the peak, the second is
//! the rest of the peak, and is also given per input byte, which is what
//! the inputs cost. Nothing asserts
//! a number: docs/performance.md records them. `BENCH_ONLY=<part of a real
//! pair's name>` measures only those pairs; `BENCH_SCALES=1,25` other
//! scales; `BENCH_INPUTS=<folder>` keeps the scaled inputs there (one
//! folder per pair and scale) for a heap profiler.

#[allow(dead_code, reason = "each benchmark uses part of the copier")]
mod scaled;

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value as Json;

const SCALES: &[usize] = &[1, 5, 25];

fn main() {
    let root = repo_root();
    let pairs = root.join("testdata/real-pairs");
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let scales: Vec<usize> = match std::env::var("BENCH_SCALES") {
        Ok(list) => list
            .split(',')
            .map(|s| s.trim().parse().expect("BENCH_SCALES is a list of numbers"))
            .collect(),
        Err(_) => SCALES.to_vec(),
    };
    println!(
        "{:<40} {:>12} {:>11} {:>16} {:>11} {:>11} {:>16}",
        "input",
        "input bytes",
        "peak RSS",
        "RSS / input byte",
        "of it code",
        "and heap",
        "heap / input byte"
    );
    for dir in scaled::real_pair_dirs(&pairs) {
        let name = dir
            .strip_prefix(&pairs)
            .unwrap_or(&dir)
            .display()
            .to_string();
        if !name.contains(&only) {
            continue;
        }
        let plan: Json = read_json(&dir.join("tfplan.json"));
        for &scale in &scales {
            let work = tempfile::tempdir().expect("a temporary folder");
            let work = match std::env::var_os("BENCH_INPUTS") {
                Some(keep) => {
                    let folder = Path::new(&keep).join(format!(
                        "{}-x{scale}",
                        name.replace(std::path::MAIN_SEPARATOR, "-")
                    ));
                    std::fs::create_dir_all(&folder).unwrap();
                    folder
                }
                None => work.path().to_owned(),
            };
            let plan_file = work.join("tfplan.json");
            let text = serde_json::to_vec(&scaled::scaled_plan(&plan, scale)).unwrap();
            std::fs::write(&plan_file, &text).unwrap();
            let mut bytes = text.len() as u64;
            drop(text);
            let cdk_out = work.join("cdk.out");
            bytes += write_assembly(&dir.join("cdk.out"), scale, &cdk_out);
            let Some((peak, outcome)) = peak_rss(&plan_file, &cdk_out) else {
                println!("peak resident memory: not available on this system");
                return;
            };
            println!(
                "{:<40} {:>12} {:>11} {:>16.2} {:>11} {:>11} {:>16.2}   {outcome}",
                format!("{name} x{scale}"),
                bytes,
                mib(peak.total),
                peak.total as f64 / bytes as f64,
                mib(peak.file),
                mib(peak.anonymous),
                peak.anonymous as f64 / bytes as f64,
            );
        }
    }
}

fn read_json(path: &Path) -> Json {
    let text = std::fs::read(path).expect("a real pair's file reads");
    serde_json::from_slice(&text).expect("a real pair's file is JSON")
}

/// A copy of a cloud assembly whose templates hold `scale` copies of their
/// resources; returns the templates' total size.
fn write_assembly(from: &Path, scale: usize, to: &Path) -> u64 {
    std::fs::create_dir_all(to).unwrap();
    let mut bytes = 0;
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        let file = path.file_name().unwrap();
        if file.to_string_lossy().ends_with(".template.json") {
            let template = scaled::scaled_template(&read_json(&path), scale);
            let text = serde_json::to_vec(&template).unwrap();
            std::fs::write(to.join(file), &text).unwrap();
            bytes += text.len() as u64;
        } else {
            std::fs::copy(&path, to.join(file)).unwrap();
        }
    }
    bytes
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Resident memory of a process at its peak, in bytes.
#[derive(Clone, Copy, Default)]
struct Peak {
    /// `VmHWM`.
    total: u64,
    /// `RssFile` at the poll that saw `total` rise last.
    file: u64,
    /// The rest of `total`.
    anonymous: u64,
}

/// Runs `iac-parity compare` on the inputs; its peak resident memory,
/// polled from `/proc` until it exits, and how it ended.
fn peak_rss(plan: &Path, cdk_out: &Path) -> Option<(Peak, String)> {
    // Warnings go to a file: a pipe read only after the child exits would
    // stop it for good once the warnings fill the pipe's buffer.
    let mut warnings = tempfile::tempfile().expect("a temporary file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_iac-parity"))
        .args(["compare", "--format", "json", "--terraform"])
        .arg(plan)
        .arg("--cloudformation")
        .arg(cdk_out)
        .stdout(Stdio::null())
        .stderr(warnings.try_clone().expect("a second handle"))
        .spawn()
        .expect("the binary runs");
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak: Option<Peak> = None;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(total) = field_kib(&status, "VmHWM:")
            && peak.is_none_or(|peak| total * 1024 > peak.total)
        {
            let file = field_kib(&status, "RssFile:").unwrap_or(0).min(total);
            peak = Some(Peak {
                total: total * 1024,
                file: file * 1024,
                anonymous: (total - file) * 1024,
            });
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    warnings.seek(SeekFrom::Start(0)).unwrap();
    warnings.read_to_string(&mut stderr).unwrap();
    // Refused after comparing, before the report: the peak leaves out
    // rendering, and the line says so.
    let unpaired = stderr.contains("do not look like the same infrastructure")
        || stderr.contains("do not look like twins");
    let outcome = match status.code() {
        Some(0) => "in parity".to_owned(),
        Some(1) => "divergent".to_owned(),
        _ if unpaired => "not twins: refused before the report".to_owned(),
        _ => panic!("iac-parity compare failed: {stderr}"),
    };
    peak.map(|peak| (peak, outcome))
}

/// A field of a `/proc/PID/status` (`VmHWM:`), in KiB.
fn field_kib(status: &str, name: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(name))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the crate is in crates/")
        .to_owned()
}
