//! JSON pointers (RFC 6901) into the file being loaded, for error messages.

use std::fmt;

/// Keys longer than this are cut in messages: a hostile file must not turn
/// one line of error into megabytes.
const MAX_SEGMENT_CHARS: usize = 80;

/// Values quoted in messages are cut to this many characters.
const MAX_QUOTED_CHARS: usize = 60;

/// Where in the document something is: `/resource_changes/3/change/after`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    /// The whole document.
    pub fn root() -> Pointer {
        Pointer(String::new())
    }

    /// The member `key` of the object here (`~` and `/` escaped as RFC 6901
    /// says).
    pub fn key(&self, key: &str) -> Pointer {
        let mut out = self.0.clone();
        out.push('/');
        let cut = cut(key, MAX_SEGMENT_CHARS);
        for c in cut.chars() {
            match c {
                '~' => out.push_str("~0"),
                '/' => out.push_str("~1"),
                c => out.push(c),
            }
        }
        if cut.len() < key.len() {
            out.push('…');
        }
        Pointer(out)
    }

    /// The last step, as written in the pointer (`after_unknown`).
    pub fn last(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or("")
    }

    /// The item `index` of the array here.
    pub fn index(&self, index: usize) -> Pointer {
        Pointer(format!("{}/{index}", self.0))
    }
}

/// The root prints as `/`: "at /" reads better in a message than "at ".
impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("/")
        } else {
            f.write_str(&self.0)
        }
    }
}

/// A string quoted for a message, cut when it is long.
pub fn quote(text: &str) -> String {
    let cut = cut(text, MAX_QUOTED_CHARS);
    if cut.len() < text.len() {
        format!("{:?}… ({} bytes)", cut, text.len())
    } else {
        format!("{text:?}")
    }
}

/// What kind of JSON value this is, as a message names it.
pub fn kind(json: &serde_json::Value) -> &'static str {
    match json {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

fn cut(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}
