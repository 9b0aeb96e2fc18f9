//! Why an input could not be loaded as CloudFormation.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: cannot read: {source}", path.display())]
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

    /// YAML that cannot be read, or that is hostile (aliases that expand
    /// without end, nesting too deep); `line` and `column` start at 1.
    #[error("{}:{line}:{column}: malformed YAML: {message}", path.display())]
    Yaml {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{}: not a cdk.out folder: {reason}", path.display())]
    NotCdkOut { path: PathBuf, reason: String },

    /// Well-formed input that is not valid CloudFormation or cloud assembly.
    #[error("{}: at {location}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        location: String,
        message: String,
    },

    /// A `--param NAME=VALUE` that cannot be used.
    #[error("--param {name}: {message}")]
    Parameter { name: String, message: String },

    /// Two inputs deploy a stack of the same name.
    #[error("{}: a stack named {name} is also loaded from {}", path.display(), first.display())]
    DuplicateStack {
        path: PathBuf,
        name: String,
        first: PathBuf,
    },
}

impl Error {
    pub(crate) fn invalid(path: &Path, location: &str, message: impl Into<String>) -> Error {
        let location = if location.is_empty() {
            "/".to_owned()
        } else {
            one_line(location)
        };
        Error::Invalid {
            path: path.to_owned(),
            location,
            message: one_line(&message.into()),
        }
    }
}

/// Text from the input, made safe for a one-line message: control
/// characters (a key with a line break in it) are escaped.
pub(crate) fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Reads a file as text.
pub(crate) fn read_text(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })
}

/// Reads and parses a JSON file, with positions in the error.
pub(crate) fn read_json(path: &Path) -> Result<serde_json::Value, Error> {
    parse_json(&read_text(path)?, path)
}

/// Parses JSON text, with positions in the error.
pub(crate) fn parse_json(text: &str, path: &Path) -> Result<serde_json::Value, Error> {
    serde_json::from_str(text).map_err(|err| {
        let message = err.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.clone(), |at| message[..at].to_owned());
        Error::Json {
            path: path.to_owned(),
            line: err.line(),
            column: err.column(),
            message,
        }
    })
}
