//! `Fn::ForEach` (the `AWS::LanguageExtensions` transform): the loops in
//! `Conditions`, `Resources` and `Outputs` expanded into the entries they
//! make, before anything else reads the template.
//!
//! `"Fn::ForEach::Name": [Identifier, Collection, {OutputKey: Body}]` makes
//! one entry per item of the collection: `${Identifier}` (and `&{Identifier}`,
//! the item without its non-alphanumeric characters) in the output key and
//! in `Fn::Sub` strings, and `Ref: Identifier`, become the item. Loops nest.

use std::path::Path;

use serde_json::{Map, Value as Json};

use crate::{Diagnostic, Error, pointer};

const PREFIX: &str = "Fn::ForEach::";

/// The sections whose entries a loop may make.
const SECTIONS: &[&str] = &["Conditions", "Resources", "Outputs"];

/// Expands every loop of `template`. `collection` gives the items of a
/// collection written as an intrinsic (`!Ref ListParameter`), when they are
/// known before deploy; a loop over a collection only deploy time knows
/// makes nothing and is reported.
pub fn expand(
    template: &mut Map<String, Json>,
    path: &Path,
    collection: &dyn Fn(&Json) -> Option<Vec<String>>,
) -> Result<Vec<Diagnostic>, Error> {
    let mut diagnostics = Vec::new();
    for section in SECTIONS {
        let Some(Json::Object(entries)) = template.get_mut(*section) else {
            continue;
        };
        if !entries.keys().any(|key| key.starts_with(PREFIX)) {
            continue;
        }
        let mut expander = Expander {
            path,
            collection,
            diagnostics: &mut diagnostics,
            out: Map::new(),
        };
        for (key, value) in std::mem::take(entries) {
            let at = pointer::join(&format!("/{section}"), &key);
            if key.starts_with(PREFIX) {
                expander.expand_loop(&value, &at, &[])?;
            } else {
                expander.add(key, value, &at)?;
            }
        }
        *entries = expander.out;
    }
    Ok(diagnostics)
}

struct Expander<'a> {
    path: &'a Path,
    collection: &'a dyn Fn(&Json) -> Option<Vec<String>>,
    diagnostics: &'a mut Vec<Diagnostic>,
    out: Map<String, Json>,
}

impl Expander<'_> {
    fn add(&mut self, key: String, value: Json, at: &str) -> Result<(), Error> {
        if self.out.contains_key(&key) {
            return Err(Error::invalid(
                self.path,
                at,
                format!("{key} is made twice (by Fn::ForEach, or by it and the template)"),
            ));
        }
        self.out.insert(key, value);
        Ok(())
    }

    /// Expands one loop; `outer` holds the items the loops around it stand
    /// at, which its output keys may name too.
    fn expand_loop(&mut self, value: &Json, at: &str, outer: &[(&str, &str)]) -> Result<(), Error> {
        const SHAPE: &str = "Fn::ForEach takes [Identifier, [Collection], {OutputKey: Body}]";
        let Some([identifier, collection, body]) = value.as_array().map(Vec::as_slice) else {
            return Err(Error::invalid(self.path, at, SHAPE));
        };
        let identifier = identifier
            .as_str()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| Error::invalid(self.path, &format!("{at}/0"), SHAPE))?;
        let body = body
            .as_object()
            .ok_or_else(|| Error::invalid(self.path, &format!("{at}/2"), SHAPE))?;
        let items = match collection {
            Json::Array(items) => items
                .iter()
                .map(|item| match item {
                    Json::String(s) => Some(s.clone()),
                    Json::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    Error::invalid(
                        self.path,
                        &format!("{at}/1"),
                        "the collection of Fn::ForEach is a list of strings",
                    )
                })?,
            other => match (self.collection)(other) {
                Some(items) => items,
                None => {
                    self.diagnostics.push(Diagnostic {
                        file: self.path.to_owned(),
                        location: format!("{at}/1"),
                        message: "the collection of Fn::ForEach is not known before deploy; what the loop makes is not loaded".to_owned(),
                    });
                    return Ok(());
                }
            },
        };
        for item in &items {
            let mut bindings = outer.to_vec();
            bindings.push((identifier, item));
            for (key, template) in body {
                let inner_at = pointer::join(&format!("{at}/2"), key);
                let template = substitute(template, identifier, item);
                if key.starts_with(PREFIX) {
                    self.expand_loop(&template, &inner_at, &bindings)?;
                } else {
                    let key = bindings
                        .iter()
                        .fold(key.clone(), |key, (id, item)| replace_in(&key, id, item));
                    self.add(key, template, &inner_at)?;
                }
            }
        }
        Ok(())
    }
}

/// `text` with `${identifier}` replaced by `item` and `&{identifier}` by
/// its alphanumeric characters.
fn replace_in(text: &str, identifier: &str, item: &str) -> String {
    let alphanumeric: String = item.chars().filter(char::is_ascii_alphanumeric).collect();
    text.replace(&format!("${{{identifier}}}"), item)
        .replace(&format!("&{{{identifier}}}"), &alphanumeric)
}

/// A loop body for one item: `Ref: identifier` is the item, and
/// `${identifier}` in `Fn::Sub` strings (unless the `Fn::Sub` defines it).
fn substitute(json: &Json, identifier: &str, item: &str) -> Json {
    match json {
        Json::Object(map) if map.len() == 1 => {
            let (key, value) = map.iter().next().expect("one key");
            match (key.as_str(), value) {
                ("Ref", Json::String(name)) if name == identifier => Json::String(item.to_owned()),
                ("Fn::Sub", Json::String(text)) => {
                    single("Fn::Sub", Json::String(replace_in(text, identifier, item)))
                }
                ("Fn::Sub", Json::Array(args)) if args.len() == 2 => {
                    let defined = args[1]
                        .as_object()
                        .is_some_and(|vars| vars.contains_key(identifier));
                    let text = match &args[0] {
                        Json::String(text) if !defined => {
                            Json::String(replace_in(text, identifier, item))
                        }
                        other => other.clone(),
                    };
                    single(
                        "Fn::Sub",
                        Json::Array(vec![text, substitute(&args[1], identifier, item)]),
                    )
                }
                _ => single(key, substitute(value, identifier, item)),
            }
        }
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), substitute(v, identifier, item)))
                .collect(),
        ),
        Json::Array(items) => Json::Array(
            items
                .iter()
                .map(|v| substitute(v, identifier, item))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn single(key: &str, value: Json) -> Json {
    let mut map = Map::new();
    map.insert(key.to_owned(), value);
    Json::Object(map)
}
