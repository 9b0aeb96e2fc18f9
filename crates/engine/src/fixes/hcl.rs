//! Fixes in Terraform's configuration language: the attribute, block or
//! list entry that says what the CDK says, where the mapping table (read
//! backwards) says Terraform writes it.

use parity_mapping::{FoldAction, FoldValue, TerraformType, Written};
use parity_model::{Finding, FindingSide, Map, TemplatePart, Value};

use super::{Change, Context, Item, Step, is_secret, item_of, lower_first, terraform_type};

pub(super) fn fix(
    finding: &Finding,
    own: &FindingSide,
    steps: &[Step<'_>],
    change: Change<'_>,
    context: &Context<'_>,
) -> Option<String> {
    let mut out = Writer {
        own_values: matches!(change, Change::Remove(_)),
        ..Writer::default()
    };
    let body = match (finding.resource_type.as_str(), steps) {
        ("AWS::ECS::TaskDefinition", [container, list, rest @ ..])
            if container.name == "ContainerDefinitions" && list.key.is_some() =>
        {
            let item = container_item(context, container, list, rest, change)?;
            out.comment(&format!(
                "{}: in container_definitions = jsonencode([...]), the container named {}",
                own.resource,
                quoted(container.key?)
            ));
            let entry = object(&item, &mut out, context, &lower_first)?;
            format!("{} = [\n  {entry},\n]", lower_first(list.name))
        }
        ("AWS::IAM::Role", [policies, _]) if policies.name == "Policies" => {
            let value = change_value(change);
            out.comment(&format!(
                "{}: a statement of its policy (data \"aws_iam_policy_document\")",
                own.resource
            ));
            statement(value, &mut out, context)?
        }
        _ if steps.iter().all(|s| s.key.is_none())
            && !writes_at_all(
                context
                    .table
                    .terraform_type(terraform_type(&own.resource)?)?,
                steps.first()?.name,
            ) =>
        {
            // Not an argument of the resource itself: of the piece that
            // Terraform keeps apart and the table folds into it.
            let names: Vec<&str> = steps.iter().map(|s| s.name).collect();
            let (piece_type, piece, parent, path) =
                folded_piece(context, &finding.resource_type, &names)?;
            out.comment(&format!(
                "the {piece_type} whose {parent} is {}",
                own.resource
            ));
            let mut tree = Tree::default();
            tree.add(piece, &path, change_value(change), &mut out, context)?;
            tree.render()?
        }
        _ => {
            let mapping = context
                .table
                .terraform_type(terraform_type(&own.resource)?)?;
            out.comment(&own.resource);
            let mut tree = Tree::default();
            let mut path: Vec<&str> = Vec::new();
            for (i, step) in steps.iter().enumerate() {
                path.push(step.name);
                if step.key.is_none() {
                    continue;
                }
                path.push("*");
                let list = mapping.written(&path)?;
                let Some(Written::Item(block_name)) = list.last() else {
                    return None;
                };
                // Which block of the repeated ones: its key's attributes,
                // or its position.
                match item_of(context.rules, &finding.resource_type, &steps[..=i])? {
                    Item::Keyed { fields, .. } => {
                        for (field, value) in fields {
                            let mut at = path.clone();
                            at.push(&field);
                            tree.add(
                                mapping,
                                &at,
                                &Value::String(value.clone()),
                                &mut out,
                                context,
                            )?;
                        }
                    }
                    Item::Index(n) => out.comment(&format!(
                        "the {} {block_name} block (blocks in order, counted from 1)",
                        ordinal(n + 1)
                    )),
                }
            }
            tree.add(mapping, &path, change_value(change), &mut out, context)?;
            tree.render()?
        }
    };
    Some(match change {
        Change::Set(_) => format!("{}{body}", out.comments),
        Change::Remove(_) => format!(
            "{}# remove (the CDK does not have it):\n{}",
            out.comments,
            commented(&body)
        ),
    })
}

/// Comments gathered while writing (what a placeholder stands for).
#[derive(Default)]
struct Writer {
    comments: String,
    /// The values are this side's own (what to remove): their references
    /// name Terraform resources already.
    own_values: bool,
}

impl Writer {
    fn comment(&mut self, text: &str) {
        for line in text.lines() {
            self.comments.push_str("# ");
            self.comments.push_str(line);
            self.comments.push('\n');
        }
    }
}

fn change_value<'a>(change: Change<'a>) -> &'a Value {
    match change {
        Change::Set(v) | Change::Remove(v) => v,
    }
}

fn commented(body: &str) -> String {
    body.lines()
        .map(|l| format!("# {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A container definition's list item as a map of CloudFormation names:
/// its identity key, and the property that differs (or all of it).
pub(super) fn container_item(
    context: &Context<'_>,
    container: &Step<'_>,
    list: &Step<'_>,
    rest: &[Step<'_>],
    change: Change<'_>,
) -> Option<Map> {
    let value = change_value(change);
    let Item::Keyed { fields, .. } = item_of(
        context.rules,
        "AWS::ECS::TaskDefinition",
        &[*container, *list],
    )?
    else {
        return None;
    };
    let mut item: Map = fields
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    match (rest, value) {
        ([], Value::Map(map)) => item.extend(map.clone()),
        ([], other) if list.name == "Environment" => {
            item.insert("Value".into(), other.clone());
        }
        ([], other) if list.name == "Secrets" => {
            item.insert("ValueFrom".into(), other.clone());
        }
        ([property], other) if property.key.is_none() => {
            item.insert(property.name.to_owned(), other.clone());
        }
        _ => return None,
    }
    (!item.is_empty()).then_some(item)
}

/// Whether an argument of a resource of this type writes anything of the
/// top-level `property` (a block whose sub-arguments are properties of the
/// resource might).
fn writes_at_all(mapping: &TerraformType, property: &str) -> bool {
    mapping.properties.values().any(|m| match m {
        parity_mapping::PropertyMapping::Rename(to) => to == property,
        parity_mapping::PropertyMapping::Full(full) => full
            .to
            .as_ref()
            .is_none_or(|to| to.segments().first() == Some(&property)),
    })
}

/// The Terraform type that the table folds into `resource_type` by
/// setting the property at `path` (a secret's `SecretString` is
/// `secret_string` of an `aws_secretsmanager_secret_version`): the type,
/// its mapping, the argument that names the parent, and the path in its
/// own properties.
fn folded_piece<'c>(
    context: &Context<'c>,
    resource_type: &str,
    path: &[&'c str],
) -> Option<(&'c str, &'c TerraformType, &'c str, Vec<&'c str>)> {
    let (first, rest) = path.split_first()?;
    context.table.terraform_types().find_map(|(name, mapping)| {
        let fold = mapping.fold.as_ref().filter(|f| f.into == resource_type)?;
        let FoldAction::Set(set) = &fold.action else {
            return None;
        };
        let FoldValue::Property(own) = set.get(*first)? else {
            return None;
        };
        if own == "." || own == "@ref" {
            return None;
        }
        let mut inner = vec![own.as_str()];
        inner.extend_from_slice(rest);
        mapping.written(&inner)?;
        let parent = match mapping.written(&[fold.parent.as_str()])?.as_slice() {
            [Written::Attribute(parent)] => *parent,
            _ => return None,
        };
        Some((name, mapping, parent, inner))
    })
}

/// What a fix writes: attributes and nested blocks, in the order written.
#[derive(Default)]
struct Tree {
    entries: Vec<(String, Entry)>,
}

enum Entry {
    Attribute(String),
    Block(Tree),
}

impl Tree {
    /// Writes `value`, the property at `path` (CloudFormation names, `*`
    /// for a list's item), where the table says Terraform writes it: an
    /// object Terraform writes as blocks property by property.
    fn add(
        &mut self,
        mapping: &TerraformType,
        path: &[&str],
        value: &Value,
        out: &mut Writer,
        context: &Context<'_>,
    ) -> Option<()> {
        let written = mapping.written(path);
        match (value, written.as_deref()) {
            (_, Some(steps @ [.., Written::Attribute(_)])) => {
                let text = expression(value, out, context)?;
                self.insert(steps, text)
            }
            (_, Some([before @ .., Written::Spelled { name, values }])) => {
                // Terraform's spelling of the value, where it has another.
                let text = match values.iter().find(|(_, cfn)| spelled_as(value, cfn)) {
                    Some((terraform, _)) => literal(terraform),
                    None => expression(value, out, context)?,
                };
                let mut steps = before.to_vec();
                steps.push(Written::Attribute(name));
                self.insert(&steps, text)
            }
            // A whole list of blocks Terraform repeats: one block per item.
            (Value::List(items), None) if !items.is_empty() => {
                let mut item_path = path.to_vec();
                item_path.push("*");
                let written = mapping.written(&item_path)?;
                let [Written::Item(name), ..] = written.as_slice() else {
                    return None;
                };
                out.comment(&format!("in place of every {name} block"));
                for item in items {
                    let mut one = Tree::default();
                    one.add(mapping, &item_path, item, out, context)?;
                    self.entries.extend(one.entries);
                }
                Some(())
            }
            (Value::Map(map), _) if !map.is_empty() => {
                for (key, v) in map {
                    let mut inner = path.to_vec();
                    inner.push(key);
                    self.add(mapping, &inner, v, out, context)?;
                }
                Some(())
            }
            _ => None,
        }
    }

    fn insert(&mut self, steps: &[Written<'_>], text: String) -> Option<()> {
        match steps {
            [Written::Attribute(name)] => {
                // An item's key written once, though its value holds it too.
                if !self.entries.iter().any(|(n, _)| n == name) {
                    self.entries
                        .push(((*name).to_owned(), Entry::Attribute(text)));
                }
                Some(())
            }
            [Written::Block(name) | Written::Item(name), rest @ ..] => {
                let at = match self
                    .entries
                    .iter()
                    .position(|(n, e)| n == name && matches!(e, Entry::Block(_)))
                {
                    Some(at) => at,
                    None => {
                        self.entries
                            .push(((*name).to_owned(), Entry::Block(Tree::default())));
                        self.entries.len() - 1
                    }
                };
                let Entry::Block(inner) = &mut self.entries[at].1 else {
                    return None;
                };
                inner.insert(rest, text)
            }
            _ => None,
        }
    }

    /// The HCL text; `None` when nothing is written.
    fn render(&self) -> Option<String> {
        (!self.entries.is_empty()).then(|| self.lines().join("\n"))
    }

    fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (name, entry) in &self.entries {
            match entry {
                Entry::Attribute(text) => lines.push(format!("{name} = {text}")),
                Entry::Block(inner) => {
                    lines.extend(block(name, &inner.lines()).lines().map(str::to_owned));
                }
            }
        }
        lines
    }
}

/// Whether `value` is CloudFormation's spelling `cfn` (`null`: not set).
fn spelled_as(value: &Value, cfn: &serde_json::Value) -> bool {
    match (value, cfn) {
        (Value::Null, serde_json::Value::Null) => true,
        (Value::String(s), serde_json::Value::String(c)) => s == c,
        (Value::Bool(b), serde_json::Value::Bool(c)) => b == c,
        (Value::Number(n), serde_json::Value::Number(c)) => n == c,
        _ => false,
    }
}

/// A value as the mapping table writes Terraform's side: a boolean or a
/// number bare, other text quoted.
fn literal(text: &str) -> String {
    if text == "true" || text == "false" || text.parse::<f64>().is_ok() {
        text.to_owned()
    } else {
        string(text)
    }
}

fn block(name: &str, lines: &[String]) -> String {
    let mut text = format!("{name} {{\n");
    for line in lines {
        text.push_str("  ");
        text.push_str(line);
        text.push('\n');
    }
    text.push('}');
    text
}

/// `1` → `1st`, `2` → `2nd`, `11` → `11th`.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// An IAM statement as a `statement` block of `aws_iam_policy_document`.
fn statement(value: &Value, out: &mut Writer, context: &Context<'_>) -> Option<String> {
    let Value::Map(map) = value else {
        return None;
    };
    let mut lines = Vec::new();
    let list = |v: &Value, out: &mut Writer| -> Option<String> {
        match v {
            Value::List(_) => expression(v, out, context),
            other => Some(format!("[{}]", expression(other, out, context)?)),
        }
    };
    for (key, v) in map {
        match key.as_str() {
            "Sid" => lines.push(format!("sid = {}", expression(v, out, context)?)),
            "Effect" => lines.push(format!("effect = {}", expression(v, out, context)?)),
            "Action" => lines.push(format!("actions = {}", list(v, out)?)),
            "NotAction" => lines.push(format!("not_actions = {}", list(v, out)?)),
            "Resource" => lines.push(format!("resources = {}", list(v, out)?)),
            "NotResource" => lines.push(format!("not_resources = {}", list(v, out)?)),
            "Principal" | "NotPrincipal" => {
                let name = if key == "Principal" {
                    "principals"
                } else {
                    "not_principals"
                };
                match v {
                    Value::String(s) if s == "*" => lines.extend(
                        block(
                            name,
                            &[
                                "type = \"*\"".to_owned(),
                                "identifiers = [\"*\"]".to_owned(),
                            ],
                        )
                        .lines()
                        .map(str::to_owned),
                    ),
                    Value::Map(kinds) => {
                        for (kind, ids) in kinds {
                            let inner = [
                                format!("type = {}", string(kind)),
                                format!("identifiers = {}", list(ids, out)?),
                            ];
                            lines.extend(block(name, &inner).lines().map(str::to_owned));
                        }
                    }
                    _ => return None,
                }
            }
            "Condition" => {
                let Value::Map(tests) = v else { return None };
                for (test, variables) in tests {
                    let Value::Map(variables) = variables else {
                        return None;
                    };
                    for (variable, values) in variables {
                        let inner = [
                            format!("test = {}", string(test)),
                            format!("variable = {}", string(variable)),
                            format!("values = {}", list(values, out)?),
                        ];
                        lines.extend(block("condition", &inner).lines().map(str::to_owned));
                    }
                }
            }
            _ => return None,
        }
    }
    Some(block("statement", &lines))
}

/// An object of a JSON document inside `jsonencode`, its keys renamed by
/// `key`.
fn object(
    map: &Map,
    out: &mut Writer,
    context: &Context<'_>,
    key: &dyn Fn(&str) -> String,
) -> Option<String> {
    let mut fields = Vec::new();
    for (k, v) in map {
        let v = match v {
            Value::Map(inner) => object(inner, out, context, key)?,
            other => expression(other, out, context)?,
        };
        fields.push(format!("{} = {v}", key(k)));
    }
    Some(format!("{{ {} }}", fields.join(", ")))
}

/// A value as an HCL expression; references become the Terraform twins'
/// attributes. `None` when a part cannot be written (an unknown, a
/// reference to a resource without a twin).
fn expression(value: &Value, out: &mut Writer, context: &Context<'_>) -> Option<String> {
    Some(match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::List(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|v| expression(v, out, context))
                .collect::<Option<_>>()?;
            format!("[{}]", items.join(", "))
        }
        Value::Map(map) => object(map, out, context, &|k: &str| hcl_key(k))?,
        Value::Ref(r) => reference(r, out, context)?,
        Value::Template(parts) => {
            let mut text = String::from("\"");
            for part in parts {
                match part {
                    TemplatePart::Literal(s) => {
                        let quoted = string(s);
                        text.push_str(&quoted[1..quoted.len() - 1]);
                    }
                    TemplatePart::Ref(r) => {
                        text.push_str("${");
                        text.push_str(&reference(r, out, context)?);
                        text.push('}');
                    }
                    TemplatePart::Unknown(_) => return None,
                }
            }
            text.push('"');
            text
        }
        v if is_secret(v) => {
            out.comment("var.sensitive_value: (sensitive) — the value is not shown; give it here");
            "var.sensitive_value".to_owned()
        }
        Value::Unknown(_) | Value::Conditional(_) | Value::Sensitive(_) | Value::Masked(_) => {
            return None;
        }
    })
}

fn reference(r: &parity_model::Ref, out: &Writer, context: &Context<'_>) -> Option<String> {
    if out.own_values {
        return Some(match &r.attribute {
            Some(a) => format!("{}.{a}", r.target),
            None => r.target.clone(),
        });
    }
    context.terraform_reference(&r.target, r.attribute.as_deref())
}

/// A map key: bare when it is an identifier, else quoted.
fn hcl_key(key: &str) -> String {
    let identifier = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if identifier {
        key.to_owned()
    } else {
        string(key)
    }
}

/// An HCL quoted string: escapes, and `${` / `%{` doubled so that nothing
/// is read as a template.
pub(super) fn string(text: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if super::hidden(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn quoted(text: &str) -> String {
    string(text)
}
