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

    /// The template a `TemplateURL` names: an asset whose hash is the
    /// object key of a literal part of the URL, or a local file (relative to
    /// the parent template) when the URL is a plain path. `None` when the
    /// URL points somewhere these inputs do not hold.
    pub fn template_file(&self, url: &Json, parent: &Path) -> Option<PathBuf> {
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
        match url {
            Json::String(local)
                if !local.contains("://") && !local.contains("{{resolve:") && !local.is_empty() =>
            {
                Some(
                    parent
                        .parent()
                        .unwrap_or(Path::new("."))
                        .join(local.trim_start_matches("file:")),
                )
            }
            _ => None,
        }
    }
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
