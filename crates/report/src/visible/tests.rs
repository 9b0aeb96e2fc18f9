use super::*;

#[test]
fn control_bidi_and_zero_width_characters_are_escaped() {
    assert_eq!(visible("\x1b[31mred\x1b[0m"), "\\u{1b}[31mred\\u{1b}[0m");
    assert_eq!(visible("\x1b]0;title\x07"), "\\u{1b}]0;title\\u{7}");
    assert_eq!(
        visible("a\u{202e}b\u{200b}c\u{feff}"),
        "a\\u{202e}b\\u{200b}c\\u{feff}"
    );
    assert_eq!(visible("line\nbreak\ttab\r"), "line\\nbreak\\ttab\\r");
    assert_eq!(visible("\u{7f}\u{9b}"), "\\u{7f}\\u{9b}");
}

#[test]
fn printable_text_is_kept_as_it_is() {
    for text in [
        "plain",
        "C:\\path \"quoted\" 'single'",
        "日本語 ✓ émoji 🚀",
        "<b>@team</b> | `code`",
    ] {
        assert!(
            matches!(visible(text), Cow::Borrowed(t) if t == text),
            "{text}"
        );
    }
}

#[test]
fn lines_the_renderer_broke_stay_broken() {
    assert_eq!(visible_lines("a\x1b\nb\u{202e}"), "a\\u{1b}\nb\\u{202e}");
}

#[test]
fn json_keeps_hidden_characters_as_json_escapes() {
    let json = serde_json::to_string("x\x1b\u{202e}\u{200b}\u{7f}\u{1d11e}").unwrap();
    let escaped = json_escaped(&json);
    assert_eq!(escaped, "\"x\\u001b\\u202e\\u200b\\u007f\u{1d11e}\"");
    let back: String = serde_json::from_str(&escaped).unwrap();
    assert_eq!(back, "x\x1b\u{202e}\u{200b}\u{7f}\u{1d11e}");
    // The layout's line breaks are no string's.
    let pretty = serde_json::to_string_pretty(&["a\u{202e}"]).unwrap();
    assert_eq!(json_escaped(&pretty), "[\n  \"a\\u202e\"\n]");
}
