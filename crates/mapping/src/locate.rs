//! Where a canonical attribute is written in Terraform: the mapping table
//! read backwards (`HealthCheckPath` is `health_check { path }`,
//! `ContainerDefinitions[api].Environment[LOG_LEVEL]` the entry of
//! `environment` inside `container_definitions`), through folded pieces
//! too (a role's policy statements are in its `aws_iam_role_policy`), and
//! looked up in the configuration's sources.

use std::collections::BTreeMap;

use parity_model::{ConfigStep, Location};
use parity_terraform::{Address, SourceTree};

use crate::{FoldAction, FoldValue, PropertyMapping, Shape, Table};

/// Locates Terraform resources and their attributes in a configuration.
pub struct TerraformLocator<'a> {
    pub table: &'a Table,
    pub sources: &'a SourceTree,
}

impl TerraformLocator<'_> {
    /// Where `attribute` (canonical) of the resource at `address` is
    /// written: its argument or the deepest part of it that is written,
    /// else, when the resources `folded` into it (Terraform addresses)
    /// write it, there, else the resource block. `None` when the resource
    /// block is not found.
    pub fn locate(&self, address: &str, attribute: &str, folded: &[&str]) -> Option<Location> {
        let paths = Address::parse(address)
            .map(|a| terraform_paths(self.table, &a.resource_type, attribute))
            .unwrap_or_default();
        let own = self.sources.locate(address, &paths)?;
        if own.depth > 0 || attribute.is_empty() {
            return Some(own.location);
        }
        let mut best = own;
        for piece in folded {
            let Some(piece_type) = Address::parse(piece).map(|a| a.resource_type) else {
                continue;
            };
            let paths = folded_paths(self.table, &piece_type, attribute);
            if paths.is_empty() {
                continue;
            }
            if let Some(found) = self.sources.locate(piece, &paths)
                && found.depth > best.depth
            {
                best = found;
            }
        }
        Some(best.location)
    }
}

/// A part of a canonical attribute: a property name, or what brackets hold
/// (a list item's key, a map key that contains dots).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Name(String),
    Select(String),
}

impl Token {
    fn text(&self) -> &str {
        match self {
            Token::Name(s) | Token::Select(s) => s,
        }
    }
}

/// `A.B[k].C[x.y]` → `A`, `B`, `[k]`, `C`, `[x.y]`; brackets nest.
fn tokens(attribute: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut name = String::new();
    let mut chars = attribute.chars();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !name.is_empty() {
                    out.push(Token::Name(std::mem::take(&mut name)));
                }
            }
            '[' => {
                if !name.is_empty() {
                    out.push(Token::Name(std::mem::take(&mut name)));
                }
                let mut depth = 1;
                let mut inner = String::new();
                for c in chars.by_ref() {
                    match c {
                        '[' => depth += 1,
                        ']' => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        break;
                    }
                    inner.push(c);
                }
                out.push(Token::Select(inner));
            }
            c => name.push(c),
        }
    }
    if !name.is_empty() {
        out.push(Token::Name(name));
    }
    out
}

/// The paths in a Terraform resource of `terraform_type` that a canonical
/// attribute can come from, most specific first.
pub fn terraform_paths(
    table: &Table,
    terraform_type: &str,
    attribute: &str,
) -> Vec<Vec<ConfigStep>> {
    let Some(mapping) = table.terraform_type(terraform_type) else {
        return Vec::new();
    };
    reverse(&mapping.properties, &tokens(attribute))
}

/// The paths in a resource of `terraform_type` folded into another that a
/// canonical attribute of that other can come from (`Policies.Statement[…]`
/// of a role is `policy` of an `aws_iam_role_policy`).
fn folded_paths(table: &Table, terraform_type: &str, attribute: &str) -> Vec<Vec<ConfigStep>> {
    let Some(mapping) = table.terraform_type(terraform_type) else {
        return Vec::new();
    };
    let fold = mapping.fold.as_ref().or_else(|| {
        mapping
            .cloudformation
            .as_deref()
            .and_then(|t| table.cloudformation_type(t))
            .and_then(|t| t.fold.as_ref())
    });
    let Some(fold) = fold else {
        return Vec::new();
    };
    let attribute = tokens(attribute);
    let Some((first, rest)) = attribute.split_first() else {
        return Vec::new();
    };
    // What the folded piece's own attribute is, for each value it gives.
    let item_rest = match rest.first() {
        Some(Token::Select(_)) => &rest[1..],
        _ => rest,
    };
    let from_value = |value: &FoldValue, rest: &[Token]| -> Vec<Vec<Token>> {
        let prefixed = |p: &str| match p {
            "@ref" => Vec::new(),
            "." => vec![rest.to_vec()],
            p => vec![
                std::iter::once(Token::Name(p.to_owned()))
                    .chain(rest.iter().cloned())
                    .collect(),
            ],
        };
        match value {
            FoldValue::Property(p) => prefixed(p),
            FoldValue::Map(map) => map.values().flat_map(|p| prefixed(p)).collect(),
        }
    };
    let own: Vec<Vec<Token>> = match &fold.action {
        FoldAction::Append(lists) => lists
            .get(first.text())
            .map(|v| from_value(v, item_rest))
            .unwrap_or_default(),
        FoldAction::Set(properties) => properties
            .get(first.text())
            .map(|v| from_value(v, rest))
            .unwrap_or_default(),
        FoldAction::AppendBy { lists, item, .. } => {
            if lists.values().any(|l| l == first.text()) {
                from_value(item, item_rest)
            } else {
                Vec::new()
            }
        }
    };
    own.iter()
        .filter(|t| !t.is_empty())
        .flat_map(|t| reverse(&mapping.properties, t))
        .collect()
}

/// The Terraform paths whose mapping gives `tokens`.
fn reverse(
    properties: &BTreeMap<String, PropertyMapping>,
    tokens: &[Token],
) -> Vec<Vec<ConfigStep>> {
    let mut found: Vec<(usize, Vec<ConfigStep>)> = Vec::new();
    for (name, mapping) in properties {
        let key = ConfigStep::Key(name.clone());
        match mapping {
            PropertyMapping::Rename(to) => {
                if tokens.first().is_some_and(|t| t.text() == to) {
                    found.push((1, prefixed(key, generic(&tokens[1..]))));
                }
            }
            PropertyMapping::Full(full) => match &full.to {
                None => {
                    for sub in reverse(&full.properties, tokens) {
                        found.push((1, prefixed(key.clone(), sub)));
                    }
                }
                Some(to) => {
                    let segments = to.segments();
                    let matches = segments.len() <= tokens.len()
                        && segments.iter().zip(tokens).all(|(s, t)| *s == t.text());
                    if !matches {
                        continue;
                    }
                    let mut steps = vec![key];
                    let mut rest = &tokens[segments.len()..];
                    if let (Shape::Blocks | Shape::Map | Shape::List, Some(Token::Select(s))) =
                        (full.shape, rest.first())
                    {
                        if full.shape != Shape::List {
                            steps.push(ConfigStep::Item(s.clone()));
                        }
                        rest = &rest[1..];
                    }
                    let nested = if full.properties.is_empty() {
                        Vec::new()
                    } else {
                        reverse(&full.properties, rest)
                    };
                    if nested.is_empty() {
                        steps.extend(generic(rest));
                        found.push((segments.len(), steps));
                    } else {
                        for sub in nested {
                            found.push((segments.len(), [steps.clone(), sub].concat()));
                        }
                    }
                }
            },
        }
    }
    // The mapping that took more of the attribute first; then by name.
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    found.into_iter().map(|(_, steps)| steps).collect()
}

fn prefixed(first: ConfigStep, rest: Vec<ConfigStep>) -> Vec<ConfigStep> {
    std::iter::once(first).chain(rest).collect()
}

/// Tokens past what the table maps, taken as they are: names are keys of
/// a document or block, brackets items of a list.
fn generic(tokens: &[Token]) -> Vec<ConfigStep> {
    tokens
        .iter()
        .map(|t| match t {
            Token::Name(n) => ConfigStep::Key(n.clone()),
            Token::Select(s) => ConfigStep::Item(s.clone()),
        })
        .collect()
}

#[cfg(test)]
mod tests;
