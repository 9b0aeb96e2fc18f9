//! Where resources are written in the Terraform configuration: the `.tf`
//! files of the root module and of the modules it calls, read with their
//! spans (`hcl-edit`), so that a plan address and a path inside the
//! resource find the file, line and column of the block, the argument, or
//! the object key inside a `jsonencode(…)`, and the module call that built
//! the resource.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use hcl_edit::Span;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body};
use parity_model::{ConfigStep, Location, SourceLine};

use crate::address::Address;

/// How deep module calls are followed: a module that calls itself stops
/// here.
const MAX_MODULE_DEPTH: usize = 32;

/// The configuration's modules, read from a root folder.
#[derive(Debug, Default)]
pub struct SourceTree {
    /// By module key as `terraform init` names them: `""` for the root,
    /// `a`, `a.b` for `module.a.module.b`.
    modules: BTreeMap<String, Module>,
}

#[derive(Debug, Default)]
struct Module {
    files: Vec<SourceFile>,
}

#[derive(Debug)]
struct SourceFile {
    /// As reports show it: the root as given, joined with the path inside.
    name: String,
    text: String,
    body: Body,
}

/// A problem with the configuration's sources: the report goes on without
/// the locations it would have given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceWarning {
    pub file: String,
    /// Line and column from 1, when the problem is at a place in the file.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for SourceWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Where a resource's path was found, and how many of its steps were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub location: Location,
    /// Steps of the path found: 0 is the resource block itself.
    pub depth: usize,
}

/// A place in a file of the tree.
#[derive(Debug, Clone, Copy)]
struct Place<'t> {
    file: &'t SourceFile,
    offset: usize,
}

impl Place<'_> {
    fn source_line(&self) -> SourceLine {
        let (line, column) = line_column(&self.file.text, self.offset);
        SourceLine {
            file: self.file.name.clone(),
            line,
            column: Some(column),
        }
    }
}

impl SourceTree {
    /// Reads the root module in `root` and every module it calls whose
    /// folder is known: a local `source` (`./…`, `../…`) relative to its
    /// caller, or what `.terraform/modules/modules.json` (written by
    /// `terraform init`) says. Files are named as `root` is given joined
    /// with their path inside it. What cannot be read is a warning and
    /// leaves out only what it holds.
    pub fn read(root: &Path) -> (SourceTree, Vec<SourceWarning>) {
        let mut tree = SourceTree::default();
        let mut warnings = Vec::new();
        let shown = |path: &Path| display(&normalize(path));
        if !root.is_dir() {
            warnings.push(SourceWarning {
                file: shown(root),
                position: None,
                message: "not a folder: the Terraform source locations are left out".to_owned(),
            });
            return (tree, warnings);
        }
        let manifest = read_manifest(root, &mut warnings);
        let mut pending = vec![(String::new(), root.to_path_buf(), 0)];
        while let Some((key, dir, depth)) = pending.pop() {
            let module = read_module(&dir, &mut warnings);
            for file in &module.files {
                for block in file.body.get_blocks("module") {
                    let Some(name) = block.labels.first().map(|l| l.as_str().to_owned()) else {
                        continue;
                    };
                    let child = if key.is_empty() {
                        name
                    } else {
                        format!("{key}.{name}")
                    };
                    let source = string_argument(&block.body, "source");
                    let child_dir = match (manifest.get(&child), source) {
                        (Some(dir), _) => root.join(dir),
                        (None, Some(s)) if s.starts_with("./") || s.starts_with("../") => {
                            dir.join(s)
                        }
                        _ => continue,
                    };
                    if depth < MAX_MODULE_DEPTH && !tree.modules.contains_key(&child) {
                        pending.push((child, child_dir, depth + 1));
                    }
                }
            }
            tree.modules.insert(key, module);
        }
        (tree, warnings)
    }

    /// Whether no module was read.
    pub fn is_empty(&self) -> bool {
        self.modules.values().all(|m| m.files.is_empty())
    }

    /// Where the resource at `address` is written, and the deepest of
    /// `paths` (each a path inside it, tried in order; the first of equal
    /// depth wins): the argument, nested block, object key or list item,
    /// else the resource block. For a resource a module builds, the
    /// location's `module_call` is the argument of the call in the root
    /// module that sets it, when the argument is a module input traced up
    /// to the root (`var.x` in the module, `x = …` in the call), else the
    /// call in the root module. `None`
    /// when the resource block is not found.
    pub fn locate(&self, address: &str, paths: &[Vec<ConfigStep>]) -> Option<Located> {
        let address = Address::parse(address)?;
        let mut key = String::new();
        let mut calls = Vec::new();
        for (name, _) in &address.modules {
            calls.push(self.block(&key, "module", &[name])?);
            key = if key.is_empty() {
                name.clone()
            } else {
                format!("{key}.{name}")
            };
        }
        let kind = if address.data { "data" } else { "resource" };
        let (place, block) = self.block(&key, kind, &[&address.resource_type, &address.name])?;
        let mut best = (place, 0);
        for path in paths {
            let found = walk_body(place.file, &block.body, path);
            if found.1 > best.1 {
                best = found;
            }
        }
        let line = best.0.source_line();
        let module_call = calls.first().map(|(root_call, _)| {
            paths
                .iter()
                .find_map(|path| module_input(&block.body, path, &calls))
                .unwrap_or(*root_call)
                .source_line()
        });
        Some(Located {
            location: Location {
                file: Some(line.file),
                line: Some(line.line),
                column: line.column,
                module_call,
                ..Location::default()
            },
            depth: best.1,
        })
    }

    /// The block `kind "labels…"` of a module, with where it starts.
    fn block<'t>(
        &'t self,
        module: &str,
        kind: &str,
        labels: &[&str],
    ) -> Option<(Place<'t>, &'t Block)> {
        self.modules.get(module)?.files.iter().find_map(|file| {
            file.body
                .blocks()
                .filter(|b| b.ident.as_str() == kind)
                .find(|b| b.has_exact_labels(labels))
                .map(|b| (place(file, b.span()), b))
        })
    }
}

fn place(file: &SourceFile, span: Option<std::ops::Range<usize>>) -> Place<'_> {
    Place {
        file,
        offset: span.map_or(0, |s| s.start),
    }
}

/// Follows `path` in a block's body: the place of the last step found, and
/// how many were.
fn walk_body<'t>(file: &'t SourceFile, body: &'t Body, path: &[ConfigStep]) -> (Place<'t>, usize) {
    let Some((step, rest)) = path.split_first() else {
        return (place(file, None), 0);
    };
    let ConfigStep::Key(name) = step else {
        return (place(file, None), 0);
    };
    if let Some(attribute) = body.attributes().find(|a| same_name(a.key.as_str(), name)) {
        let (found, depth) = walk_expr(file, &attribute.value, rest);
        return match found {
            Some(p) => (p, depth + 1),
            None => (place(file, attribute.key.span()), 1),
        };
    }
    let blocks: Vec<&Block> = body
        .blocks()
        .filter(|b| same_name(b.ident.as_str(), name))
        .chain(body.get_blocks("dynamic").filter(|b| {
            b.labels
                .first()
                .is_some_and(|l| same_name(l.as_str(), name))
        }))
        .collect();
    let Some(first) = blocks.first() else {
        return (place(file, None), 0);
    };
    let (block, rest, depth) = match rest.split_first() {
        Some((ConfigStep::Item(words), tail)) => match blocks
            .iter()
            .find(|b| block_key(&content(b).body, words).is_some())
        {
            Some(b) => (*b, tail, 2),
            None => return (place(file, first.span()), 1),
        },
        _ => (*first, rest, 1),
    };
    let body = &content(block).body;
    match walk_body(file, body, rest) {
        (p, d) if d > 0 => (p, d + depth),
        _ => (place(file, block.span()), depth),
    }
}

/// The argument of the root module call that sets the argument at `path`
/// of a module's resource, when it can be traced: the resource's argument
/// is `var.x`, the call of its module sets `x = var.y`, and so on up to the
/// root's call.
fn module_input<'t>(
    body: &'t Body,
    path: &[ConfigStep],
    calls: &[(Place<'t>, &'t Block)],
) -> Option<Place<'t>> {
    let mut body = body;
    let mut value = None;
    for step in path {
        let ConfigStep::Key(name) = step else { break };
        if let Some(a) = body.attributes().find(|a| same_name(a.key.as_str(), name)) {
            value = Some(&a.value);
            break;
        }
        body = &body
            .blocks()
            .find(|b| same_name(b.ident.as_str(), name))?
            .body;
    }
    let mut variable = variable_of(value?)?;
    for (i, (call, block)) in calls.iter().enumerate().rev() {
        let argument = block.body.get_attribute(variable)?;
        if i == 0 {
            return Some(place(call.file, argument.key.span()));
        }
        variable = variable_of(&argument.value)?;
    }
    None
}

/// `x` when an expression is `var.x`.
fn variable_of(expr: &Expression) -> Option<&str> {
    let Expression::Traversal(traversal) = expr else {
        return None;
    };
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    match traversal.operators.as_slice() {
        [op] if root.as_str() == "var" => match op.value() {
            hcl_edit::expr::TraversalOperator::GetAttr(name) => Some(name.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// A `dynamic` block's `content`, else the block.
fn content(block: &Block) -> &Block {
    if block.ident.as_str() == "dynamic" {
        block.body.get_blocks("content").next().unwrap_or(block)
    } else {
        block
    }
}

/// Follows `path` in an expression: the place of the last step found (None
/// when not even the first is), and how many were.
fn walk_expr<'t>(
    file: &'t SourceFile,
    expr: &'t Expression,
    path: &[ConfigStep],
) -> (Option<Place<'t>>, usize) {
    let Some((step, rest)) = path.split_first() else {
        return (None, 0);
    };
    for candidate in values(expr) {
        match (step, candidate) {
            (ConfigStep::Key(name), Expression::Object(object)) => {
                let found = object.iter().find(|(k, _)| match k {
                    ObjectKey::Ident(i) => same_name(i.as_str(), name),
                    ObjectKey::Expression(e) => string_of(e).is_some_and(|s| same_name(&s, name)),
                });
                if let Some((k, v)) = found {
                    let (deeper, depth) = walk_expr(file, v.expr(), rest);
                    return (Some(deeper.unwrap_or(place(file, k.span()))), depth + 1);
                }
            }
            (ConfigStep::Item(words), Expression::Array(array)) => {
                let found = array
                    .iter()
                    .flat_map(values)
                    .find_map(|item| Some((item, item_key(item, words)?)));
                if let Some((item, key)) = found {
                    let (deeper, depth) = walk_expr(file, item, rest);
                    return (Some(deeper.unwrap_or(place(file, key))), depth + 1);
                }
            }
            _ => {}
        }
    }
    (None, 0)
}

/// What an expression can be: itself, or what a function of documents or
/// lists (`jsonencode`, `concat`, …), a parenthesis or a condition gives.
fn values(expr: &Expression) -> Vec<&Expression> {
    match expr {
        Expression::FuncCall(call) => call.args.iter().flat_map(values).collect(),
        Expression::Parenthesis(inner) => values(inner.inner()),
        Expression::Conditional(c) => values(&c.true_expr)
            .into_iter()
            .chain(values(&c.false_expr))
            .collect(),
        other => vec![other],
    }
}

/// Where an object names the item `words` name: the value that is the last
/// word, when each word is one of its values.
fn item_key(expr: &Expression, words: &str) -> Option<Option<std::ops::Range<usize>>> {
    let Expression::Object(object) = expr else {
        return None;
    };
    let mut found = Vec::new();
    for (_, value) in object.iter() {
        scalars(value.expr(), &mut found);
    }
    matching(&found, words)
}

/// Where a block's arguments name the item `words` name, as for objects.
fn block_key(body: &Body, words: &str) -> Option<Option<std::ops::Range<usize>>> {
    let mut found = Vec::new();
    for attribute in body.attributes() {
        scalars(&attribute.value, &mut found);
    }
    matching(&found, words)
}

/// When each word of `words` is one of the values `found`: where the last
/// word is.
fn matching(
    found: &[(String, Option<std::ops::Range<usize>>)],
    words: &str,
) -> Option<Option<std::ops::Range<usize>>> {
    let words: Vec<&str> = words
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let mut at = None;
    for word in &words {
        let (_, span) = found.iter().find(|(f, _)| f.eq_ignore_ascii_case(word))?;
        at = Some(span.clone());
    }
    at
}

/// The literal scalars of a value, and of a list of them, with their spans.
fn scalars(expr: &Expression, out: &mut Vec<(String, Option<std::ops::Range<usize>>)>) {
    let text = match expr {
        Expression::Array(array) => return array.iter().for_each(|e| scalars(e, out)),
        Expression::Number(n) => n.to_string(),
        Expression::Bool(b) => b.to_string(),
        other => match string_of(other) {
            Some(s) => s,
            None => return,
        },
    };
    out.push((text, expr.span()));
}

/// A string literal's text.
fn string_of(expr: &Expression) -> Option<String> {
    match expr {
        Expression::String(s) => Some(s.as_str().to_owned()),
        _ => None,
    }
}

/// Names compared as Terraform and CloudFormation spell them: without case,
/// `_` or `-`.
fn same_name(a: &str, b: &str) -> bool {
    let plain = |s: &str| {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    plain(a) == plain(b)
}

fn string_argument(body: &Body, name: &str) -> Option<String> {
    body.get_attribute(name).and_then(|a| string_of(&a.value))
}

/// The `.tf` files of a folder, in name order.
fn read_module(dir: &Path, warnings: &mut Vec<SourceWarning>) -> Module {
    let shown = display(&normalize(dir));
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            warnings.push(SourceWarning {
                file: shown,
                position: None,
                message: format!("cannot read the module's folder: {e}"),
            });
            return Module::default();
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tf") && p.is_file())
        .collect();
    paths.sort();
    let mut module = Module::default();
    for path in paths {
        let name = display(&normalize(&path));
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                warnings.push(SourceWarning {
                    file: name,
                    position: None,
                    message: format!("cannot read file: {e}"),
                });
                continue;
            }
        };
        match hcl_edit::parser::parse_body(&text) {
            Ok(body) => module.files.push(SourceFile { name, text, body }),
            Err(e) => warnings.push(SourceWarning {
                file: name,
                position: Some((e.location().line(), e.location().column())),
                message: format!("malformed HCL: {}", e.message()),
            }),
        }
    }
    module
}

/// `.terraform/modules/modules.json`: module key → folder, relative to the
/// root. Absent: empty.
fn read_manifest(root: &Path, warnings: &mut Vec<SourceWarning>) -> BTreeMap<String, String> {
    let path = root.join(".terraform").join("modules").join("modules.json");
    let Ok(bytes) = std::fs::read(&path) else {
        return BTreeMap::new();
    };
    let manifest = match parity_json::from_slice(&bytes) {
        Ok(json) => json,
        Err(e) => {
            warnings.push(SourceWarning {
                file: display(&normalize(&path)),
                position: None,
                message: format!("malformed JSON: {e}"),
            });
            return BTreeMap::new();
        }
    };
    manifest["Modules"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| Some((m["Key"].as_str()?.to_owned(), m["Dir"].as_str()?.to_owned())))
        .filter(|(key, _)| !key.is_empty())
        .collect()
}

/// The path without `.` and with `dir/..` folded, as far as the text says.
fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

/// A path with `/` between its parts, whatever the platform.
fn display(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
        .replace("//", "/")
}

/// The line and column (from 1, in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

#[cfg(test)]
mod tests;
