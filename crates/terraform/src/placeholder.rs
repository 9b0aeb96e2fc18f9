//! Placeholders: the stand-ins `cargo xtask plan-json` writes where a fresh
//! plan leaves a value unknown, and how the loader reads them back.
//!
//! A plan for resources that do not exist yet knows none of their ARNs and
//! IDs, and `jsonencode` makes a whole document unknown when one of them is
//! inside. To make such plans comparable, the xtask writes a state in which
//! every unknown value holds a placeholder naming the resource and the
//! attribute, and plans again against it (see `docs/known-after-apply.md`):
//! terraform itself then builds the container definitions and policies, with
//! the placeholders where the ARNs will be.
//!
//! A placeholder is ARN-shaped, because the provider checks that what it is
//! given as an ARN looks like one:
//!
//! ```text
//! arn:aws:iacparity:<region>:000000000000:ref/<address>/<attribute path>
//! arn:aws:iacparity:us-east-1:000000000000:ref/aws_secretsmanager_secret.db/arn
//! arn:aws:iacparity:us-east-1:000000000000:ref/module.api[%22eu%2Fwest%22].aws_iam_role.task[0]/arn
//! ```
//!
//! except where the provider wants anything but an ARN (a role's name where
//! its `id` goes): there it is the same without the ARN's head,
//!
//! ```text
//! iacparity:ref/<address>/<attribute path>
//! iacparity:ref/aws_iam_role.task/id
//! ```
//!
//! - `iacparity` is no AWS service and `000000000000` no AWS account: no
//!   real ARN or ID looks like this.
//! - `<address>` is the resource instance address as Terraform prints it,
//!   every character but ASCII letters, digits and `_ - . [ ]`
//!   percent-encoded (`"` is `%22`, `/` is `%2F`, `%` is `%25`, non-ASCII
//!   characters are their UTF-8 bytes), so that `count` and `for_each` keys
//!   survive whatever they hold.
//! - `<attribute path>` is the attribute (`arn`, `id`, `dns_name`), or a path
//!   into nested blocks (`master_user_secret.0.secret_arn`): segments joined
//!   with `.`, each encoded like the address and with `.` encoded too.
//! - Only the canonical spelling is a placeholder: `%41` for `A` is not.
//!
//! Which spelling a value gets is the xtask's choice; both read the same.
//!
//! Placeholders of other types cannot carry a name: numbers are 1, booleans
//! false, collections empty; the xtask records where it put them (see
//! [`crate::Resolution`]).
//!
//! The loader turns a placeholder back into what it stands for (also as
//! Route 53 escapes it, `iacparity\072ref\057aws_lb.app\057dns_name`, in an
//! alias record's target): a
//! [`Ref`] to the resource's attribute, or a [`Value::template`] part where
//! the placeholder is inside a string (`<placeholder>:username::`), also
//! inside JSON documents held in strings. A placeholder of the resource's
//! own attribute is a value AWS computes that nothing else determines: it
//! stays [`Unknown`], as in the plain plan. Placeholders are recognised
//! where a state value holds one whole, so a placeholder inside a string is
//! found exactly, whatever follows it.
//!
//! A configuration may also take a placeholder apart (`element(split("/",
//! cluster_arn), 1)`, the cluster's name in a real ECS cluster ARN) and
//! build a string from the part: the placeholder's address then stands
//! alone between other text (`service/module.ecs.aws_ecs_cluster.this[0]/api`).
//! What that part of the real ARN holds depends on the resource's ARN
//! format, so it reads as [`Unknown`], computed from that resource, as in
//! the plain plan; the placeholder's text never reads as a value.

use std::collections::{BTreeSet, HashMap};

use parity_model::{Ref, TemplatePart, Unknown, Value};
use serde_json::Value as Json;

use crate::address::Address;
use crate::masks::Segment;

/// The ARN service of every placeholder: no AWS service has this name.
pub const PLACEHOLDER_SERVICE: &str = "iacparity";

/// The ARN account of every placeholder: no AWS account has this number.
pub const PLACEHOLDER_ACCOUNT: &str = "000000000000";

/// What the resource part of a placeholder starts with.
const RESOURCE_PREFIX: &str = "ref/";

/// What a placeholder that is no ARN starts with.
const PLAIN_PREFIX: &str = "iacparity:ref/";

/// A value the resolution of unknowns stands in for: the attribute (at
/// `path`) of the resource instance at `address`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Placeholder {
    /// The resource instance address, as Terraform prints it
    /// (`module.a["k"].aws_x.y[0]`).
    pub address: String,
    /// The attribute, then the steps into nested blocks: attribute names,
    /// list indexes (as digits), map keys.
    pub path: Vec<String>,
}

impl Placeholder {
    pub fn new(address: impl Into<String>, path: Vec<String>) -> Placeholder {
        Placeholder {
            address: address.into(),
            path,
        }
    }

    /// The placeholder's text, an ARN, for a provider configured for
    /// `region`.
    pub fn render(&self, region: &str) -> String {
        format!(
            "arn:aws:{PLACEHOLDER_SERVICE}:{region}:{PLACEHOLDER_ACCOUNT}:{RESOURCE_PREFIX}{}",
            self.encoded()
        )
    }

    /// The placeholder's text where the provider wants no ARN.
    pub fn render_plain(&self) -> String {
        format!("{PLAIN_PREFIX}{}", self.encoded())
    }

    /// `<address>/<attribute path>`, encoded.
    fn encoded(&self) -> String {
        let path: Vec<String> = self.path.iter().map(|s| encode(s, false)).collect();
        format!("{}/{}", encode(&self.address, true), path.join("."))
    }

    /// The placeholder `text` is, whole, in either spelling; `None` when it
    /// is anything else.
    pub fn parse(text: &str) -> Option<Placeholder> {
        match text.strip_prefix(PLAIN_PREFIX) {
            Some(resource) => Self::parse_resource(resource),
            None => Self::parse_arn(text),
        }
    }

    fn parse_arn(text: &str) -> Option<Placeholder> {
        let mut fields = text.splitn(6, ':');
        let (Some("arn"), Some(partition), Some(PLACEHOLDER_SERVICE), Some(region)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return None;
        };
        let (Some(PLACEHOLDER_ACCOUNT), Some(resource)) = (fields.next(), fields.next()) else {
            return None;
        };
        let word = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        if !partition.starts_with("aws") || !word(partition) || !word(region) {
            return None;
        }
        Self::parse_resource(resource.strip_prefix(RESOURCE_PREFIX)?)
    }

    /// `<address>/<attribute path>`.
    fn parse_resource(resource: &str) -> Option<Placeholder> {
        let (address, path) = resource.split_once('/')?;
        let address = decode(address, true)?;
        Address::parse(&address)?;
        let path = path
            .split('.')
            .map(|segment| decode(segment, false))
            .collect::<Option<Vec<_>>>()?;
        Some(Placeholder { address, path })
    }

    /// The attribute as a reference names it: the path's segments joined
    /// with `.` (`arn`, `master_user_secret.0.secret_arn`).
    pub fn attribute(&self) -> String {
        self.path.join(".")
    }
}

/// Whether a byte is written as itself; `.` only in addresses.
fn is_plain(byte: u8, dots: bool) -> bool {
    byte.is_ascii_alphanumeric()
        || matches!(byte, b'_' | b'-' | b'[' | b']')
        || (dots && byte == b'.')
}

fn encode(text: &str, dots: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if is_plain(byte, dots) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The text `encode` made `encoded` from; `None` unless `encoded` is
/// exactly what `encode` writes (so that each placeholder has one
/// spelling).
fn decode(encoded: &str, dots: bool) -> Option<String> {
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = encoded.get(i + 1..i + 3)?;
                if hex.bytes().any(|b| b.is_ascii_lowercase()) {
                    return None;
                }
                let byte = u8::from_str_radix(hex, 16).ok()?;
                if is_plain(byte, dots) {
                    return None;
                }
                out.push(byte);
                i += 3;
            }
            byte if is_plain(byte, dots) => {
                out.push(byte);
                i += 1;
            }
            _ => return None,
        }
    }
    let text = String::from_utf8(out).ok()?;
    (!text.is_empty()).then_some(text)
}

/// Where the next placeholder may start, from `from` on: the next `arn:` or
/// plain prefix, as written or as Route 53 escapes them.
fn next_start(text: &str, from: usize) -> Option<usize> {
    let rest = text.get(from..)?;
    [
        rest.find("arn:"),
        rest.find(PLAIN_PREFIX),
        rest.find("arn\\072"),
        rest.find("iacparity\\072ref\\057"),
    ]
    .into_iter()
    .flatten()
    .min()
    .map(|at| from + at)
}

/// `text` as Route 53 stores a domain name, and the AWS provider an alias
/// target's name: letters in lower case; letters, digits, `-`, `_` and
/// `.` as they are; any other character as `\` and its three-digit octal
/// code (`:` is `\072`). An alias record pointing at a load balancer's DNS
/// name holds its placeholder so.
fn route53_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            'a'..='z' | '0'..='9' | '-' | '_' | '.' => out.push(c),
            c if c.is_ascii() => out.push_str(&format!("\\{:03o}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Whether the `len` bytes of `text` at `at` stand alone as an address
/// (an IP address, a CIDR block): not inside a longer number, name or
/// address.
pub fn stands_alone(text: &str, at: usize, len: usize) -> bool {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == ':';
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    // An address may be followed by a CIDR block's prefix length or by a
    // sentence's full stop, not by more of an address.
    let continues = |c: char| c.is_ascii_alphanumeric() || c == ':';
    !before.is_some_and(part) && !after.is_some_and(continues) && {
        let rest = &text[at + len..];
        !(rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_digit()))
    }
}

/// Whether `text` holds `address` standing alone ([`stands_alone`]).
pub fn contains_address(text: &str, address: &str) -> bool {
    !address.is_empty()
        && text
            .match_indices(address)
            .any(|(at, _)| substitute_stands_alone(text, at, address))
}

/// Whether the typed placeholder `value` at `at` in `text` stands alone: a
/// name spelling (`iacparity-<n>`) is not inside a longer name or number,
/// whatever punctuation follows it (`…/iacparity-1:*`); an address as
/// [`stands_alone`] says.
fn substitute_stands_alone(text: &str, at: usize, value: &str) -> bool {
    if !value.starts_with(NAME_SUBSTITUTE_PREFIX) {
        return stands_alone(text, at, value.len());
    }
    let before = text[..at].chars().next_back();
    let after = text[at + value.len()..].chars().next();
    !before.is_some_and(|c| c.is_ascii_alphanumeric())
        && !after.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// What a typed placeholder spelled as a name starts with: where the
/// provider refuses a placeholder's spelling in a name or an ID (a log
/// group name allows no `:`), `iacparity-<n>`, letters, digits and
/// hyphens only.
pub const NAME_SUBSTITUTE_PREFIX: &str = "iacparity-";

/// Whether a typed placeholder (see [`crate::Resolution`]) is an address
/// (IP, CIDR, a name-safe spelling: unique in the plan, found inside
/// strings) rather than a value of an enumeration (found only where a
/// value is it whole).
pub fn is_address_substitute(value: &str) -> bool {
    value.contains('.') || value.contains(':') || value.starts_with(NAME_SUBSTITUTE_PREFIX)
}

/// What a string holds of a placeholder.
enum Found<'p> {
    /// The placeholder, whole.
    Whole(&'p Placeholder),
    /// The address of a placeholder's resource, cut out of the placeholder
    /// (by `split`, `replace`, a regular expression): a part of the real
    /// value that only apply knows.
    Part(&'p String),
}

/// Whether the `len` bytes at `at` in `text` are a whole part of it cut at
/// any character an encoded address does not hold (`/`, `:`, a space…).
fn fragment_stands_alone(text: &str, at: usize, len: usize) -> bool {
    let in_address = |c: char| c.is_ascii() && (is_plain(c as u8, true) || c == '%');
    !text[..at].chars().next_back().is_some_and(in_address)
        && !text[at + len..].chars().next().is_some_and(in_address)
}

/// The placeholders a document holds, found where a value is one whole.
#[derive(Debug, Default)]
pub struct Placeholders {
    known: HashMap<String, Placeholder>,
    /// The addresses of the known placeholders as their text spells them
    /// (encoded), and the address each spells: what a part of a
    /// placeholder taken apart at `/` or `:` holds.
    fragments: HashMap<String, String>,
    /// The lengths of the known placeholders, longest first.
    lengths: BTreeSet<std::cmp::Reverse<usize>>,
    /// Typed placeholders that are addresses: their text and what each
    /// stands for, longest first.
    addresses: Vec<(String, Placeholder)>,
    /// Typed placeholders that are values of enumerations.
    enums: Vec<(String, Placeholder)>,
}

impl Placeholders {
    pub fn is_empty(&self) -> bool {
        self.known.is_empty() && self.addresses.is_empty() && self.enums.is_empty()
    }

    /// Remembers the typed placeholders of a resolution record.
    pub fn add_substitutes(&mut self, substitutes: &crate::Described) {
        for (address, entries) in substitutes {
            for (path, value) in entries {
                let steps = path
                    .iter()
                    .map(|segment| match segment {
                        Segment::Key(key) => key.clone(),
                        Segment::Index(i) => i.to_string(),
                    })
                    .collect();
                let placeholder = Placeholder::new(address.clone(), steps);
                if is_address_substitute(value) {
                    self.addresses.push((value.clone(), placeholder));
                } else {
                    self.enums.push((value.clone(), placeholder));
                }
            }
        }
        self.addresses
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    }

    /// Replaces, in `value` (an attribute of the resource at `owner`), the
    /// strings that are a typed placeholder of an enumeration whole, when
    /// the attribute's configuration depends on the placeholder's resource
    /// (`depends_on` of its address): elsewhere such a value is the
    /// configuration's own.
    pub fn rewrite_enums(&self, value: &mut Value, owner: &str, depends_on: &dyn Fn(&str) -> bool) {
        match value {
            Value::String(text) => {
                let found = self.enums.iter().find(|(enum_value, placeholder)| {
                    enum_value == text
                        && placeholder.address != owner
                        && depends_on(&placeholder.address)
                });
                if let Some((_, placeholder)) = found {
                    *value = Value::Ref(Ref::attribute(
                        placeholder.address.clone(),
                        placeholder.attribute(),
                    ));
                }
            }
            Value::List(items) => items
                .iter_mut()
                .for_each(|v| self.rewrite_enums(v, owner, depends_on)),
            Value::Map(map) => map
                .values_mut()
                .for_each(|v| self.rewrite_enums(v, owner, depends_on)),
            Value::Sensitive(inner) => self.rewrite_enums(inner, owner, depends_on),
            _ => {}
        }
    }

    /// Remembers every string of `json` (attribute values, as Terraform
    /// wrote them) that is a placeholder.
    pub fn collect(&mut self, json: &Json) {
        match json {
            Json::String(text) => {
                if let Some(placeholder) = Placeholder::parse(text) {
                    self.lengths.insert(std::cmp::Reverse(text.len()));
                    self.fragments
                        .entry(encode(&placeholder.address, true))
                        .or_insert_with(|| placeholder.address.clone());
                    let escaped = route53_escaped(text);
                    if escaped != *text {
                        self.lengths.insert(std::cmp::Reverse(escaped.len()));
                        self.known.insert(escaped, placeholder.clone());
                    }
                    self.known.insert(text.clone(), placeholder);
                }
            }
            Json::Array(items) => items.iter().for_each(|item| self.collect(item)),
            Json::Object(map) => map.values().for_each(|item| self.collect(item)),
            _ => {}
        }
    }

    /// Replaces the placeholders in `value`, a value of the resource at
    /// `owner`, by what they stand for.
    pub fn rewrite(&self, value: &mut Value, owner: &str) {
        if self.is_empty() {
            return;
        }
        match value {
            Value::String(text) => {
                if let Some(rewritten) = self.rewrite_string(text, owner) {
                    *value = rewritten;
                }
            }
            Value::List(items) => items.iter_mut().for_each(|v| self.rewrite(v, owner)),
            Value::Map(map) => map.values_mut().for_each(|v| self.rewrite(v, owner)),
            Value::Sensitive(inner) => self.rewrite(inner, owner),
            _ => {}
        }
    }

    fn rewrite_string(&self, text: &str, owner: &str) -> Option<Value> {
        // Every placeholder found, by where it starts: the longest there.
        let mut found: Vec<(usize, usize, Found<'_>)> = Vec::new();
        let mut search_from = 0;
        while let Some(start) = next_start(text, search_from) {
            search_from = start + 1;
            if let Some((end, placeholder)) = self.longest_at(text, start) {
                found.push((start, end, Found::Whole(placeholder)));
            }
        }
        for (address, placeholder) in &self.addresses {
            for (start, _) in text.match_indices(address.as_str()) {
                if substitute_stands_alone(text, start, address) {
                    found.push((start, start + address.len(), Found::Whole(placeholder)));
                }
            }
        }
        for (encoded, address) in &self.fragments {
            for (start, _) in text.match_indices(encoded.as_str()) {
                if fragment_stands_alone(text, start, encoded.len()) {
                    found.push((start, start + encoded.len(), Found::Part(address)));
                }
            }
        }
        // A part inside a whole placeholder is the placeholder's.
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut parts = Vec::new();
        let mut literal_from = 0;
        for (start, end, what) in found {
            if start < literal_from {
                continue;
            }
            parts.push(TemplatePart::Literal(text[literal_from..start].to_owned()));
            parts.push(match what {
                Found::Whole(placeholder) if placeholder.address == owner => {
                    TemplatePart::Unknown(Unknown::default())
                }
                Found::Whole(placeholder) => TemplatePart::Ref(Ref::attribute(
                    placeholder.address.clone(),
                    placeholder.attribute(),
                )),
                Found::Part(address) if address == owner => {
                    TemplatePart::Unknown(Unknown::default())
                }
                Found::Part(address) => TemplatePart::Unknown(Unknown {
                    refs: vec![address.clone()],
                    reason: None,
                }),
            });
            literal_from = end;
        }
        if parts.is_empty() {
            return None;
        }
        parts.push(TemplatePart::Literal(text[literal_from..].to_owned()));
        Some(match Value::template(parts) {
            Value::Template(parts) if parts.len() == 1 => match parts.into_iter().next() {
                Some(TemplatePart::Ref(r)) => Value::Ref(r),
                Some(TemplatePart::Unknown(u)) => Value::Unknown(u),
                Some(TemplatePart::Literal(text)) => Value::String(text),
                None => Value::String(String::new()),
            },
            other => other,
        })
    }

    /// The longest known placeholder at `start`, and where it ends.
    fn longest_at(&self, text: &str, start: usize) -> Option<(usize, &Placeholder)> {
        self.lengths.iter().find_map(|std::cmp::Reverse(len)| {
            let end = start + len;
            let candidate = text.get(start..end)?;
            self.known.get(candidate).map(|p| (end, p))
        })
    }
}

#[cfg(test)]
mod tests;
