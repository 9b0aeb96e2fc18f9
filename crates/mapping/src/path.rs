//! Property paths inside values: `A.B`, `A[key.with.dots]`, `A.*.B`.
//!
//! `*` is every item of a list; on an object it is the object itself, so
//! that `AliasTarget.*.EvaluateTargetHealth` reaches into an optional
//! object only when there is one.

use parity_model::{Map, Value};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Key(String),
    /// Every item of a list.
    Each,
}

/// Parses `A.B[c.d].*.E`: dots separate keys, brackets hold a key that
/// contains dots, `*` is every item of a list.
pub fn parse(path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']').unwrap_or(inner.len());
            steps.push(Step::Key(inner[..end].to_owned()));
            rest = inner.get(end + 1..).unwrap_or("");
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let key = &rest[..end];
            steps.push(if key == "*" {
                Step::Each
            } else {
                Step::Key(key.to_owned())
            });
            rest = &rest[end..];
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    steps
}

/// The value at a path of keys (`*` is not allowed here), if any.
pub fn get<'v>(map: &'v Map, steps: &[Step]) -> Option<&'v Value> {
    let (Step::Key(first), rest) = steps.split_first()? else {
        return None;
    };
    let value = map.get(first)?;
    if rest.is_empty() {
        return Some(value);
    }
    get(value.unmarked().0.as_map()?, rest)
}

/// Sets `value` at `steps` where nothing is set yet, creating maps on the
/// way; `*` applies to every item of an existing list, and beneath it only
/// where the path already exists (a redirect default must not create a
/// redirect).
pub fn set_default(map: &mut Map, steps: &[Step], value: &Value) {
    let Some((Step::Key(first), rest)) = steps.split_first() else {
        return;
    };
    if rest.is_empty() {
        map.entry(first.clone()).or_insert_with(|| value.clone());
        return;
    }
    if matches!(rest.first(), Some(Step::Each)) {
        if let Some(found) = map.get_mut(first) {
            for_each_item(found, &mut |inner| {
                set_existing_default(inner, &rest[1..], value);
            });
        }
        return;
    }
    let child = map
        .entry(first.clone())
        .or_insert_with(|| Value::Map(Map::new()));
    if let Value::Map(inner) = child {
        set_default(inner, rest, value);
    }
}

fn set_existing_default(map: &mut Map, steps: &[Step], value: &Value) {
    match steps {
        [Step::Key(last)] => {
            map.entry(last.clone()).or_insert_with(|| value.clone());
        }
        [Step::Key(first), Step::Each, rest @ ..] => {
            if let Some(found) = map.get_mut(first) {
                for_each_item(found, &mut |inner| set_existing_default(inner, rest, value));
            }
        }
        [Step::Key(first), rest @ ..] => {
            if let Some(Value::Map(inner)) = map.get_mut(first) {
                set_existing_default(inner, rest, value);
            }
        }
        _ => {}
    }
}

/// Calls `f` with every object item of a list, or with the object itself,
/// behind a sensitivity mark too (which stays on what it marks).
fn for_each_item(value: &mut Value, f: &mut dyn FnMut(&mut Map)) {
    match value {
        Value::List(items) => {
            for item in items {
                match item {
                    Value::Map(inner) => f(inner),
                    Value::Sensitive(inner) => {
                        if let Value::Map(inner) = inner.as_mut() {
                            f(inner);
                        }
                    }
                    _ => {}
                }
            }
        }
        Value::Map(inner) => f(inner),
        Value::Sensitive(inner) => for_each_item(inner, f),
        _ => {}
    }
}

/// Removes every value at `steps` (a path of keys and `*`).
pub fn remove(map: &mut Map, steps: &[Step]) {
    remove_unless(map, steps, &|_| false);
}

/// Removes every value at `steps` (a path of keys and `*`) that `keep`
/// refuses.
pub fn remove_unless(map: &mut Map, steps: &[Step], keep: &dyn Fn(&Value) -> bool) {
    match steps {
        [Step::Key(last)] => {
            let refused = map.get(last).is_some_and(|value| !keep(value));
            if refused {
                map.remove(last);
            }
        }
        [Step::Key(first), Step::Each, rest @ ..] => {
            if let Some(found) = map.get_mut(first) {
                for_each_item(found, &mut |inner| remove_unless(inner, rest, keep));
            }
        }
        [Step::Key(first), rest @ ..] => {
            if let Some(Value::Map(inner)) = map.get_mut(first) {
                remove_unless(inner, rest, keep);
            }
        }
        _ => {}
    }
}

/// Calls `f` with every value at `steps` (a path of keys and `*`).
pub fn for_each_mut(map: &mut Map, steps: &[Step], f: &mut dyn FnMut(&mut Value)) {
    match steps {
        [Step::Key(last)] => {
            if let Some(value) = map.get_mut(last) {
                f(value);
            }
        }
        [Step::Key(first), Step::Each, rest @ ..] => {
            let Some(found) = map.get_mut(first) else {
                return;
            };
            if rest.is_empty() {
                if let Value::List(items) = found {
                    items.iter_mut().for_each(&mut *f);
                }
                return;
            }
            for_each_item(found, &mut |inner| for_each_mut(inner, rest, f));
        }
        [Step::Key(first), rest @ ..] => {
            if let Some(Value::Map(inner)) = map.get_mut(first) {
                for_each_mut(inner, rest, f);
            }
        }
        _ => {}
    }
}

/// Sets `value` at a path of keys, creating maps on the way, replacing
/// whatever was there.
pub fn set(map: &mut Map, keys: &[&str], value: Value) {
    let Some((first, rest)) = keys.split_first() else {
        return;
    };
    if rest.is_empty() {
        map.insert((*first).to_owned(), value);
        return;
    }
    let child = map
        .entry((*first).to_owned())
        .or_insert_with(|| Value::Map(Map::new()));
    if !matches!(child, Value::Map(_)) {
        *child = Value::Map(Map::new());
    }
    if let Value::Map(inner) = child {
        set(inner, rest, value);
    }
}

#[cfg(test)]
mod tests;
