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

use super::ids::FastMap;

const BUILTIN: &str = include_str!("names.yaml");

/// How deep into values names are looked for (a container definition's
/// log configuration options are four levels down).
const MAX_DEPTH: usize = 6;

/// The vocabulary of names (`names.yaml`).
#[derive(Debug, Clone)]
pub struct Names {
    // Only looked up, never walked (every word of every name is): their
    // order does not matter.
    ignore: FastMap<String, ()>,
    /// First word → second word → the two read as one.
    compounds: FastMap<String, FastMap<String, String>>,
    aliases: FastMap<String, String>,
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
            ignore: file.ignore.into_iter().map(|w| (w, ())).collect(),
            compounds: file.compounds.into_iter().fold(
                FastMap::default(),
                |mut compounds: FastMap<String, FastMap<String, String>>, (a, b)| {
                    let joined = format!("{a}{b}");
                    compounds.entry(a).or_default().insert(b, joined);
                    compounds
                },
            ),
            aliases: file.aliases.into_iter().collect(),
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
        self.words_joining(entity, type_words, &BTreeSet::new())
    }

    /// [`Names::words_less`], where two adjacent words of an address
    /// segment, a construct path segment or a logical ID that, joined, are
    /// one of `joins` (the words of the other side) are read as that one
    /// word: CDK's `LiteLLM` is Terraform's `litellm`.
    pub fn words_joining(
        &self,
        entity: &Entity,
        type_words: &BTreeSet<String>,
        joins: &BTreeSet<String>,
    ) -> BTreeSet<String> {
        // Each name's words are split into one buffer and read as they
        // come: only the words kept are allocated, once each.
        let mut out = BTreeSet::new();
        let mut group = Group::default();
        let keep = Keep { type_words, joins };
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
                        group.clear();
                        group.push_words(segment);
                        self.keep(&group, &keep, &mut out);
                    }
                    previous = segment;
                }
            }
            ResourceId::CloudFormation { logical_id, .. } => {
                if let Some(path) = &entity.construct_path {
                    // The first segment is the stack.
                    for segment in path.split('/').skip(1) {
                        group.clear();
                        group.push_words(segment);
                        self.keep(&group, &keep, &mut out);
                    }
                }
                group.clear();
                group.push_words(strip_hash(logical_id));
                self.keep(&group, &keep, &mut out);
            }
        }
        // Physical names are not joined: their words are written apart
        // on purpose (`retail-store-vpc-public`).
        let none = BTreeSet::new();
        let keep = Keep {
            type_words,
            joins: &none,
        };
        for (key, value) in &entity.properties {
            self.value_names(key, value, MAX_DEPTH, &mut group, &keep, &mut out);
        }
        out
    }

    /// The words of one name, normalized ([`Names::normalize`]), that are
    /// not in `type_words`, added to `out`.
    fn keep(&self, group: &Group, keep: &Keep, out: &mut BTreeSet<String>) {
        let type_words = keep.type_words;
        let mut words = group.words().peekable();
        let mut pair = String::new();
        while let Some(word) = words.next() {
            // Two words the other side writes as one, then two words
            // read as one (`names.yaml`).
            let other = match words.peek() {
                Some(next) if !keep.joins.is_empty() => {
                    pair.clear();
                    pair.push_str(word);
                    pair.push_str(next);
                    keep.joins.get(pair.as_str())
                }
                _ => None,
            };
            let joined = match (other, words.peek()) {
                (Some(other), _) => Some(other),
                (None, Some(next)) => self.compounds.get(word).and_then(|c| c.get(*next)),
                (None, None) => None,
            };
            let word = match joined {
                Some(compound) => {
                    words.next();
                    compound.as_str()
                }
                None => word,
            };
            let word = self.aliases.get(word).map_or(word, String::as_str);
            if word.is_empty()
                || word.chars().all(|c| c.is_ascii_digit())
                || self.ignore.contains_key(word)
                || type_words.contains(word)
                || out.contains(word)
            {
                continue;
            }
            out.insert(word.to_owned());
        }
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
                !w.is_empty()
                    && !w.chars().all(|c| c.is_ascii_digit())
                    && !self.ignore.contains_key(w)
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

    fn value_names(
        &self,
        key: &str,
        value: &Value,
        depth: usize,
        group: &mut Group,
        keep: &Keep,
        out: &mut BTreeSet<String>,
    ) {
        match value.unmarked() {
            // Nothing is derived from a sensitive value.
            (_, true) => {}
            (Value::String(s), _) if self.is_name_key(key) => {
                group.clear();
                group.push_name(s);
                self.keep(group, keep, out);
            }
            (Value::Template(parts), _) if self.is_name_key(key) => {
                for part in parts {
                    if let TemplatePart::Literal(s) = part {
                        group.clear();
                        group.push_name(s);
                        self.keep(group, keep, out);
                    }
                }
            }
            (Value::List(items), _) => {
                for item in items {
                    self.value_names(key, item, depth, group, keep, out);
                }
            }
            (Value::Map(map), _) if depth > 0 => {
                // A tag list's `{Key: Name, Value: …}` names the resource.
                let tag_name = matches!(map.get("Key").map(|v| v.unmarked().0), Some(Value::String(k)) if k == "Name");
                for (k, v) in map {
                    let k = if tag_name && k == "Value" { "Name" } else { k };
                    self.value_names(k, v, depth - 1, group, keep, out);
                }
            }
            _ => {}
        }
    }
}

/// What [`Names::keep`] leaves out and joins.
struct Keep<'a> {
    /// The words of the entity's own type: left out.
    type_words: &'a BTreeSet<String>,
    /// The other side's words: two adjacent words joined as one of them
    /// are that word.
    joins: &'a BTreeSet<String>,
}

/// The lowercase words of one name, in one buffer: a word is a range of
/// `text`.
#[derive(Default)]
struct Group {
    text: String,
    words: Vec<std::ops::Range<usize>>,
}

impl Group {
    fn clear(&mut self) {
        self.text.clear();
        self.words.clear();
    }

    fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|r| &self.text[r.clone()])
    }

    fn push(&mut self, word: &str) {
        let at = self.text.len();
        self.text.push_str(word);
        self.words.push(at..self.text.len());
    }

    /// The words of an identifier ([`split_words`]).
    fn push_words(&mut self, text: &str) {
        if !text.is_ascii() {
            for word in split_words(text) {
                self.push(&word);
            }
            return;
        }
        // The same rules as `split_words`, on bytes: every character is
        // ASCII, so its case and its lowercase are ASCII's.
        let bytes = text.as_bytes();
        let mut start: Option<usize> = None;
        for (i, c) in bytes.iter().copied().enumerate() {
            if !c.is_ascii_alphanumeric() {
                if let Some(at) = start.take() {
                    self.words.push(at..self.text.len());
                }
                continue;
            }
            if c.is_ascii_uppercase()
                && let Some(at) = start
            {
                let previous = bytes[i - 1];
                let next_lower = bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase);
                if previous.is_ascii_lowercase()
                    || previous.is_ascii_digit()
                    || (previous.is_ascii_uppercase() && next_lower)
                {
                    self.words.push(at..self.text.len());
                    start = None;
                }
            }
            if start.is_none() {
                start = Some(self.text.len());
            }
            self.text.push(char::from(c.to_ascii_lowercase()));
        }
        if let Some(at) = start {
            self.words.push(at..self.text.len());
        }
    }

    /// The words of a physical name or an image ([`split_name`]).
    fn push_name(&mut self, text: &str) {
        for part in name_parts(text) {
            self.push_words(strip_hash(part));
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
#[cfg(test)]
fn split_name(text: &str) -> Vec<String> {
    name_parts(text)
        .flat_map(|part| split_words(strip_hash(part)))
        .collect()
}

/// The parts of a physical name that may be words, hash not yet removed.
fn name_parts(text: &str) -> impl Iterator<Item = &str> {
    // A generated name ends in CDK's hash, like a logical ID; a random
    // suffix (`orders-db-r9Tq`) names nothing either.
    text.split([':', '/', '.', '@', '-', '_'])
        .filter(|part| !is_random(part))
}

/// Whether a part of a physical name looks generated, as Terraform's
/// `random_string` or `random_id` make them (`r9Tq`, `Xk3P`, `3f9ab2c1`):
/// at least four characters, a digit between two letters, and no run of
/// more than two letters, so no word. `k8s`, `ec2`, `ipv6`, `Ec2Instance`
/// and `v2` are words.
fn is_random(part: &str) -> bool {
    // Only ASCII letters and digits qualify: one byte each.
    let chars = part.as_bytes();
    if chars.len() < 4 || !chars.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let digit_between_letters = chars
        .windows(3)
        .any(|w| w[0].is_ascii_alphabetic() && w[1].is_ascii_digit() && w[2].is_ascii_alphabetic());
    let longest_letters = chars
        .split(u8::is_ascii_digit)
        .map(<[u8]>::len)
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
    fn names_split_in_one_buffer_as_they_split_alone() {
        for text in [
            "TaskRoleDefaultPolicy",
            "FrontendFargateLBService",
            "ecsdemo-frontend_api",
            "HTTPServer2Go",
            "a1B2cDE",
            "X",
            "",
            "--",
            "Ünïcode-NamesÄB",
            "service/cluster/orders-api:latest@sha256",
            "orders-db-r9Tq",
        ] {
            let mut group = Group::default();
            group.push_words("Leading");
            group.push_words(text);
            let mut expected = split_words("Leading");
            expected.extend(split_words(text));
            assert_eq!(group.words().collect::<Vec<_>>(), expected, "{text}");
            group.clear();
            group.push_name(text);
            assert_eq!(
                group.words().collect::<Vec<_>>(),
                split_name(text),
                "{text}"
            );
        }
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
