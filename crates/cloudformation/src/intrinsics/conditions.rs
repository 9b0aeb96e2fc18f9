//! Conditions (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`)
//! and `Fn::If`, which picks a branch by one — or keeps both when the
//! condition cannot be decided before deploy.

use parity_model::Value;
use serde_json::Value as Json;

use super::{Eval, Evaluator, unmark};
use crate::{Error, pointer};

/// How deep conditions may refer to conditions; real templates stay far
/// below, and a chain that long is hostile.
const MAX_DEPTH: usize = 64;

impl Evaluator<'_> {
    /// Evaluates a named condition: `Some(decided)`, or `None` when it
    /// depends on something unknown before deploy.
    pub fn condition(&mut self, name: &str, at: &str) -> Result<Option<bool>, Error> {
        if let Some(decided) = self.assumed(&self.condition_key(name)) {
            return Ok(Some(decided));
        }
        match self.conditions.get(name) {
            Some(Some(decided)) => return Ok(Some(*decided)),
            // Undecided on its own, but an assumption may decide it.
            Some(None) if self.assumptions.is_empty() => return Ok(None),
            _ => {}
        }
        if let Some(decided) = self.assumed_conditions.get(name) {
            return Ok(*decided);
        }
        if self.evaluating.iter().any(|n| n == name) {
            let cycle = [self.evaluating.as_slice(), &[name.to_owned()]]
                .concat()
                .join(" -> ");
            return Err(self.error(at, format!("the conditions form a cycle: {cycle}")));
        }
        if self.evaluating.len() >= MAX_DEPTH {
            return Err(self.error(
                at,
                format!("conditions refer to conditions more than {MAX_DEPTH} deep"),
            ));
        }
        let definition = self
            .section("Conditions")
            .get(name)
            .ok_or_else(|| self.error(at, format!("no condition named {name:?}")))?;
        self.evaluating.push(name.to_owned());
        let decided = self.condition_expression(definition, &pointer::join("/Conditions", name));
        self.evaluating.pop();
        let decided = decided?;
        if decided.is_some() || self.assumptions.is_empty() {
            self.conditions.insert(name.to_owned(), decided);
        } else {
            self.assumed_conditions.insert(name.to_owned(), decided);
        }
        Ok(decided)
    }

    fn condition_expression(&mut self, json: &Json, at: &str) -> Result<Option<bool>, Error> {
        let Some((name, args)) = json
            .as_object()
            .filter(|map| map.len() == 1)
            .and_then(|map| map.iter().next())
        else {
            return Err(self.error(
                at,
                "expected Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition",
            ));
        };
        let at = pointer::join(at, name);
        match name.as_str() {
            "Condition" => {
                let other = args
                    .as_str()
                    .ok_or_else(|| self.error(&at, "expected a condition name"))?;
                self.condition(other, &at)
            }
            "Fn::Equals" => {
                let [a, b] = self.args::<2>(args, &at, "[value, value]")?;
                let a = self.comparable(a, &format!("{at}/0"))?;
                let b = self.comparable(b, &format!("{at}/1"))?;
                Ok(match (a, b) {
                    (Some(a), Some(b)) => Some(a == b),
                    _ => None,
                })
            }
            "Fn::Not" => {
                let [inner] = self.args::<1>(args, &at, "[condition]")?;
                Ok(self
                    .condition_expression(inner, &format!("{at}/0"))?
                    .map(|b| !b))
            }
            "Fn::And" | "Fn::Or" => {
                let items = args
                    .as_array()
                    .filter(|items| !items.is_empty())
                    .ok_or_else(|| self.error(&at, "expected a list of conditions"))?;
                let mut decided = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    decided.push(self.condition_expression(item, &format!("{at}/{i}"))?);
                }
                let short_circuit = name == "Fn::Or";
                Ok(if decided.contains(&Some(short_circuit)) {
                    Some(short_circuit)
                } else if decided.iter().all(Option::is_some) {
                    Some(!short_circuit)
                } else {
                    None
                })
            }
            other => Err(self.error(&at, format!("{other} is not a condition function"))),
        }
    }

    /// What `Fn::Equals` compares: the text of a scalar, or the items of a
    /// list; `None` when that is not known before deploy.
    fn comparable(&mut self, json: &Json, at: &str) -> Result<Option<Vec<String>>, Error> {
        let value = self
            .value_required(json, at)
            .map_err(|stop| self.escaped(stop, at))?;
        let value = unmark(value).0;
        Ok(match value {
            Value::List(items) => items.iter().map(scalar_text).collect(),
            scalar => scalar_text(&scalar).map(|text| vec![text]),
        })
    }

    pub(super) fn if_(&mut self, args: &Json, at: &str) -> Eval<Option<Value>> {
        let [condition, when_true, when_false] =
            self.args::<3>(args, at, "[condition, value if true, value if false]")?;
        let name = condition
            .as_str()
            .ok_or_else(|| self.error(&format!("{at}/0"), "the condition must be a name"))?;
        let (true_at, false_at) = (format!("{at}/1"), format!("{at}/2"));
        match self.condition(name, &format!("{at}/0"))? {
            Some(true) => self.value(when_true, &true_at),
            Some(false) => self.value(when_false, &false_at),
            None => {
                let key = self.condition_key(name);
                self.both_ways(key, at, |this, decided| {
                    if decided {
                        this.value(when_true, &true_at)
                    } else {
                        this.value(when_false, &false_at)
                    }
                })
            }
        }
    }
}

/// The text CloudFormation compares in `Fn::Equals`.
fn scalar_text(value: &Value) -> Option<String> {
    match unmark(value.clone()).0 {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
