//! Why a file could not be loaded as Terraform output.

use std::path::{Path, PathBuf};

use crate::pointer::Pointer;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: cannot read file: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    /// The file was written to while it was read (its `resource_changes`
    /// are read from it a second time).
    #[error("{}: the file changed while it was read: read it again once it is written", path.display())]
    Changed { path: PathBuf },

    /// A binary plan file (what `terraform plan -out` writes) instead of
    /// its JSON rendering.
    #[error(
        "{}: a binary plan file, not JSON: give the output of `terraform show -json` on it",
        path.display()
    )]
    BinaryPlan { path: PathBuf },

    /// Text in another encoding than UTF-8 (PowerShell's `>` writes
    /// UTF-16).
    #[error(
        "{}: the file is {encoding} text: iac-parity reads UTF-8 (in PowerShell, write it with `Out-File -Encoding utf8`)",
        path.display()
    )]
    Encoding {
        path: PathBuf,
        encoding: &'static str,
    },

    #[error("{}:{line}:{column}: malformed JSON: {message}", path.display())]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    /// An object that names the same key twice: serde_json would keep the
    /// last one silently.
    #[error("{}:{duplicate}", path.display())]
    DuplicateKey {
        path: PathBuf,
        duplicate: parity_json::Duplicate,
    },

    /// Well-formed JSON that is not what `terraform show -json` writes.
    #[error("{}: at {pointer}: {message}", path.display())]
    Format {
        path: PathBuf,
        /// A JSON pointer into the file (`/resource_changes/0/change`).
        pointer: String,
        message: String,
    },
}

impl Error {
    pub(crate) fn format(path: &Path, at: &Pointer, message: impl Into<String>) -> Error {
        Error::Format {
            path: path.to_owned(),
            pointer: at.to_string(),
            message: message.into(),
        }
    }
}

/// The file being loaded, to build errors that name it.
#[derive(Clone, Copy)]
pub(crate) struct Cx<'a> {
    pub path: &'a Path,
}

impl Cx<'_> {
    pub fn error(&self, at: &Pointer, message: impl Into<String>) -> Error {
        Error::format(self.path, at, message)
    }

    /// An error from a part that reports `(where, what)`.
    pub fn problem(&self, (at, message): (Pointer, String)) -> Error {
        Error::format(self.path, &at, message)
    }
}
