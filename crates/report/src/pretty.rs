//! Values as text: one line for tables, several for diffs of long values.

use parity_model::Value;

/// The one-line form (`Value`'s `Display`: `(sensitive)` for anything
/// marked sensitive).
pub fn inline(value: &Value) -> String {
    value.to_string()
}

/// A unified diff from the Terraform value to the CDK value, each written as
/// indented JSON (through the JSON report's encoding, so sensitive values
/// stay hidden).
pub fn unified_diff(terraform: &Value, cloudformation: &Value) -> Vec<String> {
    let tf = multiline(terraform);
    let cfn = multiline(cloudformation);
    let diff = similar::TextDiff::from_lines(&tf, &cfn);
    let mut lines = vec!["--- Terraform".to_owned(), "+++ CDK".to_owned()];
    for group in diff.grouped_ops(3) {
        let (first, last) = (&group[0], &group[group.len() - 1]);
        let old = first.old_range().start..last.old_range().end;
        let new = first.new_range().start..last.new_range().end;
        lines.push(format!(
            "@@ -{},{} +{},{} @@",
            old.start + 1,
            old.len(),
            new.start + 1,
            new.len()
        ));
        for op in &group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                lines.push(format!("{sign}{}", change.value().trim_end_matches('\n')));
            }
        }
    }
    lines
}

fn multiline(value: &Value) -> String {
    let json = crate::json::value(value);
    let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
    text.push('\n');
    text
}
