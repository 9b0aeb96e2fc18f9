//! How each CloudFormation type is compared: `comparison.yaml`, compiled in.

use std::collections::BTreeMap;

use parity_model::{Area, Severity, Status};
const BUILTIN: &str = include_str!("../comparison.yaml");
const FORMAT_VERSION: u32 = 1;

/// A path pattern over canonical properties: keys, with `*` for every item
/// of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern(Vec<String>);

impl Pattern {
    fn parse(text: &str) -> Pattern {
        Pattern(text.split('.').map(str::to_owned).collect())
    }

    /// Whether `path` is this pattern or lies beneath it.
    fn covers(&self, path: &[String]) -> bool {
        self.0.len() <= path.len()
            && self
                .0
                .iter()
                .zip(path)
                .all(|(p, s)| p == s || (p == "*" && s == "*"))
    }

    fn is(&self, path: &[String]) -> bool {
        self.0.len() == path.len() && self.covers(path)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListRule {
    /// Items paired by the values of these fields; when `value` is set only
    /// that field is compared, and shown at the item. With `pair_lone`, the
    /// one item left without a twin on each side are the same item under
    /// two keys (a task's only container, named differently on each side):
    /// paired, their keys compared as any other field, instead of two
    /// items each on one side whose contents are never compared.
    Keyed {
        key: Vec<String>,
        value: Option<String>,
        pair_lone: bool,
    },
    /// Compared position by position.
    Ordered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AreaSeverity {
    pub missing: Severity,
    pub resource: Severity,
    pub differs: Severity,
}

#[derive(Debug, Clone, Default)]
pub struct TypeRules {
    lists: Vec<(Pattern, ListRule)>,
    areas: Vec<(Pattern, Area)>,
    severity: Vec<(Pattern, Option<Severity>, Option<Severity>)>,
    policies: Vec<Pattern>,
    same_resource: Vec<Pattern>,
    pub effective_policy: bool,
    /// What reports call the type's resources (`task definitions`).
    words: Option<String>,
    /// What reports call the items of a list (`ContainerDefinitions`:
    /// `containers`).
    item_words: Vec<(Pattern, String)>,
}

/// How tags are compared, whatever the type.
#[derive(Debug, Clone, Default)]
pub struct TagRules {
    /// The properties that hold tags.
    pub properties: Vec<String>,
    pub severity: Option<Severity>,
    /// CDK tag keys a tool adds by itself (a trailing `*` matches a prefix).
    pub tool_keys: Vec<String>,
    /// Tag keys whose CDK value, when it is the construct path (or that of
    /// a construct holding the resource), CDK set by itself.
    pub construct_path: Vec<String>,
}

impl TagRules {
    pub fn is_tags(&self, property: &str) -> bool {
        self.properties.iter().any(|p| p == property)
    }

    /// Whether CDK added the tag `key` with `value` by itself to a resource
    /// at `construct_path`.
    pub fn is_tool_tag(&self, key: &str, value: &str, construct_path: Option<&str>) -> bool {
        let by_key = self.tool_keys.iter().any(|k| match k.strip_suffix('*') {
            Some(prefix) => key.starts_with(prefix),
            None => k == key,
        });
        by_key
            || (self.construct_path.iter().any(|k| k == key)
                && construct_path.is_some_and(|path| {
                    // The path of the construct or of one that holds it: a
                    // subnet at `Stack/Vpc/PublicSubnet1/Subnet` is named
                    // `Stack/Vpc/PublicSubnet1`.
                    value.contains('/')
                        && (path == value
                            || path
                                .strip_prefix(value)
                                .is_some_and(|rest| rest.starts_with('/')))
                }))
    }
}

/// Names the CDK generates when the app gives none: where the CDK side's
/// name is absent or generated and Terraform's is chosen, the difference is
/// intentional.
#[derive(Debug, Clone, Default)]
pub struct GeneratedNames {
    /// The reason reports give.
    pub reason: String,
    /// Per CloudFormation type, the properties that name a resource.
    pub properties: BTreeMap<String, Vec<String>>,
}

impl GeneratedNames {
    /// Whether `property` of `cloudformation_type` is a name the CDK
    /// generates when the app gives none.
    pub fn names(&self, cloudformation_type: &str, property: &str) -> bool {
        self.properties
            .get(cloudformation_type)
            .is_some_and(|p| p.iter().any(|p| p == property))
    }
}

#[derive(Debug, Clone)]
pub struct Rules {
    pub tags: TagRules,
    pub generated_names: GeneratedNames,
    severity: BTreeMap<Area, AreaSeverity>,
    types: BTreeMap<String, TypeRules>,
    none: TypeRules,
}

#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("comparison rules: {0}")]
    Yaml(#[from] yaml_serde::Error),
    #[error("comparison rules: {0}")]
    Invalid(String),
}

impl Rules {
    pub fn builtin() -> Result<Rules, RulesError> {
        Rules::parse(BUILTIN)
    }

    pub fn parse(text: &str) -> Result<Rules, RulesError> {
        let file: raw::File = yaml_serde::from_str(text)?;
        if file.version != FORMAT_VERSION {
            return Err(RulesError::Invalid(format!(
                "format version {}, this build reads {FORMAT_VERSION}",
                file.version
            )));
        }
        let severity_named = |name: &str| {
            Severity::parse(name)
                .ok_or_else(|| RulesError::Invalid(format!("unknown severity {name:?}")))
        };
        let area_named = |name: &str| {
            Area::parse(name).ok_or_else(|| RulesError::Invalid(format!("unknown area {name:?}")))
        };
        let mut severity = BTreeMap::new();
        for (area, s) in &file.severity {
            severity.insert(
                area_named(area)?,
                AreaSeverity {
                    missing: severity_named(&s.missing)?,
                    resource: severity_named(&s.resource)?,
                    differs: severity_named(&s.differs)?,
                },
            );
        }
        if let Some(area) = Area::ALL.iter().find(|a| !severity.contains_key(a)) {
            return Err(RulesError::Invalid(format!("no severity for area {area}")));
        }
        let mut types = BTreeMap::new();
        for (name, t) in file.types {
            let mut rules = TypeRules {
                effective_policy: t.effective_policy,
                words: t.words,
                item_words: t
                    .items
                    .iter()
                    .map(|(path, words)| (Pattern::parse(path), words.clone()))
                    .collect(),
                ..TypeRules::default()
            };
            for (path, list) in t.lists {
                let rule = match list {
                    raw::List::Word(w) if w == "ordered" => ListRule::Ordered,
                    raw::List::Word(w) => {
                        return Err(RulesError::Invalid(format!(
                            "{name}: {path}: unknown list rule {w:?}"
                        )));
                    }
                    raw::List::Keyed {
                        value: Some(_),
                        pair_lone: true,
                        ..
                    } => {
                        return Err(RulesError::Invalid(format!(
                            "{name}: {path}: pair_lone compares whole items, so it cannot go with value"
                        )));
                    }
                    raw::List::Keyed {
                        key,
                        value,
                        pair_lone,
                    } => ListRule::Keyed {
                        key,
                        value,
                        pair_lone,
                    },
                };
                rules.lists.push((Pattern::parse(&path), rule));
            }
            for (path, area) in t.areas {
                rules
                    .areas
                    .push((Pattern::parse(&path), area_named(&area)?));
            }
            for (path, s) in t.severity {
                let (missing, differs) = match s {
                    raw::Severity::All(s) => (Some(severity_named(&s)?), Some(severity_named(&s)?)),
                    raw::Severity::ByKind { missing, differs } => (
                        missing.as_deref().map(severity_named).transpose()?,
                        differs.as_deref().map(severity_named).transpose()?,
                    ),
                };
                rules
                    .severity
                    .push((Pattern::parse(&path), missing, differs));
            }
            rules.policies = t.policies.iter().map(|p| Pattern::parse(p)).collect();
            rules.same_resource = t.same_resource.iter().map(|p| Pattern::parse(p)).collect();
            types.insert(name, rules);
        }
        let tags = match file.tags {
            Some(t) => TagRules {
                properties: t.properties,
                severity: t.severity.as_deref().map(severity_named).transpose()?,
                tool_keys: t.tool.keys,
                construct_path: t.tool.construct_path,
            },
            None => TagRules::default(),
        };
        let generated_names = match file.generated_names {
            Some(g) => GeneratedNames {
                reason: g.reason,
                properties: g.properties,
            },
            None => GeneratedNames::default(),
        };
        Ok(Rules {
            tags,
            generated_names,
            severity,
            types,
            none: TypeRules::default(),
        })
    }

    /// Every type the rules name, with its rules, in type order.
    pub fn types(&self) -> impl Iterator<Item = (&str, &TypeRules)> {
        self.types
            .iter()
            .map(|(name, rules)| (name.as_str(), rules))
    }

    pub fn for_type(&self, cloudformation_type: &str) -> &TypeRules {
        self.types.get(cloudformation_type).unwrap_or(&self.none)
    }

    /// What reports call the resources of a type, plural: the rules'
    /// `words`, else the words of the type's name (`AWS::EFS::AccessPoint`:
    /// `access points`).
    pub fn words(&self, cloudformation_type: &str) -> String {
        match &self.for_type(cloudformation_type).words {
            Some(words) => words.clone(),
            None => plural_words(cloudformation_type.rsplit("::").next().unwrap_or_default()),
        }
    }

    /// What reports call the items of the list at `items` (dotted) of a
    /// type, plural: the rules' `items`, else the words of the list's name
    /// (`LoadBalancers`: `load balancers`).
    pub fn item_words(&self, cloudformation_type: &str, items: &str) -> String {
        let path: Vec<String> = items.split('.').map(str::to_owned).collect();
        match self
            .for_type(cloudformation_type)
            .item_words
            .iter()
            .find(|(p, _)| p.is(&path))
        {
            Some((_, words)) => words.clone(),
            None => words_of(path.last().map(String::as_str).unwrap_or_default()).join(" "),
        }
    }

    pub fn area_severity(&self, area: Area) -> AreaSeverity {
        self.severity[&area]
    }

    /// The severity of a difference of kind `status` at `path` of a type
    /// whose area is `area`.
    pub fn severity(
        &self,
        rules: &TypeRules,
        area: Area,
        path: &[String],
        status: Status,
    ) -> Severity {
        let by_area = self.area_severity(area);
        let missing = matches!(status, Status::OnlyInTerraform | Status::OnlyInCdk);
        if status == Status::Unverifiable {
            return Severity::Consider;
        }
        let specific = rules
            .severity
            .iter()
            .filter(|(p, _, _)| p.covers(path))
            .max_by_key(|(p, _, _)| p.0.len())
            .and_then(|(_, m, d)| if missing { *m } else { *d });
        specific.unwrap_or(if missing {
            by_area.missing
        } else {
            by_area.differs
        })
    }
}

impl TypeRules {
    /// How the list at `path` is compared, when the rules say.
    pub fn list(&self, path: &[String]) -> Option<&ListRule> {
        self.lists.iter().find(|(p, _)| p.is(path)).map(|(_, r)| r)
    }

    /// The area of differences at `path`, when not the type's own.
    pub fn area(&self, path: &[String]) -> Option<Area> {
        self.areas
            .iter()
            .filter(|(p, _)| p.covers(path))
            .max_by_key(|(p, _)| p.0.len())
            .map(|(_, a)| *a)
    }

    /// The paths whose differences belong to another area than the type's,
    /// with that area.
    pub fn area_patterns(&self) -> impl Iterator<Item = (&[String], Area)> {
        self.areas.iter().map(|(p, a)| (p.0.as_slice(), *a))
    }

    /// The top-level properties that hold IAM policy documents.
    pub fn policy_properties(&self) -> impl Iterator<Item = &str> {
        self.policies
            .iter()
            .filter(|p| p.0.len() == 1)
            .map(|p| p.0[0].as_str())
    }

    /// Whether `path` names a resource either by its name or its ARN, so
    /// that references to twin resources are equal whatever attribute they
    /// take.
    pub fn names_a_resource(&self, path: &[String]) -> bool {
        self.same_resource.iter().any(|p| p.is(path))
    }

    /// Whether `path` holds an IAM policy document.
    pub fn is_policy(&self, path: &[String]) -> bool {
        self.policies.iter().any(|p| p.is(path))
    }
}

/// The words of a name in Pascal case, lowercase except acronyms
/// (`VPCEndpoint`: `VPC`, `endpoint`).
fn words_of(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for (i, c) in chars.iter().enumerate() {
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        let previous_upper = i > 0 && chars[i - 1].is_uppercase();
        let previous_lower = i > 0 && chars[i - 1].is_lowercase();
        if c.is_uppercase()
            && !word.is_empty()
            && (previous_lower || (previous_upper && next_lower))
        {
            words.push(std::mem::take(&mut word));
        }
        word.push(*c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
        .into_iter()
        .map(|w| {
            if w.chars().filter(|c| c.is_uppercase()).count() > 1 {
                w
            } else {
                w.to_lowercase()
            }
        })
        .collect()
}

/// The words of a type's name, the last one plural (`Policy`: `policies`).
fn plural_words(name: &str) -> String {
    let mut words = words_of(name);
    if let Some(last) = words.last_mut() {
        let consonant_y = last.ends_with('y')
            && !last
                .chars()
                .rev()
                .nth(1)
                .is_some_and(|c| "aeiou".contains(c));
        *last = if consonant_y {
            format!("{}ies", &last[..last.len() - 1])
        } else if ["s", "x", "ch", "sh"].iter().any(|e| last.ends_with(e)) {
            format!("{last}es")
        } else {
            format!("{last}s")
        };
    }
    words.join(" ")
}

/// The file as written.
mod raw {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct File {
        pub version: u32,
        pub severity: BTreeMap<String, AreaSeverity>,
        pub types: BTreeMap<String, Type>,
        #[serde(default)]
        pub tags: Option<Tags>,
        #[serde(default)]
        pub generated_names: Option<GeneratedNames>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct GeneratedNames {
        pub reason: String,
        pub properties: BTreeMap<String, Vec<String>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Tags {
        pub properties: Vec<String>,
        #[serde(default)]
        pub severity: Option<String>,
        #[serde(default)]
        pub tool: ToolTags,
    }

    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields)]
    pub struct ToolTags {
        #[serde(default)]
        pub keys: Vec<String>,
        #[serde(default)]
        pub construct_path: Vec<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct AreaSeverity {
        pub missing: String,
        pub resource: String,
        pub differs: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Type {
        #[serde(default)]
        pub lists: BTreeMap<String, List>,
        #[serde(default)]
        pub areas: BTreeMap<String, String>,
        #[serde(default)]
        pub severity: BTreeMap<String, Severity>,
        #[serde(default)]
        pub policies: Vec<String>,
        #[serde(default)]
        pub same_resource: Vec<String>,
        #[serde(default)]
        pub effective_policy: bool,
        #[serde(default)]
        pub words: Option<String>,
        #[serde(default)]
        pub items: BTreeMap<String, String>,
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    pub enum List {
        Word(String),
        Keyed {
            key: Vec<String>,
            #[serde(default)]
            value: Option<String>,
            #[serde(default)]
            pair_lone: bool,
        },
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    pub enum Severity {
        All(String),
        ByKind {
            #[serde(default)]
            missing: Option<String>,
            #[serde(default)]
            differs: Option<String>,
        },
    }
}

#[cfg(test)]
mod tests;
