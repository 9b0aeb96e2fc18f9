//! Why an input could not be loaded as CloudFormation.

use std::path::PathBuf;

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

    #[error("{}: not a cdk.out folder: {reason}", path.display())]
    NotCdkOut { path: PathBuf, reason: String },

    /// Well-formed input that is not valid CloudFormation or cloud assembly.
    #[error("{}: at {location}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        location: String,
        message: String,
    },
}

impl Error {
    pub(crate) fn invalid(
        path: &std::path::Path,
        location: &str,
        message: impl Into<String>,
    ) -> Error {
        let location = if location.is_empty() {
            "/".to_owned()
        } else {
            location.to_owned()
        };
        Error::Invalid {
            path: path.to_owned(),
            location,
            message: message.into(),
        }
    }
}

/// Reads and parses a JSON file, with positions in the error.
pub(crate) fn read_json(path: &std::path::Path) -> Result<serde_json::Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_json(&text, path)
}

/// Parses JSON text, with positions in the error.
pub(crate) fn parse_json(text: &str, path: &std::path::Path) -> Result<serde_json::Value, Error> {
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
