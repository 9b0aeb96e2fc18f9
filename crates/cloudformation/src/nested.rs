//! Where a nested stack's template is: `AWS::CloudFormation::Stack` names it
//! by a URL that only exists after the assets are published. CDK's asset
//! manifests (`*.assets.json`) map the object key in that URL (a content
//! hash) to the file beside them; `aws cloudformation package` inputs name
//! a local file instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::Error;
use crate::error::read_json;

/// The file assets of the asset manifests in one folder: hash → file.
#[derive(Debug, Default)]
pub struct Assets {
    files: BTreeMap<String, PathBuf>,
}

impl Assets {
    /// Reads every `*.assets.json` beside `template`.
    pub fn beside(template: &Path) -> Result<Assets, Error> {
        let dir = template.parent().unwrap_or(Path::new("."));
        let mut assets = Assets::default();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(assets);
        };
        let mut manifests: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| {
                path.is_file()
                    && path
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().ends_with(".assets.json"))
            })
            .collect();
        manifests.sort();
        for manifest in manifests {
            let json = read_json(&manifest)?;
            let Some(files) = json.get("files").and_then(Json::as_object) else {
                continue;
            };
            for (hash, file) in files {
                let source = file
                    .get("source")
                    .and_then(|s| s.get("path"))
                    .and_then(Json::as_str);
                if let Some(source) = source {
                    assets.files.insert(hash.clone(), dir.join(source));
                }
            }
        }
        Ok(assets)
    }

    /// The CDK asset a `TemplateURL` names: an asset whose hash is the
    /// object key of a literal part of the URL.
    fn asset(&self, url: &Json) -> Option<PathBuf> {
        let mut literals = Vec::new();
        strings(url, &mut literals);
        for literal in &literals {
            let object = literal.rsplit('/').next().unwrap_or(literal);
            let object = object.split('?').next().unwrap_or(object);
            let key = object
                .rsplit_once('.')
                .map_or(object, |(stem, _extension)| stem);
            if let Some(file) = self.files.get(key).or_else(|| self.files.get(object)) {
                return Some(file.clone());
            }
        }
        None
    }
}

/// Where a nested stack's template was found.
#[derive(Debug, PartialEq, Eq)]
pub enum Location {
    /// A local file: a CDK asset, a path as `aws cloudformation package`
    /// takes it, or the file an S3 URL's object key names.
    File(PathBuf),
    /// The URL names an object (by this key) that no folder looked in holds.
    NotFound(String),
    /// The URL names no file before deploy (`{{resolve:ssm:…}}`, a
    /// parameter).
    Unnamed,
}

/// Finds the template a `TemplateURL` names: a CDK asset beside the parent;
/// a local path, relative to the parent; else the object an S3 URL names
/// (virtual-hosted, path-style or `s3://`, literal or built with `Fn::Sub`
/// or `Fn::Join`), by the longest end of its key that is a file next to
/// the parent template or in one of `dirs`.
pub fn locate(url: &Json, parent: &Path, assets: &Assets, dirs: &[PathBuf]) -> Location {
    if let Some(file) = assets.asset(url) {
        return Location::File(file);
    }
    let beside = parent.parent().unwrap_or(Path::new("."));
    if let Json::String(local) = url
        && is_local_path(local)
    {
        return Location::File(beside.join(local.trim_start_matches("file:")));
    }
    let Some(key) = object_key(url) else {
        return Location::Unnamed;
    };
    let segments: Vec<&str> = key.split('/').filter(|s| !s.is_empty()).collect();
    for start in 0..segments.len() {
        let relative: PathBuf = segments[start..].iter().collect();
        for dir in std::iter::once(beside).chain(dirs.iter().map(PathBuf::as_path)) {
            let candidate = dir.join(&relative);
            if candidate.is_file() {
                return Location::File(candidate);
            }
        }
    }
    Location::NotFound(key)
}

/// A path as `aws cloudformation package` takes it, not a URL.
fn is_local_path(text: &str) -> bool {
    !text.is_empty()
        && !text.contains("://")
        && !text.contains("{{resolve:")
        && !text.starts_with("s3:")
}

/// The object key an S3 URL names, as far as it is written out: of a
/// literal URL, its key; of one built with `Fn::Sub` or `Fn::Join`, the
/// literal text after the last part only deploy time knows (the bucket or a
/// key prefix, usually).
pub fn object_key(url: &Json) -> Option<String> {
    let text = match url {
        Json::String(text) => text.clone(),
        Json::Object(map) if map.len() == 1 => {
            let (function, args) = map.iter().next().expect("one key");
            match (function.as_str(), args) {
                ("Fn::Sub", Json::String(text)) => sub_tail(text),
                ("Fn::Sub", Json::Array(args)) => {
                    // Variables the Sub defines as literal text are text.
                    let mut text = args.first()?.as_str()?.to_owned();
                    if let Some(Json::Object(variables)) = args.get(1) {
                        for (name, value) in variables {
                            if let Json::String(value) = value {
                                text = text.replace(&format!("${{{name}}}"), value);
                            }
                        }
                    }
                    sub_tail(&text)
                }
                ("Fn::Join", Json::Array(args)) if args.len() == 2 => {
                    let delimiter = args[0].as_str()?;
                    let items = args[1].as_array()?;
                    let literal: Vec<&str> = items
                        .iter()
                        .rev()
                        .map_while(Json::as_str)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    let mut text = literal.join(delimiter);
                    if literal.len() < items.len() {
                        text.insert_str(0, delimiter);
                    }
                    text
                }
                _ => return None,
            }
        }
        _ => return None,
    };
    if text.contains("{{resolve:") {
        return None;
    }
    let text = text.split(['?', '#']).next().unwrap_or_default();
    let key = if let Some(rest) = text.strip_prefix("s3://") {
        rest.split_once('/')?.1.to_owned()
    } else if let Some((_, rest)) = text.split_once("://") {
        let (host, path) = rest.split_once('/')?;
        // Path-style: the bucket is the first segment of the path.
        if host.starts_with("s3.") || host.starts_with("s3-") {
            path.split_once('/')?.1.to_owned()
        } else {
            path.to_owned()
        }
    } else {
        // The end of a URL whose start only deploy time knows: past the
        // host (`.s3.${AWS::Region}.amazonaws.com/…`), it is the key.
        match text.split_once('/') {
            Some((host, path)) if host.contains(".amazonaws.com") || host.contains(".com.cn") => {
                path.to_owned()
            }
            _ => text.to_owned(),
        }
    };
    let key = key.trim_start_matches('/').to_owned();
    let named = key.rsplit('/').next().is_some_and(|name| !name.is_empty());
    named.then_some(key)
}

/// The text of an `Fn::Sub` string after its last variable.
fn sub_tail(text: &str) -> String {
    let mut tail = text;
    while let Some(start) = tail.find("${") {
        let after = &tail[start + 2..];
        let Some(end) = after.find('}') else {
            break;
        };
        tail = &after[end + 1..];
    }
    tail.to_owned()
}

/// Every string inside a JSON value, intrinsics included.
fn strings<'j>(json: &'j Json, out: &mut Vec<&'j str>) {
    match json {
        Json::String(s) => out.push(s),
        Json::Array(items) => items.iter().for_each(|item| strings(item, out)),
        Json::Object(map) => map.values().for_each(|value| strings(value, out)),
        _ => {}
    }
}
