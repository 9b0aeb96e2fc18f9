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

    /// An object that names the same key twice (a logical ID, a
    /// property): CloudFormation refuses such a template.
    #[error("{}:{duplicate}", path.display())]
    DuplicateKey {
        path: PathBuf,
        duplicate: parity_json::Duplicate,
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

    /// Bytes that are not text in an encoding templates are written in.
    #[error("{}: cannot read: {message}", path.display())]
    Encoding {
        path: PathBuf,
        message: &'static str,
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
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    decode_text(&bytes, path)
}

/// The text of a file as editors write templates: UTF-8, with or without a
/// byte order mark (Windows editors add one), or UTF-16 with its byte order
/// mark (what PowerShell's `>` writes). The mark is not part of the text.
pub fn decode_text(bytes: &[u8], path: &Path) -> Result<String, Error> {
    let utf16 = |big_endian: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|pair| match (pair, big_endian) {
                ([high, low], true) => u16::from_be_bytes([*high, *low]),
                ([low, high], false) => u16::from_le_bytes([*low, *high]),
                // An odd byte at the end: not UTF-16; replaced below.
                _ => 0xD800,
            })
            .collect();
        String::from_utf16(&units)
            .map_err(|_| "UTF-16 with a byte order mark, but not valid UTF-16")
    };
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        std::str::from_utf8(rest)
            .map(str::to_owned)
            .map_err(|_| "not valid UTF-8")
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        utf16(false)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        utf16(true)
    } else {
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| "not valid UTF-8 (nor UTF-16 with a byte order mark)")
    };
    text.map_err(|message| Error::Encoding {
        path: path.to_owned(),
        message,
    })
}

/// Reads and parses a JSON file, with positions in the error.
pub(crate) fn read_json(path: &Path) -> Result<serde_json::Value, Error> {
    parse_json(&read_text(path)?, path)
}

/// Parses JSON text, with positions in the error; a key twice in an object
/// is an error, as CloudFormation has it.
pub(crate) fn parse_json(text: &str, path: &Path) -> Result<serde_json::Value, Error> {
    parity_json::from_str(text).map_err(|err| match err {
        parity_json::Error::DuplicateKey(duplicate) => Error::DuplicateKey {
            path: path.to_owned(),
            duplicate,
        },
        parity_json::Error::Syntax(_) => Error::Json {
            path: path.to_owned(),
            line: err.position().line,
            column: err.position().column,
            message: err.message(),
        },
    })
}
