//! Running the external tools the tasks drive: finding them on `PATH`,
//! running them with their output captured, saying what is being done.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Prints one line of progress: `[label] what`.
pub fn step(label: &str, what: impl std::fmt::Display) {
    eprintln!("[{label}] {what}");
}

/// The first executable called `name` in the folders of `PATH`.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    find_in(name, &std::env::var_os("PATH")?)
}

/// The first executable called `name` in the folders of `path` (a `PATH`
/// value).
pub fn find_in(name: &str, path: &OsStr) -> Option<PathBuf> {
    let candidates: Vec<String> = if cfg!(windows) {
        ["exe", "cmd", "bat"]
            .iter()
            .map(|ext| format!("{name}.{ext}"))
            .collect()
    } else {
        vec![name.to_owned()]
    };
    std::env::split_paths(path)
        .flat_map(|dir| candidates.iter().map(move |file| dir.join(file)))
        .find(|file| is_executable(file))
}

#[cfg(unix)]
fn is_executable(file: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(file).is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(file: &Path) -> bool {
    file.is_file()
}

/// Removes the environment variables starting with one of `prefixes`, so that
/// the user's settings do not leak into the generated files.
pub fn scrub_env(command: &mut Command, prefixes: &[&str]) {
    for (key, _) in std::env::vars_os() {
        if prefixes
            .iter()
            .any(|prefix| key.to_string_lossy().starts_with(prefix))
        {
            command.env_remove(key);
        }
    }
}

/// Runs `command` with its output captured; returns its stdout, or prints all
/// it said and fails when it does not succeed.
pub fn run_captured(label: &str, what: &str, mut command: Command) -> anyhow::Result<Vec<u8>> {
    use anyhow::Context;
    let output = command
        .output()
        .with_context(|| format!("[{label}] cannot run `{what}`"))?;
    if !output.status.success() {
        eprintln!("[{label}] `{what}` failed; its output:");
        eprintln!("{}", String::from_utf8_lossy(&output.stdout));
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        anyhow::bail!("[{label}] `{what}` failed ({})", output.status);
    }
    Ok(output.stdout)
}
