//! Property paths inside values: `A.B`, `A[key.with.dots]`, `A.*.B`.

use std::collections::BTreeMap;

use parity_model::Value;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
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
pub fn get<'v>(map: &'v BTreeMap<String, Value>, steps: &[Step]) -> Option<&'v Value> {
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
pub fn set_default(map: &mut BTreeMap<String, Value>, steps: &[Step], value: &Value) {
    let Some((Step::Key(first), rest)) = steps.split_first() else {
        return;
    };
    if rest.is_empty() {
        map.entry(first.clone()).or_insert_with(|| value.clone());
        return;
    }
    if matches!(rest.first(), Some(Step::Each)) {
        if let Some(Value::List(items)) = map.get_mut(first) {
            for item in items {
                if let Value::Map(inner) = item {
                    set_existing_default(inner, &rest[1..], value);
                }
            }
        }
        return;
    }
    let child = map
        .entry(first.clone())
        .or_insert_with(|| Value::Map(BTreeMap::new()));
    if let Value::Map(inner) = child {
        set_default(inner, rest, value);
    }
}

fn set_existing_default(map: &mut BTreeMap<String, Value>, steps: &[Step], value: &Value) {
    match steps {
        [Step::Key(last)] => {
            map.entry(last.clone()).or_insert_with(|| value.clone());
        }
        [Step::Key(first), rest @ ..] => match map.get_mut(first) {
            Some(Value::Map(inner)) => set_existing_default(inner, rest, value),
            Some(Value::List(items)) if matches!(rest.first(), Some(Step::Each)) => {
                for item in items {
                    if let Value::Map(inner) = item {
                        set_existing_default(inner, &rest[1..], value);
                    }
                }
            }
            _ => {}
        },
        _ => {}
    }
}

/// Sets `value` at a path of keys, creating maps on the way, replacing
/// whatever was there.
pub fn set(map: &mut BTreeMap<String, Value>, keys: &[&str], value: Value) {
    let Some((first, rest)) = keys.split_first() else {
        return;
    };
    if rest.is_empty() {
        map.insert((*first).to_owned(), value);
        return;
    }
    let child = map
        .entry((*first).to_owned())
        .or_insert_with(|| Value::Map(BTreeMap::new()));
    if !matches!(child, Value::Map(_)) {
        *child = Value::Map(BTreeMap::new());
    }
    if let Value::Map(inner) = child {
        set(inner, rest, value);
    }
}

#[cfg(test)]
mod tests;
