//! Where resources are written, for reports that point at the line to edit.
//!
//! A resource the CDK synthesized is located by its construct path: the
//! template in `cdk.out` is not what anyone edits. When the cloud assembly
//! holds creation traces (`cdk synth --debug`), it is located in the app as
//! well: at the first frame of its creation inside the app (not in a
//! library, not in node), and a top-level property changed after creation
//! from one other line of the app (a target registered with a service) at
//! that line. The traces name the files where the app was synthesized; they
//! are named here by their path inside the app's folder (the one holding
//! `cdk.json`), joined to that folder as the caller names it when it is
//! given, so that the report is the same wherever the app was synthesized.
//! A resource of a
//! hand-written template is located in that template: the line and column
//! of its logical ID and of each of its top-level properties. Positions are
//! found by one pass over the text, after loading; what that pass cannot
//! place (keys written in YAML flow style, resources `Fn::ForEach` made) is
//! located by its file alone.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use parity_model::{Locations, Position, ResourceId, ResourceLocation, SourceLine};

use crate::Deployment;
use crate::error::read_text;
use crate::inputs::is_json;
use crate::traces::{ConstructTraces, Frame, Traces};

/// Where each resource of a deployment is written, as far as is known.
/// `app` is the CDK app's folder (the one holding `cdk.json`), when known:
/// the app lines of creation traces are named inside it.
pub fn locations(deployment: &Deployment, app: Option<&Path>) -> Locations {
    let app = App::new(&deployment.traces, app);
    let mut located = Locations::default();
    // The stacks with a resource the CDK did not write.
    let hand_written: BTreeSet<&str> = deployment
        .resources
        .iter()
        .filter(|r| r.construct_path.is_none())
        .filter_map(|r| match &r.id {
            ResourceId::CloudFormation { stack, .. } => Some(stack.as_str()),
            ResourceId::Terraform { .. } => None,
        })
        .collect();
    let mut positions = BTreeMap::new();
    for stack in &deployment.stacks {
        if hand_written.contains(stack.name.as_str()) {
            // The file was read moments ago; should it be gone now, its
            // resources are located by their file alone.
            let keys = read_text(&stack.template)
                .map(|text| template_positions(&text, is_json(&text, &stack.template)))
                .unwrap_or_default();
            positions.insert(stack.name.as_str(), (stack, keys));
        }
    }
    for resource in &deployment.resources {
        let ResourceId::CloudFormation { stack, logical_id } = &resource.id else {
            continue;
        };
        let location = match (&resource.construct_path, positions.get(stack.as_str())) {
            (Some(path), _) => {
                let (source, property_sources) = app.sources(path);
                ResourceLocation {
                    construct_path: Some(path.clone()),
                    source,
                    property_sources,
                    ..Default::default()
                }
            }
            (None, Some((stack, keys))) => {
                let keys = keys.get(logical_id);
                ResourceLocation {
                    file: Some(stack.template.display().to_string()),
                    position: keys.and_then(|k| k.position),
                    properties: keys.map(|k| k.properties.clone()).unwrap_or_default(),
                    ..Default::default()
                }
            }
            (None, None) => continue,
        };
        located.insert(resource.id.clone(), location);
    }
    located
}

/// The app's files, as the traces name them and as the report does.
struct App<'a> {
    traces: &'a Traces,
    /// The app's folder on the machine that synthesized, with a trailing
    /// `/` (`\\` read as `/`); `None` without traces.
    synthesized_in: Option<String>,
    /// The app's folder here, as the caller named it.
    here: Option<&'a Path>,
}

impl<'a> App<'a> {
    fn new(traces: &'a Traces, here: Option<&'a Path>) -> Self {
        let paths: BTreeSet<String> = traces.frames().map(|f| slashes(&f.path)).collect();
        // An app folder that holds none of the files the traces name is
        // not the app that was synthesized: it names nothing.
        let by_files = here.and_then(|here| Some((root_by_files(&paths, here)?, here)));
        match by_files {
            Some((root, here)) => App {
                traces,
                synthesized_in: Some(root),
                here: Some(here),
            },
            None => App {
                traces,
                synthesized_in: root_by_layout(&paths),
                here: None,
            },
        }
    }

    /// The app line that created the resource at `construct_path`, and
    /// those that set its properties afterwards, where they differ.
    fn sources(&self, construct_path: &str) -> (Option<SourceLine>, BTreeMap<String, SourceLine>) {
        let Some(traces) = self.traces.get(construct_path) else {
            return (self.made_by_parent(construct_path), BTreeMap::new());
        };
        let source = self
            .first_in_app(&traces.creation)
            .or_else(|| self.made_by_parent(construct_path));
        (
            source.clone(),
            self.property_sources(traces, source.as_ref()),
        )
    }

    /// A resource the CDK made by itself inside a construct (the mount
    /// targets of a file system, the default policy of a role) is where the
    /// nearest construct above it that the app made was created: the
    /// construct itself, or its `Resource` or `Default` child.
    fn made_by_parent(&self, construct_path: &str) -> Option<SourceLine> {
        let mut parent = construct_path;
        while let Some((above, _)) = parent.rsplit_once('/') {
            parent = above;
            let made = [
                parent.to_owned(),
                format!("{parent}/Resource"),
                format!("{parent}/Default"),
            ]
            .iter()
            .filter_map(|path| self.traces.get(path))
            .find_map(|traces| self.first_in_app(&traces.creation));
            if made.is_some() {
                return made;
            }
        }
        None
    }

    /// Each property changed from one line of the app only, other than the
    /// resource's: a property changed from several lines (containers added
    /// one by one) is at the resource's.
    fn property_sources(
        &self,
        traces: &ConstructTraces,
        resource: Option<&SourceLine>,
    ) -> BTreeMap<String, SourceLine> {
        traces
            .properties
            .iter()
            .filter_map(|(name, changes)| {
                let lines: BTreeSet<SourceLine> = changes
                    .iter()
                    .filter_map(|frames| self.first_in_app(frames))
                    .collect();
                let mut lines = lines.into_iter();
                match (lines.next(), lines.next()) {
                    (Some(line), None) if Some(&line) != resource => Some((name.clone(), line)),
                    _ => None,
                }
            })
            .collect()
    }

    /// The first frame inside the app's folder.
    fn first_in_app(&self, frames: &[Frame]) -> Option<SourceLine> {
        let root = self.synthesized_in.as_deref()?;
        frames.iter().find_map(|frame| {
            let inside = slashes(&frame.path).strip_prefix(root)?.to_owned();
            let file = match self.here {
                Some(here) => slashes(&here.join(&inside).display().to_string()),
                None => inside,
            };
            Some(SourceLine {
                file,
                line: frame.line,
                column: frame.column,
            })
        })
    }
}

fn slashes(path: &str) -> String {
    path.replace('\\', "/")
}

/// The app's folder where it was synthesized, from the app's files here:
/// what is left of each frame's path once its longest tail that is a file
/// of the app here is taken away, the most frequent answer.
fn root_by_files(paths: &BTreeSet<String>, here: &Path) -> Option<String> {
    let mut votes: BTreeMap<String, usize> = BTreeMap::new();
    for path in paths {
        let parts: Vec<&str> = path.split('/').collect();
        // A tail is relative: the first part of an absolute path is empty.
        let first = usize::from(parts.first().is_some_and(|p| p.is_empty()));
        let root = (first..parts.len())
            .find(|&start| here.join(parts[start..].join("/")).is_file())
            .map(|start| parts[..start].iter().map(|p| format!("{p}/")).collect());
        if let Some(root) = root {
            *votes.entry(root).or_default() += 1;
        }
    }
    // The most votes; between equals, the shortest root (the first).
    let most = votes.values().copied().max()?;
    votes
        .into_iter()
        .find(|(_, n)| *n == most)
        .map(|(root, _)| root)
}

/// The app's folder where it was synthesized, without the app at hand: the
/// folder holding every file the traces name, less a last `bin` or `src`
/// (where `cdk init` and projen put the entry point next to `cdk.json`).
fn root_by_layout(paths: &BTreeSet<String>) -> Option<String> {
    let folders = paths.iter().map(|path| match path.rsplit_once('/') {
        Some((folder, _)) => folder.split('/').collect::<Vec<_>>(),
        None => Vec::new(),
    });
    let mut common: Option<Vec<&str>> = None;
    for folder in folders {
        common = Some(match common {
            None => folder,
            Some(common) => common
                .iter()
                .zip(&folder)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    let mut common = common?;
    if matches!(common.last(), Some(&("bin" | "src"))) {
        common.pop();
    }
    Some(common.iter().map(|p| format!("{p}/")).collect())
}

/// Where a resource and its top-level properties start in a template.
#[derive(Debug, Default, PartialEq)]
struct Keys {
    position: Option<Position>,
    properties: BTreeMap<String, Position>,
}

/// The resources of a template text, by logical ID.
fn template_positions(text: &str, json: bool) -> BTreeMap<String, Keys> {
    let keys = if json {
        parity_json::key_positions(text.as_bytes(), 4)
            .into_iter()
            .map(|(path, p)| {
                let position = Position {
                    line: p.line,
                    column: p.column,
                };
                (path, position)
            })
            .collect()
    } else {
        yaml_block_keys(text, 4)
    };
    let mut resources: BTreeMap<String, Keys> = BTreeMap::new();
    for (path, position) in keys {
        match path.as_slice() {
            [resources_key, id] if resources_key == "Resources" => {
                resources.entry(id.clone()).or_default().position = Some(position);
            }
            [resources_key, id, properties, name]
                if resources_key == "Resources" && properties == "Properties" =>
            {
                if let Some(keys) = resources.get_mut(id) {
                    keys.properties.insert(name.clone(), position);
                }
            }
            _ => {}
        }
    }
    resources
}

/// The keys of YAML block mappings at most `max_depth` levels deep, with
/// the keys that hold them, by indentation. Keys inside sequences, flow
/// collections and block scalars are not listed.
fn yaml_block_keys(text: &str, max_depth: usize) -> Vec<(Vec<String>, Position)> {
    // Each open block: its indentation and its key (`None`: a sequence item
    // or a block scalar, whose insides are not named).
    let mut open: Vec<(usize, Option<String>)> = Vec::new();
    let mut found = Vec::new();
    // The indentation of the key whose block scalar is being read.
    let mut scalar: Option<usize> = None;
    for (index, line) in text.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        // A block scalar's text is deeper than its key: nothing in it is a key.
        match scalar {
            Some(of) if indent > of => continue,
            _ => scalar = None,
        }
        while open.last().is_some_and(|(i, _)| *i >= indent) {
            open.pop();
        }
        if content.starts_with("- ") || content == "-" {
            open.push((indent, None));
            continue;
        }
        let Some((key, rest)) = yaml_key(content) else {
            continue;
        };
        let inside_sequence = open.iter().any(|(_, k)| k.is_none());
        let depth = open.len() + 1;
        if !inside_sequence && depth <= max_depth {
            let mut path: Vec<String> = open.iter().flat_map(|(_, k)| k.clone()).collect();
            path.push(key.clone());
            found.push((
                path,
                Position {
                    line: index + 1,
                    column: indent + 1,
                },
            ));
        }
        let rest = rest.trim_start();
        if rest.starts_with('|') || rest.starts_with('>') {
            scalar = Some(indent);
        }
        open.push((indent, Some(key)));
    }
    found
}

/// A line's mapping key (plain, single- or double-quoted) and what follows
/// its colon.
fn yaml_key(content: &str) -> Option<(String, &str)> {
    let (key, rest) = match content.chars().next()? {
        quote @ ('"' | '\'') => {
            let end = content[1..].find(quote)? + 1;
            (content[1..end].to_owned(), &content[end + 1..])
        }
        '{' | '[' | '?' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`' => return None,
        _ => {
            let end = content
                .match_indices(':')
                .map(|(at, _)| at)
                .find(|&at| content[at + 1..].is_empty() || content[at + 1..].starts_with(' '))?;
            (content[..end].trim_end().to_owned(), &content[end..])
        }
    };
    let rest = rest.strip_prefix(':')?;
    (rest.is_empty() || rest.starts_with(' ')).then_some((key, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(keys: &BTreeMap<String, Keys>, id: &str, property: Option<&str>) -> (usize, usize) {
        let k = &keys[id];
        let p = property.map_or_else(|| k.position.unwrap(), |p| k.properties[p]);
        (p.line, p.column)
    }

    #[test]
    fn yaml_resources_and_properties_are_placed() {
        let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Description: |
  Resources:
    NotAResource: here
Resources:
  # the queue
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      Tags:
      - Key: a
        Value: b
      \"VisibilityTimeout\": 30
      RedrivePolicy: {deadLetterTargetArn: x}
  Topic: {Type: 'AWS::SNS::Topic'}
  Fn::If:
    Type: x
";
        let keys = template_positions(text, false);
        assert_eq!(at(&keys, "Queue", None), (7, 3));
        assert_eq!(at(&keys, "Queue", Some("Tags")), (10, 7));
        assert_eq!(at(&keys, "Queue", Some("VisibilityTimeout")), (13, 7));
        assert_eq!(at(&keys, "Queue", Some("RedrivePolicy")), (14, 7));
        assert_eq!(keys["Queue"].properties.len(), 3);
        assert_eq!(at(&keys, "Topic", None), (15, 3));
        assert_eq!(at(&keys, "Fn::If", None), (16, 3));
        assert!(!keys.contains_key("NotAResource"));
    }

    fn paths(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|p| (*p).to_owned()).collect()
    }

    #[test]
    fn the_app_folder_is_found_from_the_layout_of_its_files() {
        let root = |list: &[&str]| root_by_layout(&paths(list));
        assert_eq!(
            root(&["/ci/w/infra/lib/api-stack.ts", "/ci/w/infra/bin/app.ts"]),
            Some("/ci/w/infra/".into())
        );
        // The entry point alone: cdk init keeps it in bin/.
        assert_eq!(
            root(&["/ci/w/infra/bin/app.ts"]),
            Some("/ci/w/infra/".into())
        );
        assert_eq!(
            root(&["/ci/w/app/app.py", "/ci/w/app/stacks/api.py"]),
            Some("/ci/w/app/".into())
        );
        assert_eq!(root(&["app.py"]), Some(String::new()));
        assert_eq!(root(&[]), None);
    }

    #[test]
    fn the_app_folder_is_found_from_the_files_of_the_app_here() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/ecs-fargate/cdk");
        let synthesized = paths(&[
            "/elsewhere/checkout/cdk/lib/api-stack.ts",
            "/elsewhere/checkout/cdk/bin/app.ts",
        ]);
        assert_eq!(
            root_by_files(&synthesized, &here),
            Some("/elsewhere/checkout/cdk/".into())
        );
        assert_eq!(root_by_files(&paths(&["/x/other.ts"]), &here), None);
    }

    #[test]
    fn json_resources_and_properties_are_placed() {
        let text = "{\n \"Resources\": {\n  \"Queue\": {\n   \"Type\": \"AWS::SQS::Queue\",\n   \"Properties\": {\"DelaySeconds\": 5}\n  }\n }\n}\n";
        let keys = template_positions(text, true);
        assert_eq!(at(&keys, "Queue", None), (3, 3));
        assert_eq!(at(&keys, "Queue", Some("DelaySeconds")), (5, 19));
    }
}
