//! The value model both loaders produce.

use crate::Map;
use std::fmt;

/// A resolved property value from either side.
///
/// JSON's six kinds, plus what deploy time decides (`Ref`, `Template`,
/// `Unknown`) and a sensitivity mark. Maps are ordered so that everything built
/// from them (reports above all) is deterministic.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    List(Vec<Value>),
    Map(Map),
    /// Another resource of the same side, or one of its attributes.
    Ref(Ref),
    /// A string built from literals and references (`Fn::Join`, `Fn::Sub`,
    /// Terraform interpolation). Never two adjacent literals.
    Template(Vec<TemplatePart>),
    /// Terraform's "known after apply": never equal to anything.
    Unknown(Unknown),
    /// A value that must never be shown: not its text, not a hash of it.
    Sensitive(Box<Value>),
    /// A string only parts of which are secrets (a password inside a
    /// connection string): compared by its whole text, shown with the
    /// secrets as `(sensitive)`.
    Masked(Masked),
    /// One of two values, chosen by a condition only deploy time decides
    /// (CloudFormation `Fn::If` on such a condition): both are kept, never
    /// one silently.
    Conditional(Conditional),
}

/// A string with secrets inside: the whole text, and what may be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Masked {
    /// The whole text, as a `Value::String`.
    pub value: Box<Value>,
    /// The text with each secret replaced by `(sensitive)`.
    pub shown: String,
}

impl Masked {
    /// `text` with every occurrence of each of `secrets` (longest first)
    /// hidden.
    pub fn new<'s>(text: &str, secrets: impl IntoIterator<Item = &'s str>) -> Masked {
        let mut secrets: Vec<&str> = secrets.into_iter().filter(|s| !s.is_empty()).collect();
        secrets.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        // Where each secret is, then the text without what they cover.
        let mut hidden = vec![false; text.len()];
        for secret in secrets {
            for (at, _) in text.match_indices(secret) {
                hidden[at..at + secret.len()]
                    .iter_mut()
                    .for_each(|h| *h = true);
            }
        }
        let mut shown = String::with_capacity(text.len());
        let mut in_secret = false;
        for (at, c) in text.char_indices() {
            if hidden[at] {
                if !in_secret {
                    shown.push_str("(sensitive)");
                }
                in_secret = true;
            } else {
                shown.push(c);
                in_secret = false;
            }
        }
        Masked {
            value: Box::new(Value::String(text.to_owned())),
            shown,
        }
    }
}

/// A reference to a resource of the same side: CloudFormation `Ref` (no
/// attribute) or `Fn::GetAtt`, a Terraform reference `aws_x.y.attr`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ref {
    /// Terraform address or CloudFormation logical ID (stack-qualified when
    /// the deployment has several stacks: `Stack/LogicalId`).
    pub target: String,
    pub attribute: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    Literal(String),
    Ref(Ref),
    /// A part that is itself unknowable before deploy (a Terraform unknown, an
    /// unresolved pseudo-parameter), kept so the template is never completed
    /// with an invented value.
    Unknown(Unknown),
}

/// Terraform's "known after apply", with what the value depends on when the
/// configuration says so.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unknown {
    /// Resource addresses (or pseudo-parameters) the value is computed from.
    pub refs: Vec<String>,
    /// Why a resolution of unknowns (`cargo xtask plan-json`) left this
    /// value unknown, as its record says (a placeholder the provider
    /// refused, with terraform's message); `None` for a plain plan's
    /// unknown, which only apply can know.
    pub reason: Option<String>,
}

/// The two possibilities of a value that depends on an undecided condition.
/// A branch is `None` when the value does not exist in that case
/// (CloudFormation `AWS::NoValue`).
#[derive(Debug, Clone, PartialEq)]
pub struct Conditional {
    /// The condition that decides (stack-qualified when the deployment has
    /// several stacks: `Stack/Condition`).
    pub condition: String,
    pub if_true: Option<Box<Value>>,
    pub if_false: Option<Box<Value>>,
}

impl Conditional {
    /// The value that is `if_true` when `condition` holds and `if_false`
    /// otherwise; when both branches are the same, that branch itself
    /// (`None` when both are absent).
    pub fn choose(
        condition: impl Into<String>,
        if_true: Option<Value>,
        if_false: Option<Value>,
    ) -> Option<Value> {
        if if_true == if_false {
            return if_true;
        }
        Some(Value::Conditional(Conditional {
            condition: condition.into(),
            if_true: if_true.map(Box::new),
            if_false: if_false.map(Box::new),
        }))
    }

    /// Both branches, the one for `true` first.
    pub fn branches(&self) -> [Option<&Value>; 2] {
        [self.if_true.as_deref(), self.if_false.as_deref()]
    }
}

impl Ref {
    pub fn resource(target: impl Into<String>) -> Ref {
        Ref {
            target: target.into(),
            attribute: None,
        }
    }

    pub fn attribute(target: impl Into<String>, attribute: impl Into<String>) -> Ref {
        Ref {
            target: target.into(),
            attribute: Some(attribute.into()),
        }
    }
}

impl From<Ref> for TemplatePart {
    fn from(r: Ref) -> Self {
        TemplatePart::Ref(r)
    }
}

impl From<&str> for TemplatePart {
    fn from(s: &str) -> Self {
        TemplatePart::Literal(s.to_owned())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl Value {
    /// Builds a string from parts, merging adjacent literals; a template with
    /// only literals is a plain string.
    pub fn template(parts: impl IntoIterator<Item = TemplatePart>) -> Value {
        let mut merged: Vec<TemplatePart> = Vec::new();
        for part in parts {
            match (merged.last_mut(), part) {
                (_, TemplatePart::Literal(s)) if s.is_empty() => {}
                (Some(TemplatePart::Literal(prev)), TemplatePart::Literal(s)) => prev.push_str(&s),
                (_, part) => merged.push(part),
            }
        }
        match merged.as_slice() {
            [] => Value::String(String::new()),
            [TemplatePart::Literal(s)] => Value::String(s.clone()),
            _ => Value::Template(merged),
        }
    }

    /// Converts plain JSON (no references, nothing unknown).
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.clone()),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(map) => Some(map),
            _ => None,
        }
    }

    /// The value behind a sensitivity mark, and whether there was one.
    pub fn unmarked(&self) -> (&Value, bool) {
        match self {
            Value::Sensitive(inner) => (inner.unmarked().0, true),
            Value::Masked(masked) => (&masked.value, true),
            other => (other, false),
        }
    }

    /// True when this value or anything inside it is marked sensitive.
    pub fn contains_sensitive(&self) -> bool {
        match self {
            Value::Sensitive(_) | Value::Masked(_) => true,
            Value::List(items) => items.iter().any(Value::contains_sensitive),
            Value::Map(map) => map.values().any(Value::contains_sensitive),
            Value::Conditional(c) => c
                .branches()
                .into_iter()
                .flatten()
                .any(Value::contains_sensitive),
            _ => false,
        }
    }

    /// True when this value or anything inside it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Value::Unknown(_) => true,
            Value::Template(parts) => parts.iter().any(|p| matches!(p, TemplatePart::Unknown(_))),
            Value::Sensitive(inner) => inner.contains_unknown(),
            Value::List(items) => items.iter().any(Value::contains_unknown),
            Value::Map(map) => map.values().any(Value::contains_unknown),
            Value::Conditional(c) => c
                .branches()
                .into_iter()
                .flatten()
                .any(Value::contains_unknown),
            _ => false,
        }
    }

    /// How many leaves (scalars, references, unknowns) are unknown.
    pub fn unknown_leaves(&self) -> usize {
        match self {
            Value::Unknown(_) => 1,
            Value::Template(parts) => parts
                .iter()
                .filter(|p| matches!(p, TemplatePart::Unknown(_)))
                .count(),
            Value::Sensitive(inner) => inner.unknown_leaves(),
            Value::List(items) => items.iter().map(Value::unknown_leaves).sum(),
            Value::Map(map) => map.values().map(Value::unknown_leaves).sum(),
            Value::Conditional(c) => c
                .branches()
                .into_iter()
                .flatten()
                .map(Value::unknown_leaves)
                .sum(),
            _ => 0,
        }
    }

    /// How many leaves are marked sensitive (a mark on a structure counts
    /// each leaf under it; an empty one counts once).
    pub fn sensitive_leaves(&self) -> usize {
        match self {
            Value::Sensitive(inner) => inner.leaves().max(1),
            Value::Masked(_) => 1,
            Value::List(items) => items.iter().map(Value::sensitive_leaves).sum(),
            Value::Map(map) => map.values().map(Value::sensitive_leaves).sum(),
            Value::Conditional(c) => c
                .branches()
                .into_iter()
                .flatten()
                .map(Value::sensitive_leaves)
                .sum(),
            _ => 0,
        }
    }

    fn leaves(&self) -> usize {
        match self {
            Value::List(items) => items.iter().map(Value::leaves).sum(),
            Value::Map(map) => map.values().map(Value::leaves).sum(),
            Value::Sensitive(inner) => inner.leaves(),
            Value::Conditional(c) => c.branches().into_iter().flatten().map(Value::leaves).sum(),
            _ => 1,
        }
    }

    /// What the unknown parts of this value depend on, sorted and without
    /// repeats.
    pub fn unknown_refs(&self) -> Vec<String> {
        let mut out = std::collections::BTreeSet::new();
        self.each_unknown(&mut |u| out.extend(u.refs.iter().cloned()));
        out.into_iter().collect()
    }

    /// Why a resolution of unknowns left the unknown parts of this value
    /// unknown (see [`Unknown::reason`]), sorted and without repeats; empty
    /// when nothing but apply can know them.
    pub fn unknown_reasons(&self) -> Vec<&str> {
        let mut out = std::collections::BTreeSet::new();
        self.each_unknown(&mut |u| out.extend(u.reason.as_deref()));
        out.into_iter().collect()
    }

    /// Calls `f` on every unknown part of this value.
    fn each_unknown<'v>(&'v self, f: &mut dyn FnMut(&'v Unknown)) {
        match self {
            Value::Unknown(u) => f(u),
            Value::Template(parts) => {
                for part in parts {
                    if let TemplatePart::Unknown(u) = part {
                        f(u);
                    }
                }
            }
            Value::Sensitive(inner) => inner.each_unknown(f),
            Value::List(items) => items.iter().for_each(|v| v.each_unknown(f)),
            Value::Map(map) => map.values().for_each(|v| v.each_unknown(f)),
            Value::Conditional(c) => c
                .branches()
                .into_iter()
                .flatten()
                .for_each(|v| v.each_unknown(f)),
            _ => {}
        }
    }

    /// A field of a map, seen through a sensitivity mark.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.unmarked().0.as_map()?.get(key)
    }

    /// Marks the whole value sensitive (idempotent).
    pub fn into_sensitive(self) -> Value {
        match self {
            Value::Sensitive(_) => self,
            other => Value::Sensitive(Box::new(other)),
        }
    }
}

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.attribute {
            Some(attribute) => write!(f, "{}.{attribute}", self.target),
            None => f.write_str(&self.target),
        }
    }
}

/// `(known after apply)`, or `(unknown after resolution)` when a resolution
/// of unknowns left it unknown (the finding's note says why), with what it
/// depends on.
impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.reason {
            None => "known after apply",
            Some(_) => "unknown after resolution",
        };
        if self.refs.is_empty() {
            write!(f, "({what})")
        } else {
            write!(f, "({what}: {})", self.refs.join(", "))
        }
    }
}

/// The one-line human form of a value. A sensitive value prints as
/// `(sensitive)`; this is the only way renderers turn values into text.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::String(s) => f.write_str(s),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Map(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
            Value::Ref(r) => write!(f, "${{{r}}}"),
            Value::Template(parts) => {
                for part in parts {
                    match part {
                        TemplatePart::Literal(s) => f.write_str(s)?,
                        TemplatePart::Ref(r) => write!(f, "${{{r}}}")?,
                        TemplatePart::Unknown(u) => write!(f, "{u}")?,
                    }
                }
                Ok(())
            }
            Value::Unknown(u) => write!(f, "{u}"),
            Value::Sensitive(_) => f.write_str("(sensitive)"),
            Value::Masked(masked) => f.write_str(&masked.shown),
            Value::Conditional(c) => {
                let branch =
                    |v: Option<&Value>| v.map_or_else(|| "(absent)".to_owned(), Value::to_string);
                let [if_true, if_false] = c.branches();
                write!(
                    f,
                    "(if {}: {}; else: {})",
                    c.condition,
                    branch(if_true),
                    branch(if_false)
                )
            }
        }
    }
}

#[cfg(test)]
mod tests;
