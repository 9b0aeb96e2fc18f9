//! The words of an entity's names, as a person reads them to tell which is
//! which: the Terraform address (module names, resource names, `for_each`
//! keys), the CDK construct path and logical ID (hash suffix removed), and
//! the physical names and named parts of its values (a `Family`, a
//! container's `Name`, an `Image`, a log group's name).
//!
//! What words mean is data, in `names.yaml`: words that say nothing, words
//! read as one (`task definition`), abbreviations (`svc`, `tg`).

use std::collections::{BTreeMap, BTreeSet};

use parity_mapping::Entity;
use parity_model::{ResourceId, TemplatePart, Value};
use serde::Deserialize;

const BUILTIN: &str = include_str!("names.yaml");

/// How deep into values names are looked for (a container definition's
/// log configuration options are four levels down).
const MAX_DEPTH: usize = 6;

/// The vocabulary of names (`names.yaml`).
#[derive(Debug, Clone)]
pub struct Names {
    ignore: BTreeSet<String>,
    /// First word → second word → the two read as one.
    compounds: BTreeMap<String, BTreeMap<String, String>>,
    aliases: BTreeMap<String, String>,
    value_keys: BTreeSet<String>,
    /// Type → the type of the resources that refer to it, of which twins
    /// have as many.
    same_referrers: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
#[error("names.yaml: {0}")]
pub struct NamesError(pub(crate) String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    ignore: Vec<String>,
    compounds: Vec<(String, String)>,
    aliases: BTreeMap<String, String>,
    value_keys: Vec<String>,
    #[serde(default)]
    same_referrers: BTreeMap<String, String>,
}

impl Names {
    /// The vocabulary compiled into the engine.
    pub fn builtin() -> Result<Names, NamesError> {
        let file: File = yaml_serde::from_str(BUILTIN).map_err(|e| NamesError(e.to_string()))?;
        Ok(Names {
            ignore: file.ignore.into_iter().collect(),
            compounds: file.compounds.into_iter().fold(
                BTreeMap::new(),
                |mut compounds: BTreeMap<String, BTreeMap<String, String>>, (a, b)| {
                    let joined = format!("{a}{b}");
                    compounds.entry(a).or_default().insert(b, joined);
                    compounds
                },
            ),
            aliases: file.aliases,
            value_keys: file.value_keys.into_iter().collect(),
            same_referrers: file.same_referrers,
        })
    }

    /// The type of the resources that refer to twins of `canonical_type`
    /// as many times on both sides (`names.yaml`'s `same_referrers`).
    pub fn same_referrers(&self, canonical_type: &str) -> Option<&str> {
        self.same_referrers.get(canonical_type).map(String::as_str)
    }

    /// The identifying words of an entity: from its address or construct
    /// path and logical ID, and from the names in its values, less the
    /// words of its own type and the words that identify nothing.
    pub fn words(&self, entity: &Entity) -> BTreeSet<String> {
        self.words_less(entity, &self.type_words(entity))
    }

    /// [`Names::words`], given the words of the entity's own type
    /// ([`Names::type_words`], the same for every entity of a type).
    pub fn words_less(&self, entity: &Entity, type_words: &BTreeSet<String>) -> BTreeSet<String> {
        let mut raw: Vec<Vec<String>> = Vec::new();
        match &entity.id {
            ResourceId::Terraform { address } => {
                let mut previous = "";
                for segment in address_segments(address) {
                    // `module` and `data` are keywords; the segment after
                    // `data` and the resource's own type name a type.
                    let skip = segment == "module"
                        || segment == "data"
                        || previous == "data"
                        || segment == entity.source_type;
                    if !skip {
                        raw.push(split_words(segment));
                    }
                    previous = segment;
                }
            }
            ResourceId::CloudFormation { logical_id, .. } => {
                if let Some(path) = &entity.construct_path {
                    // The first segment is the stack.
                    for segment in path.split('/').skip(1) {
                        raw.push(split_words(segment));
                    }
                }
                raw.push(split_words(strip_hash(logical_id)));
            }
        }
        for (key, value) in &entity.properties {
            self.value_names(key, value, MAX_DEPTH, &mut raw);
        }
        raw.into_iter()
            .flat_map(|words| self.normalize(words))
            .filter(|w| !type_words.contains(w))
            .collect()
    }

    /// The words of the entity's own type, on both spellings.
    pub fn type_words(&self, entity: &Entity) -> BTreeSet<String> {
        let mut words = BTreeSet::new();
        for part in entity.canonical_type.split("::") {
            let split = split_words(part);
            words.extend(split.iter().cloned());
            words.extend(self.normalize(split));
            words.insert(part.to_lowercase());
        }
        let split = split_words(&entity.source_type);
        words.extend(split.iter().cloned());
        words.extend(self.normalize(split));
        words
    }

    /// Joins compounds, applies aliases, drops what identifies nothing.
    fn normalize(&self, words: Vec<String>) -> Vec<String> {
        let mut joined = Vec::with_capacity(words.len());
        let mut words = words.into_iter().peekable();
        while let Some(word) = words.next() {
            if let Some(next) = words.peek()
                && let Some(compound) = self.compounds.get(&word).and_then(|c| c.get(next))
            {
                joined.push(compound.clone());
                words.next();
                continue;
            }
            joined.push(word);
        }
        joined
            .into_iter()
            .map(|w| self.aliases.get(&w).cloned().unwrap_or(w))
            .filter(|w| {
                !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()) && !self.ignore.contains(w)
            })
            .collect()
    }

    /// The physical names of an entity and of its parts (a container's
    /// name), as they are written: what other resources of its side may
    /// refer to it by.
    pub fn physical(&self, entity: &Entity) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (key, value) in &entity.properties {
            self.physical_names(key, value, MAX_DEPTH, &mut out);
        }
        out
    }

    fn physical_names(&self, key: &str, value: &Value, depth: usize, out: &mut BTreeSet<String>) {
        match value.unmarked() {
            (_, true) => {}
            (Value::String(s), _) if self.is_name_key(key) && key != "Image" => {
                out.insert(s.clone());
            }
            (Value::List(items), _) => {
                for item in items {
                    self.physical_names(key, item, depth, out);
                }
            }
            (Value::Map(map), _) if depth > 0 => {
                for (k, v) in map {
                    self.physical_names(k, v, depth - 1, out);
                }
            }
            _ => {}
        }
    }

    pub fn is_name_key(&self, key: &str) -> bool {
        key.ends_with("Name") || key.ends_with("_name") || self.value_keys.contains(key)
    }

    fn value_names(&self, key: &str, value: &Value, depth: usize, out: &mut Vec<Vec<String>>) {
        match value.unmarked() {
            // Nothing is derived from a sensitive value.
            (_, true) => {}
            (Value::String(s), _) if self.is_name_key(key) => out.push(split_name(s)),
            (Value::Template(parts), _) if self.is_name_key(key) => {
                for part in parts {
                    if let TemplatePart::Literal(s) = part {
                        out.push(split_name(s));
                    }
                }
            }
            (Value::List(items), _) => {
                for item in items {
                    self.value_names(key, item, depth, out);
                }
            }
            (Value::Map(map), _) if depth > 0 => {
                // A tag list's `{Key: Name, Value: …}` names the resource.
                let tag_name = matches!(map.get("Key").map(|v| v.unmarked().0), Some(Value::String(k)) if k == "Name");
                for (k, v) in map {
                    let k = if tag_name && k == "Value" { "Name" } else { k };
                    self.value_names(k, v, depth - 1, out);
                }
            }
            _ => {}
        }
    }
}

/// The segments of a Terraform address, instance keys apart:
/// `module.svc["orders"].aws_x.this[0]` → `module`, `svc`, `orders`,
/// `aws_x`, `this`, `0`.
fn address_segments(address: &str) -> Vec<&str> {
    address
        .split(['.', '[', ']', '"'])
        .filter(|s| !s.is_empty())
        .collect()
}

/// The words of a physical name or an image: ARN-like and path-like
/// separators split too.
fn split_name(text: &str) -> Vec<String> {
    // A generated name ends in CDK's hash, like a logical ID; a random
    // suffix (`orders-db-r9Tq`) names nothing either.
    text.split([':', '/', '.', '@', '-', '_'])
        .filter(|part| !is_random(part))
        .flat_map(|part| split_words(strip_hash(part)))
        .collect()
}

/// Whether a part of a physical name looks generated, as Terraform's
/// `random_string` or `random_id` make them (`r9Tq`, `Xk3P`, `3f9ab2c1`):
/// at least four characters, a digit between two letters, and no run of
/// more than two letters, so no word. `k8s`, `ec2`, `ipv6`, `Ec2Instance`
/// and `v2` are words.
fn is_random(part: &str) -> bool {
    let chars: Vec<char> = part.chars().collect();
    if chars.len() < 4 || !chars.iter().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let digit_between_letters = chars
        .windows(3)
        .any(|w| w[0].is_ascii_alphabetic() && w[1].is_ascii_digit() && w[2].is_ascii_alphabetic());
    let longest_letters = chars
        .split(|c| c.is_ascii_digit())
        .map(<[char]>::len)
        .max()
        .unwrap_or(0);
    digit_between_letters && longest_letters <= 2
}

/// CDK appends an 8-character hexadecimal hash to logical IDs.
pub fn strip_hash(logical_id: &str) -> &str {
    match logical_id.len().checked_sub(8) {
        Some(at)
            if logical_id.is_char_boundary(at)
                && logical_id[at..]
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()) =>
        {
            &logical_id[..at]
        }
        _ => logical_id,
    }
}

/// Lowercase words of an identifier: split on punctuation, on camel case
/// and before the last capital of a run of capitals followed by a lower
/// case letter (`LBService` → `lb`, `service`).
pub fn split_words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, c) in chars.iter().copied().enumerate() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        if c.is_uppercase() && !word.is_empty() {
            let previous = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if previous.is_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_uppercase() && next_lower)
            {
                words.push(std::mem::take(&mut word));
            }
        }
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use parity_model::Area;

    fn entity(id: ResourceId, source_type: &str, canonical_type: &str) -> Entity {
        Entity {
            id,
            source_type: source_type.into(),
            canonical_type: canonical_type.into(),
            area: Area::Other,
            properties: Default::default(),
            action: None,
            construct_path: None,
            folded: Vec::new(),
        }
    }

    #[test]
    fn random_suffixes_of_physical_names_are_no_words() {
        assert_eq!(
            split_name("retail-store-ecs-orders-db-r9Tq"),
            vec!["retail", "store", "ecs", "orders", "db"]
        );
        assert_eq!(split_name("app-Xk3P"), vec!["app"]);
        assert_eq!(split_name("app-M2vw-3f9ab2c1"), vec!["app"]);
        assert_eq!(
            split_name("eks-k8s-ec2-ipv6-v2-Ec2Instance"),
            vec!["eks", "k8s", "ec2", "ipv6", "v2", "ec2", "instance"]
        );
    }

    #[test]
    fn words_split_snake_kebab_camel_and_acronyms() {
        assert_eq!(
            split_words("TaskRoleDefaultPolicy"),
            vec!["task", "role", "default", "policy"]
        );
        assert_eq!(
            split_words("FrontendFargateLBService"),
            vec!["frontend", "fargate", "lb", "service"]
        );
        assert_eq!(
            split_words("ecsdemo-frontend_api"),
            vec!["ecsdemo", "frontend", "api"]
        );
        assert_eq!(strip_hash("TaskDef54694570"), "TaskDef");
        assert_eq!(strip_hash("Api"), "Api");
    }

    #[test]
    fn addresses_keep_module_names_and_keys_not_types_or_indexes() {
        let names = Names::builtin().unwrap();
        let e = entity(
            ResourceId::Terraform {
                address: "module.svc[\"orders-api\"].module.container_definition[\"orders\"].aws_cloudwatch_log_group.this[0]".into(),
            },
            "aws_cloudwatch_log_group",
            "AWS::Logs::LogGroup",
        );
        assert_eq!(
            names.words(&e).into_iter().collect::<Vec<_>>(),
            vec!["api", "container", "definition", "orders", "service"]
        );
    }

    #[test]
    fn construct_paths_and_abbreviations_meet_addresses() {
        let names = Names::builtin().unwrap();
        let mut c = entity(
            ResourceId::CloudFormation {
                stack: "Shop".into(),
                logical_id: "BillingSvcTg3C9E7A10".into(),
            },
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
        );
        c.construct_path = Some("Shop/BillingSvc/Tg/Resource".into());
        let t = entity(
            ResourceId::Terraform {
                address: "module.alb.aws_lb_target_group.this[\"billing_service\"]".into(),
            },
            "aws_lb_target_group",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
        );
        assert_eq!(
            names.words(&c).into_iter().collect::<Vec<_>>(),
            vec!["billing", "service"]
        );
        assert_eq!(
            names.words(&t).into_iter().collect::<Vec<_>>(),
            vec!["billing", "service"]
        );
    }
}
