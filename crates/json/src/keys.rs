//! Where the keys of a document are: one pass over the text, for reports
//! that point at the line a user edits.

use crate::Position;

/// Every object key at most `max_depth` levels deep (a top-level key is at
/// depth 1), with the keys of the objects that hold it, in document order,
/// and the position of its opening quote. Columns count characters.
/// Arrays are entered but their items are not named: a key inside an array
/// is not listed. Text that is not JSON gives what was read before it.
pub fn key_positions(bytes: &[u8], max_depth: usize) -> Vec<(Vec<String>, Position)> {
    // Each open container: `Some(key being read)` for objects, `None` for
    // arrays; and whether the next string of an object is a key.
    let mut stack: Vec<Option<String>> = Vec::new();
    let mut expect_key = false;
    let mut found = Vec::new();
    let (mut line, mut column) = (1, 1);
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        match byte {
            b'{' => {
                stack.push(Some(String::new()));
                expect_key = true;
            }
            b'[' => {
                stack.push(None);
                expect_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => expect_key = matches!(stack.last(), Some(Some(_))),
            b'"' => {
                let Some(end) = string_end(bytes, at) else {
                    break;
                };
                if expect_key
                    && stack.len() <= max_depth
                    && stack.iter().all(Option::is_some)
                    && let Ok(key) = serde_json::from_slice::<String>(&bytes[at..end])
                {
                    if let Some(Some(current)) = stack.last_mut() {
                        current.clone_from(&key);
                    }
                    let path = stack.iter().flatten().cloned().collect();
                    found.push((path, Position { line, column }));
                }
                expect_key = false;
                // Strings hold no raw newlines in JSON; count their characters.
                column += bytes[at..end].iter().filter(|&&b| b & 0xC0 != 0x80).count();
                at = end;
                continue;
            }
            _ => {}
        }
        if byte == b'\n' {
            line += 1;
            column = 1;
        } else if byte & 0xC0 != 0x80 {
            column += 1;
        }
        at += 1;
    }
    found
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

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str, depth: usize) -> Vec<(String, usize, usize)> {
        key_positions(text.as_bytes(), depth)
            .into_iter()
            .map(|(path, p)| (path.join("/"), p.line, p.column))
            .collect()
    }

    #[test]
    fn keys_are_found_with_their_line_and_column() {
        let text = "{\n  \"Resources\": {\n    \"Bucket\": {\"Type\": \"é\", \"Properties\": {\"A\": [{\"X\": 1}], \"B\": \"x,{\"}}\n  }\n}";
        assert_eq!(
            keys(text, 4),
            vec![
                ("Resources".into(), 2, 3),
                ("Resources/Bucket".into(), 3, 5),
                ("Resources/Bucket/Type".into(), 3, 16),
                ("Resources/Bucket/Properties".into(), 3, 29),
                ("Resources/Bucket/Properties/A".into(), 3, 44),
                ("Resources/Bucket/Properties/B".into(), 3, 61),
            ]
        );
        assert_eq!(keys(text, 2).len(), 2);
    }

    #[test]
    fn broken_text_gives_what_came_before() {
        assert_eq!(keys("{\"a\": 1, \"b", 3), vec![("a".into(), 1, 2)]);
    }
}
