//! The structural diff of two canonical property maps: what differs, where,
//! by the list rules of the type.

use std::collections::BTreeSet;

use parity_model::{Status, Value};

use crate::rules::{ListRule, TypeRules};
use crate::values::{self, References, Verdict};

/// One difference, before it gets an area and a severity.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// The path as reports show it: `ContainerDefinitions[api].Environment[LOG_LEVEL]`.
    pub attribute: String,
    /// The path as rules name it: list items are `*`.
    pub pattern: Vec<String>,
    pub status: Status,
    pub terraform: Option<Value>,
    pub cloudformation: Option<Value>,
}

/// Compares two property maps. Paths for which `skip` returns true are left
/// to someone else (IAM policy documents).
pub fn diff_properties(
    terraform: &parity_model::Map,
    cloudformation: &parity_model::Map,
    rules: &TypeRules,
    refs: &References<'_>,
    skip: &dyn Fn(&[String]) -> bool,
) -> Vec<Difference> {
    let differ = Differ { rules, refs, skip };
    let mut out = Vec::new();
    let keys: BTreeSet<&String> = terraform.keys().chain(cloudformation.keys()).collect();
    for key in keys {
        differ.diff(
            terraform.get(key),
            cloudformation.get(key),
            &display_key("", key),
            std::slice::from_ref(key),
            &mut out,
        );
    }
    out.iter_mut().for_each(share_sensitivity);
    out
}

/// A value that either side marks sensitive is sensitive on both: a
/// plaintext password next to Terraform's `(sensitive)` would print the
/// secret Terraform hides. The verdict was reached on the content, so the
/// report still says whether the two differ.
fn share_sensitivity(difference: &mut Difference) {
    let marked = |v: &Option<Value>| v.as_ref().is_some_and(Value::contains_sensitive);
    if !marked(&difference.terraform) && !marked(&difference.cloudformation) {
        return;
    }
    for side in [&mut difference.terraform, &mut difference.cloudformation] {
        // A string whose secret part is masked stays as it is; a structure
        // with some marked parts is marked whole, since which of its
        // unmarked parts stand for the other side's secrets is unknown.
        if let Some(value) = side.take() {
            *side = Some(match value {
                Value::Sensitive(_) | Value::Masked(_) => value,
                other => other.into_sensitive(),
            });
        }
    }
}

struct Differ<'a> {
    rules: &'a TypeRules,
    refs: &'a References<'a>,
    skip: &'a dyn Fn(&[String]) -> bool,
}

impl Differ<'_> {
    fn diff(
        &self,
        tf: Option<&Value>,
        cfn: Option<&Value>,
        display: &str,
        pattern: &[String],
        out: &mut Vec<Difference>,
    ) {
        if (self.skip)(pattern) {
            return;
        }
        let push = |out: &mut Vec<Difference>, status| {
            out.push(Difference {
                attribute: display.to_owned(),
                pattern: pattern.to_vec(),
                status,
                terraform: tf.cloned(),
                cloudformation: cfn.cloned(),
            });
        };
        let (t, c) = match (tf, cfn) {
            (None, None) => return,
            (Some(_), None) => return push(out, Status::OnlyInTerraform),
            (None, Some(_)) => return push(out, Status::OnlyInCdk),
            (Some(t), Some(c)) => (distribute(t), distribute(c)),
        };
        match (t.as_ref(), c.as_ref()) {
            (Value::Map(a), Value::Map(b)) => {
                let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                for key in keys {
                    let mut child = pattern.to_vec();
                    child.push(key.clone());
                    self.diff(
                        a.get(key),
                        b.get(key),
                        &display_key(display, key),
                        &child,
                        out,
                    );
                }
            }
            (Value::List(a), Value::List(b)) => self.lists(a, b, tf, cfn, display, pattern, out),
            // A property that takes a resource by name or by ARN: two
            // references to twin resources are the same resource.
            _ if self.rules.names_a_resource(pattern) && self.refs.same_resource(&t, &c) => {}
            _ => match values::compare(&t, &c, self.refs) {
                Verdict::Equal => {}
                Verdict::Differs => push(out, Status::Differs),
                Verdict::Unverifiable => push(out, Status::Unverifiable),
            },
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the recursion's state, passed down as it is"
    )]
    fn lists(
        &self,
        a: &[Value],
        b: &[Value],
        tf: Option<&Value>,
        cfn: Option<&Value>,
        display: &str,
        pattern: &[String],
        out: &mut Vec<Difference>,
    ) {
        let whole = |out: &mut Vec<Difference>, status| {
            out.push(Difference {
                attribute: display.to_owned(),
                pattern: pattern.to_vec(),
                status,
                terraform: tf.cloned(),
                cloudformation: cfn.cloned(),
            });
        };
        let mut item_pattern = pattern.to_vec();
        item_pattern.push("*".to_owned());
        match self.rules.list(pattern) {
            Some(ListRule::Keyed {
                key,
                value,
                pair_lone,
            }) => self.keyed(
                a,
                b,
                Keyed {
                    key,
                    value: value.as_deref(),
                    pair_lone: *pair_lone,
                },
                display,
                &item_pattern,
                out,
            ),
            Some(ListRule::Ordered) => {
                if a.len() != b.len() {
                    return whole(out, Status::Differs);
                }
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    self.diff(
                        Some(x),
                        Some(y),
                        &format!("{display}[{i}]"),
                        &item_pattern,
                        out,
                    );
                }
            }
            None if a
                .iter()
                .chain(b)
                .any(|v| matches!(v.unmarked().0, Value::Map(_))) =>
            {
                if a.len() != b.len() {
                    return whole(out, Status::Differs);
                }
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    self.diff(
                        Some(x),
                        Some(y),
                        &format!("{display}[{i}]"),
                        &item_pattern,
                        out,
                    );
                }
            }
            // Lists of scalars (subnets, security groups, actions) are sets.
            None => match set_verdict(a, b, self.refs) {
                Verdict::Equal => {}
                verdict => whole(
                    out,
                    if verdict == Verdict::Differs {
                        Status::Differs
                    } else {
                        Status::Unverifiable
                    },
                ),
            },
        }
    }

    fn keyed(
        &self,
        a: &[Value],
        b: &[Value],
        rule: Keyed<'_>,
        display: &str,
        item_pattern: &[String],
        out: &mut Vec<Difference>,
    ) {
        let Keyed { key, pair_lone, .. } = rule;
        let mut unmatched_b: Vec<usize> = (0..b.len()).collect();
        // With `pair_lone`, the items of `a` with no twin in `b`, compared
        // once every item has had its chance at a twin by key.
        let mut unmatched_a: Vec<usize> = Vec::new();
        let mut unverifiable = false;
        for (i, x) in a.iter().enumerate() {
            let found = unmatched_b
                .iter()
                .position(|j| key_verdict(x, &b[*j], key, self.refs) == Verdict::Equal)
                .or_else(|| {
                    unmatched_b
                        .iter()
                        .position(|j| plausible_key(x, &b[*j], key, self.refs))
                });
            let item_display = format!("{display}[{}]", key_text(x, key, i));
            match found {
                Some(at) => {
                    let j = unmatched_b.remove(at);
                    self.diff(
                        rule.payload(x).as_ref(),
                        rule.payload(&b[j]).as_ref(),
                        &item_display,
                        item_pattern,
                        out,
                    );
                }
                None => {
                    if unmatched_b
                        .iter()
                        .any(|j| key_verdict(x, &b[*j], key, self.refs) == Verdict::Unverifiable)
                    {
                        unverifiable = true;
                        continue;
                    }
                    if pair_lone {
                        unmatched_a.push(i);
                    } else {
                        self.diff(
                            rule.payload(x).as_ref(),
                            None,
                            &item_display,
                            item_pattern,
                            out,
                        );
                    }
                }
            }
        }
        if unverifiable {
            // Some items cannot be told apart before deploy: what is left on
            // both sides is reported as one unverifiable list.
            out.push(Difference {
                attribute: display.to_owned(),
                pattern: item_pattern[..item_pattern.len() - 1].to_vec(),
                status: Status::Unverifiable,
                terraform: Some(Value::List(a.to_vec())),
                cloudformation: Some(Value::List(b.to_vec())),
            });
            return;
        }
        if let ([i], [j]) = (unmatched_a.as_slice(), unmatched_b.as_slice())
            && pair_lone
            && !maybe_absent(&b[*j])
        {
            // Whole items: the keys that differ are among what differs.
            self.diff(
                Some(&a[*i]),
                Some(&b[*j]),
                &format!("{display}[{}]", key_text(&a[*i], key, *i)),
                item_pattern,
                out,
            );
            return;
        }
        for i in unmatched_a {
            let x = &a[i];
            self.diff(
                rule.payload(x).as_ref(),
                None,
                &format!("{display}[{}]", key_text(x, key, i)),
                item_pattern,
                out,
            );
        }
        for j in unmatched_b {
            let y = &b[j];
            let name = key_text(y, key, j);
            // An item that exists only under a condition undecided before
            // deploy may or may not be there.
            if maybe_absent(y) {
                out.push(Difference {
                    attribute: format!("{display}[{name}]"),
                    pattern: item_pattern.to_vec(),
                    status: Status::Unverifiable,
                    terraform: None,
                    cloudformation: Some(y.clone()),
                });
                continue;
            }
            self.diff(
                None,
                rule.payload(y).as_ref(),
                &format!("{display}[{name}]"),
                item_pattern,
                out,
            );
        }
    }
}

/// How the items of a keyed list are paired (see [`ListRule::Keyed`]).
#[derive(Clone, Copy)]
struct Keyed<'r> {
    key: &'r [String],
    value: Option<&'r str>,
    pair_lone: bool,
}

impl Keyed<'_> {
    /// What of an item is compared: the whole item, or its `value` field.
    fn payload(&self, item: &Value) -> Option<Value> {
        match self.value {
            Some(name) => field(item, name),
            None => Some(item.clone()),
        }
    }
}

/// Whether an item exists only under a condition undecided before deploy.
pub(crate) fn maybe_absent(item: &Value) -> bool {
    matches!(item.unmarked().0, Value::Conditional(c) if c.branches().iter().any(Option::is_none))
}

/// A sensitive map or list as a map or list of sensitive values, so that
/// what is found inside it stays marked; anything else as it is.
fn distribute(value: &Value) -> std::borrow::Cow<'_, Value> {
    use std::borrow::Cow;
    match value {
        Value::Sensitive(inner) => match inner.unmarked().0 {
            Value::Map(map) => Cow::Owned(Value::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), v.clone().into_sensitive()))
                    .collect(),
            )),
            Value::List(items) => Cow::Owned(Value::List(
                items.iter().map(|v| v.clone().into_sensitive()).collect(),
            )),
            other => Cow::Owned(other.clone().into_sensitive()),
        },
        other => Cow::Borrowed(other),
    }
}

/// A field of a map item, keeping the item's sensitivity mark; of an item
/// that depends on a condition, the field under the same condition.
fn field(item: &Value, name: &str) -> Option<Value> {
    if let Value::Conditional(c) = item.unmarked().0 {
        let [if_true, if_false] = c
            .branches()
            .map(|branch| branch.and_then(|v| field(v, name)));
        return parity_model::Conditional::choose(c.condition.clone(), if_true, if_false);
    }
    let (inner, sensitive) = item.unmarked();
    let value = inner.as_map()?.get(name)?.clone();
    Some(if sensitive {
        value.into_sensitive()
    } else {
        value
    })
}

/// What an item's key is read from: the item, or for an item that depends on
/// a condition, the branch in which it exists.
fn keyed_view(item: &Value) -> &Value {
    match item.unmarked().0 {
        Value::Conditional(c) => c.branches().into_iter().flatten().next().unwrap_or(item),
        _ => item,
    }
}

/// Whether two items have the same key: every key field equal (both absent
/// counts as equal).
fn key_verdict(x: &Value, y: &Value, key: &[String], refs: &References<'_>) -> Verdict {
    let (x, y) = (keyed_view(x), keyed_view(y));
    let mut verdict = Verdict::Equal;
    for field in key {
        let v = match (x.get(field), y.get(field)) {
            (None, None) => Verdict::Equal,
            (Some(p), Some(q)) => values::compare(p, q, refs),
            _ => Verdict::Differs,
        };
        verdict = verdict.max(v);
    }
    verdict
}

/// Whether two items' keys are equal where known, and computed from twin
/// resources where Terraform knows them only after apply.
fn plausible_key(x: &Value, y: &Value, key: &[String], refs: &References<'_>) -> bool {
    let (x, y) = (keyed_view(x), keyed_view(y));
    key.iter().all(|field| match (x.get(field), y.get(field)) {
        (None, None) => true,
        (Some(p), Some(q)) => {
            values::compare(p, q, refs) == Verdict::Equal || refs.plausibly_same(p, q)
        }
        _ => false,
    })
}

/// How an item is named in a path: its key values, separated by spaces, or
/// its position when it has none (a listener's only action, whose `Order`
/// neither side sets).
pub(crate) fn key_text(item: &Value, key: &[String], position: usize) -> String {
    let item = keyed_view(item);
    let parts: Vec<String> = key
        .iter()
        .filter_map(|f| item.get(f))
        .map(|v| v.to_string())
        .collect();
    if parts.is_empty() {
        position.to_string()
    } else {
        parts.join(" ")
    }
}

/// Two lists of scalars as sets.
fn set_verdict(a: &[Value], b: &[Value], refs: &References<'_>) -> Verdict {
    let mut verdict = Verdict::Equal;
    for (xs, ys, terraform_first) in [(a, b, true), (b, a, false)] {
        for x in xs {
            let best = ys
                .iter()
                .map(|y| {
                    if terraform_first {
                        values::compare(x, y, refs)
                    } else {
                        values::compare(y, x, refs)
                    }
                })
                .min()
                .unwrap_or(Verdict::Differs);
            verdict = verdict.max(best);
        }
    }
    verdict
}

/// `Parent.Key`, or `Parent[key]` when the key is not a plain name (map keys
/// such as `awslogs-group` or `deregistration_delay.timeout_seconds`).
pub(crate) fn display_key(parent: &str, key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    match (parent.is_empty(), plain) {
        (true, true) => key.to_owned(),
        (true, false) => format!("[{key}]"),
        (false, true) => format!("{parent}.{key}"),
        (false, false) => format!("{parent}[{key}]"),
    }
}

#[cfg(test)]
mod tests;
