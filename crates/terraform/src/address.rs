//! Terraform addresses: resource instances as Terraform prints them, and the
//! references its configuration lists.

/// A resource instance address split into its parts:
/// `module.a["k"].module.b[0].data.aws_x.y[2]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// The module instance steps: each call's name and its key, brackets
    /// included (`["k"]`, `[0]`) or empty.
    pub modules: Vec<(String, String)>,
    pub data: bool,
    pub resource_type: String,
    pub name: String,
    /// The instance key, brackets included, or empty.
    pub key: String,
}

impl Address {
    /// `None` when the text is not a resource instance address.
    pub fn parse(text: &str) -> Option<Address> {
        let segments: Vec<&str> = top_level_segments(text).map(|(_, s)| s).collect();
        let mut rest = segments.as_slice();
        let mut modules = Vec::new();
        while let ["module", call, tail @ ..] = rest {
            let (name, key) = split_key(call)?;
            modules.push((name.to_owned(), key.to_owned()));
            rest = tail;
        }
        let data = matches!(rest, ["data", ..]);
        if data {
            rest = &rest[1..];
        }
        let [resource_type, name] = rest else {
            return None;
        };
        if !is_identifier(resource_type) {
            return None;
        }
        let (name, key) = split_key(name)?;
        Some(Address {
            modules,
            data,
            resource_type: (*resource_type).to_owned(),
            name: name.to_owned(),
            key: key.to_owned(),
        })
    }

    /// The address inside its module, without instance key (`aws_x.y`,
    /// `data.aws_x.y`), as the configuration lists resources.
    pub fn config_address(&self) -> String {
        let data = if self.data { "data." } else { "" };
        format!("{data}{}.{}", self.resource_type, self.name)
    }
}

/// `module.a["k"].module.b.` for these steps.
pub fn module_prefix<S: AsRef<str>>(steps: &[(S, S)]) -> String {
    steps
        .iter()
        .map(|(name, key)| format!("module.{}{}.", name.as_ref(), key.as_ref()))
        .collect()
}

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

/// The same address without the resource's own instance key:
/// `module.a[0].aws_x.y["k"]` → `module.a[0].aws_x.y`.
pub fn without_instance_key(address: &str) -> &str {
    match address.strip_suffix(']') {
        Some(_) => {
            let last = top_level_segments(address).last().map_or(0, |(at, _)| at);
            match address[last..].find('[') {
                Some(open) => &address[..last + open],
                None => address,
            }
        }
        None => address,
    }
}

/// The address with every instance key removed, as states list
/// dependencies: `module.a[0].aws_x.y["k"]` → `module.a.aws_x.y`.
pub fn without_keys(address: &str) -> String {
    top_level_segments(address)
        .map(|(_, segment)| segment.find('[').map_or(segment, |open| &segment[..open]))
        .collect::<Vec<_>>()
        .join(".")
}

/// What a reference in the configuration names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference<'a> {
    /// `var.NAME`
    Variable(&'a str),
    /// `each.value` (`each.key` is a key, never a resource).
    EachValue,
    /// `module.NAME[KEY].OUTPUT`; key and output when given.
    Module {
        name: &'a str,
        key: Option<&'a str>,
        output: Option<&'a str>,
    },
    /// A managed resource or a data source in the same module:
    /// `aws_x.y[0]`, `data.aws_x.y`, key when given.
    Resource {
        data: bool,
        resource_type: &'a str,
        name: &'a str,
        key: &'a str,
    },
    /// `local.`, `count.`, `each.key`, `path.`, `terraform.`, `self.` and
    /// anything else that is not a resource.
    NotAResource,
}

impl<'a> Reference<'a> {
    pub fn parse(text: &'a str) -> Reference<'a> {
        let segments: Vec<&str> = top_level_segments(text).map(|(_, s)| s).collect();
        let first = segments[0];
        let first_name = first.find('[').map_or(first, |open| &first[..open]);
        match (first_name, &segments[1..]) {
            ("var", [name, ..]) => match split_key(name) {
                Some((name, _)) => Reference::Variable(name),
                None => Reference::NotAResource,
            },
            ("each", [value, ..]) if value.starts_with("value") => Reference::EachValue,
            ("module", [call, rest @ ..]) => match split_key(call) {
                Some((name, key)) => Reference::Module {
                    name,
                    key: (!key.is_empty()).then_some(key),
                    output: rest
                        .first()
                        .map(|output| output.find('[').map_or(*output, |open| &output[..open])),
                },
                None => Reference::NotAResource,
            },
            ("data", [resource_type, name, ..]) => match split_key(name) {
                Some((name, key)) if is_identifier(resource_type) => Reference::Resource {
                    data: true,
                    resource_type,
                    name,
                    key,
                },
                _ => Reference::NotAResource,
            },
            ("local" | "count" | "each" | "path" | "terraform" | "self" | "var" | "module", _) => {
                Reference::NotAResource
            }
            (resource_type, [name, ..]) if first == resource_type && is_identifier(first) => {
                match split_key(name) {
                    Some((name, key)) => Reference::Resource {
                        data: false,
                        resource_type,
                        name,
                        key,
                    },
                    None => Reference::NotAResource,
                }
            }
            _ => Reference::NotAResource,
        }
    }
}

/// Whether the text is one instance key, brackets included (`["a.b"]`,
/// `[0]`).
pub fn is_key(text: &str) -> bool {
    text.starts_with('[') && text.ends_with(']') && top_level_segments(text).count() == 1
}

/// `name["k"]` → (`name`, `["k"]`); `name` → (`name`, ``).
fn split_key(segment: &str) -> Option<(&str, &str)> {
    let (name, key) = match segment.find('[') {
        Some(open) => segment.split_at(open),
        None => (segment, ""),
    };
    if !is_identifier(name) || !(key.is_empty() || key.ends_with(']')) {
        return None;
    }
    Some((name, key))
}

fn is_identifier(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
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
mod tests;
