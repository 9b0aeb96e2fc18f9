//! Where resources are written, for reports that point at the line to edit.
//!
//! A resource the CDK synthesized is located by its construct path: the
//! template in `cdk.out` is not what anyone edits. A resource of a
//! hand-written template is located in that template: the line and column
//! of its logical ID and of each of its top-level properties. Positions are
//! found by one pass over the text, after loading; what that pass cannot
//! place (keys written in YAML flow style, resources `Fn::ForEach` made) is
//! located by its file alone.

use std::collections::{BTreeMap, BTreeSet};

use parity_model::{Locations, Position, ResourceId, ResourceLocation};

use crate::Deployment;
use crate::error::read_text;
use crate::inputs::is_json;

/// Where each resource of a deployment is written, as far as is known.
pub fn locations(deployment: &Deployment) -> Locations {
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
            (Some(path), _) => ResourceLocation {
                construct_path: Some(path.clone()),
                ..Default::default()
            },
            (None, Some((stack, keys))) => {
                let keys = keys.get(logical_id);
                ResourceLocation {
                    file: Some(stack.template.display().to_string()),
                    position: keys.and_then(|k| k.position),
                    properties: keys.map(|k| k.properties.clone()).unwrap_or_default(),
                    construct_path: None,
                }
            }
            (None, None) => continue,
        };
        located.insert(resource.id.clone(), location);
    }
    located
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

    #[test]
    fn json_resources_and_properties_are_placed() {
        let text = "{\n \"Resources\": {\n  \"Queue\": {\n   \"Type\": \"AWS::SQS::Queue\",\n   \"Properties\": {\"DelaySeconds\": 5}\n  }\n }\n}\n";
        let keys = template_positions(text, true);
        assert_eq!(at(&keys, "Queue", None), (3, 3));
        assert_eq!(at(&keys, "Queue", Some("DelaySeconds")), (5, 19));
    }
}
