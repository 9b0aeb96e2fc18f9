//! Where a duplicate key is: a second, slower pass over text already known
//! to hold one, run only to write the error.

use std::collections::HashMap;

use crate::{Duplicate, Position};

enum Frame {
    /// An object: the keys seen so far (at which byte), the key being read
    /// or last read, and whether the next string is a key.
    Object {
        keys: HashMap<String, usize>,
        current: Option<String>,
        expect_key: bool,
    },
    /// An array: the index of the item being read.
    Array { index: usize },
}

/// The first key, in document order, that its object already holds.
pub fn first_duplicate(bytes: &[u8]) -> Option<Duplicate> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'{' => stack.push(Frame::Object {
                keys: HashMap::new(),
                current: None,
                expect_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop()?;
            }
            b',' => match stack.last_mut()? {
                Frame::Object { expect_key, .. } => *expect_key = true,
                Frame::Array { index } => *index += 1,
            },
            b'"' => {
                let end = string_end(bytes, at)?;
                if let Some(Frame::Object {
                    keys,
                    current,
                    expect_key: expect_key @ true,
                }) = stack.last_mut()
                {
                    let key: String = serde_json::from_slice(&bytes[at..end]).ok()?;
                    *expect_key = false;
                    if let Some(&first) = keys.get(&key) {
                        let object = pointer(&stack[..stack.len() - 1]);
                        return Some(Duplicate {
                            key: cut(&key),
                            object,
                            first: position(bytes, first),
                            second: position(bytes, at),
                        });
                    }
                    keys.insert(key.clone(), at);
                    *current = Some(key);
                }
                at = end;
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// The byte after the closing quote of the string that starts at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

/// The JSON pointer of the innermost value being read by `frames`.
fn pointer(frames: &[Frame]) -> String {
    let mut out = String::new();
    for frame in frames {
        out.push('/');
        match frame {
            Frame::Object { current, .. } => {
                let key = current.as_deref().unwrap_or_default();
                push_segment(&mut out, key);
            }
            Frame::Array { index } => out.push_str(&index.to_string()),
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Keys longer than this are cut in the pointer: a hostile file must not
/// turn one line of error into megabytes.
const MAX_SEGMENT_CHARS: usize = 80;

/// One key of a pointer, escaped as RFC 6901 says, control characters
/// written as escapes so that the message stays one line.
fn push_segment(out: &mut String, key: &str) {
    for (i, c) in key.chars().enumerate() {
        if i == MAX_SEGMENT_CHARS {
            out.push('…');
            break;
        }
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
}

/// A key for a message: cut when long.
fn cut(key: &str) -> String {
    match key.char_indices().nth(MAX_SEGMENT_CHARS) {
        Some((at, _)) => format!("{}…", &key[..at]),
        None => key.to_owned(),
    }
}

fn position(bytes: &[u8], offset: usize) -> Position {
    let before = &bytes[..offset];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |newline| newline + 1);
    Position {
        line: 1 + before.iter().filter(|&&b| b == b'\n').count(),
        column: 1 + offset - line_start,
    }
}
