//! Text from the inputs, made harmless for the reader's terminal and
//! viewers: control characters (`ESC` would recolour, retitle or clear a
//! terminal), bidirectional overrides and zero-width characters (which
//! make text read otherwise than it is) are shown escaped, as Rust's
//! `char::escape_debug` shows them: `\u{1b}`, `\u{7}`, `\u{202e}`, `\n`.
//! Every renderer passes what it did not write itself through here; the
//! JSON formats keep such characters as JSON escapes (`\u001b`).

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

/// Whether a character is shown escaped: what `escape_debug` escapes,
/// except the backslash and quotes, which are printable.
fn hidden(c: char) -> bool {
    !matches!(c, '\\' | '\'' | '"') && c.escape_debug().len() > 1
}

/// `text` with every hidden character escaped (`\u{1b}[31m`).
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Like [`visible`], but line breaks stay: for text whose lines the
/// renderer itself broke (a JUnit failure's body).
pub fn visible_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| visible(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Serialized JSON with every hidden character that JSON allows raw in a
/// string (bidirectional overrides, zero-width characters, `DEL`, C1
/// controls) written as a `\uXXXX` escape. JSON's own structure is ASCII
/// below `DEL`, so such characters can only be inside strings.
pub fn json_escaped(json: &str) -> Cow<'_, str> {
    // Below DEL, JSON escapes what strings hold itself, and what is left is
    // the layout's whitespace.
    let raw = |c: char| c >= '\u{7f}' && hidden(c);
    if !json.chars().any(raw) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Writes `value` as pretty JSON, hidden characters as JSON escapes (the
/// text [`json_escaped`] makes of it), straight to `out`: a large report is
/// never held as one string.
pub fn write_json(out: &mut dyn std::io::Write, value: &impl Serialize) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut out, Escaping(PrettyFormatter::new()));
    value.serialize(&mut serializer)?;
    out.flush()
}

/// serde_json's pretty layout, with the hidden characters of strings
/// escaped as [`json_escaped`] escapes them.
struct Escaping<'a>(PrettyFormatter<'a>);

impl Formatter for Escaping<'_> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        writer.write_all(json_escaped(fragment).as_bytes())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests;
