//! Terraform resource instance addresses.

/// The module instance part of a resource address:
/// `module.a.module.b["k"].aws_x.y[0]` → `module.a.module.b["k"]`;
/// `None` for the root module.
pub fn module_of(address: &str) -> Option<&str> {
    let mut end = 0;
    let mut segments = top_level_segments(address);
    while let Some((_, "module")) = segments.next() {
        match segments.next() {
            Some((start, name)) => end = start + name.len(),
            None => return None,
        }
    }
    (end > 0).then(|| &address[..end])
}

/// Splits on dots outside brackets and quotes, with each segment's offset.
fn top_level_segments(address: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut segments = Vec::new();
    let (mut depth, mut quoted, mut escaped, mut start) = (0usize, false, false, 0);
    for (i, c) in address.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            '.' if !quoted && depth == 0 => {
                segments.push((start, &address[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    segments.push((start, &address[start..]));
    segments.into_iter()
}

#[cfg(test)]
mod tests {
    use super::module_of;

    #[test]
    fn module_instances_with_keys_and_indexes() {
        assert_eq!(module_of("aws_x.y"), None);
        assert_eq!(module_of("aws_x.y[0]"), None);
        assert_eq!(module_of("module.a.aws_x.y"), Some("module.a"));
        assert_eq!(
            module_of("module.a[0].module.b[\"k.v\"].aws_x.y[\"z\"]"),
            Some("module.a[0].module.b[\"k.v\"]")
        );
        assert_eq!(
            module_of("module.sg[\"awful_example\"].aws_security_group.this"),
            Some("module.sg[\"awful_example\"]")
        );
        assert_eq!(module_of("data.aws_iam_policy_document.x"), None);
    }
}
