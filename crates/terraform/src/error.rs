//! Why a file could not be loaded as Terraform output.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: cannot read file: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("{}:{line}:{column}: malformed JSON: {message}", path.display())]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    /// Well-formed JSON that is not what `terraform show -json` writes.
    #[error("{}: at {pointer}: {message}", path.display())]
    Format {
        path: PathBuf,
        pointer: String,
        message: String,
    },
}
