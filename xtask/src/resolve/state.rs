//! The state a plan would leave after apply, made without AWS: every
//! resource instance the plan keeps or creates, with its planned values, and
//! each value the plan leaves unknown replaced by a value of the right type
//! (read from the provider's schema).
//!
//! What replaces an unknown value depends on what the state is for
//! ([`Filling`]): a placeholder that names the resource and the attribute
//! (`cargo xtask plan-json`), or a value that looks like a deployed one (the
//! `tf-prior-state` fixture). An attribute that holds a JSON document (a
//! policy, container definitions) gets an empty string in both — the
//! provider's "none" — numbers 1, booleans false, collections are empty,
//! and a value that made the provider replace the resource is left empty
//! ([`replaced_because_of`]). A resource's dependencies are the resources its configuration references in
//! its own module, as Terraform records them after apply.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::bail;
use parity_terraform::{NAME_SUBSTITUTE_PREFIX, Placeholder, Segment, contains_address};
use serde_json::{Map, Value as Json, json};

/// What an unknown string becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filling {
    /// A placeholder ([`Placeholder`]) that the loader reads back as a
    /// reference: an ARN in the provider's `region` where the attribute is
    /// an ARN (`arn`, `*_arn`) or the configuration passes it where an ARN
    /// goes (`arn_sinks`, from [`arn_sinks`]); else the plain spelling, which
    /// the provider accepts where it wants no ARN (a role's `id` is its
    /// name).
    Traceable {
        region: String,
        arn_sinks: BTreeSet<Sink>,
        /// The attributes the configuration reads anywhere (from [`reads`]):
        /// an optional and computed attribute that the configuration leaves
        /// to AWS gets a placeholder only when something reads it.
        reads: BTreeSet<Sink>,
    },
    /// A value as a deployment would have it, that the loader takes for a
    /// real one: an ARN attribute holds
    /// `arn:aws:<service>:eu-west-1:123456789012:<type>/<address>`, any
    /// other string `ph-<address>-<attribute>`.
    Deployed,
}

const DEPLOYED_ACCOUNT: &str = "123456789012";
const DEPLOYED_REGION: &str = "eu-west-1";

/// A state, and the values put in it for what the plan left unknown.
#[derive(Debug)]
pub struct Made {
    /// The state file (format 4).
    pub state: Json,
    /// By resource instance address: where a value was made up, and what.
    pub filled: BTreeMap<String, Vec<(Vec<Segment>, Json)>>,
}

/// Whether a managed resource will have a value only known after apply.
pub fn has_unknowns(plan: &Json) -> bool {
    fn any_true(mask: &Json) -> bool {
        match mask {
            Json::Bool(b) => *b,
            Json::Array(items) => items.iter().any(any_true),
            Json::Object(map) => map.values().any(any_true),
            _ => false,
        }
    }
    changes(plan).any(|change| any_true(&change["change"]["after_unknown"]))
}

/// The managed resource instances that exist after apply.
pub fn changes(plan: &Json) -> impl Iterator<Item = &Json> {
    plan["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|change| change["mode"] == "managed" && change.get("deposed").is_none())
        .filter(|change| {
            let actions = &change["change"]["actions"];
            *actions != json!(["delete"]) && *actions != json!(["forget"])
        })
}

/// The state file (format 4) the plan would leave after apply, unknown
/// values filled as `filling` says; typed placeholders (addresses, enums)
/// come from `substitutes`, which keeps each one from round to round. The
/// resource instances in `left_out` are not in the state: the plan creates
/// them again, and what they compute stays unknown. `attempts` (by address
/// and path text) counts the values made up for an unknown that did not
/// hold (the next plan left it unknown, or replaced the resource because of
/// it): the next one is tried (see [`Filler::candidates`]).
pub fn from_plan(
    plan: &Json,
    schemas: &Json,
    filling: &Filling,
    substitutes: &mut Substitutes,
    left_out: &BTreeSet<String>,
    attempts: &BTreeMap<(String, String), usize>,
) -> anyhow::Result<Made> {
    let mut resources: BTreeMap<(String, String, String), Json> = BTreeMap::new();
    let mut filled = BTreeMap::new();
    let cell = std::cell::RefCell::new(std::mem::take(substitutes));
    for change in changes(plan) {
        if change["address"]
            .as_str()
            .is_some_and(|address| left_out.contains(address))
        {
            continue;
        }
        let text = |key: &str| change[key].as_str().unwrap_or_default().to_owned();
        let (address, module, resource_type, name) = (
            text("address"),
            text("module_address"),
            text("type"),
            text("name"),
        );
        let provider = text("provider_name");
        let schema = &schemas["provider_schemas"][&provider]["resource_schemas"][&resource_type];
        if !schema.is_object() {
            bail!("the schema of {provider} has no resource type {resource_type}");
        }
        let filler = Filler {
            address: &address,
            filling,
            left_empty: replaced_because_of(change),
            filled: std::cell::RefCell::new(Vec::new()),
            substitutes: Some(&cell),
            attempts,
        };
        let ty = Type::Block(&schema["block"]);
        let mut attributes = filler.fill(
            &change["change"]["after"],
            &change["change"]["after_unknown"],
            &ty,
            &mut Vec::new(),
        );
        let mut made = filler.filled.into_inner();
        if resource_type == TERRAFORM_DATA && change["change"]["after_unknown"]["output"] == true {
            // The built-in resource's `output` is its `input` after apply.
            attributes["output"] = attributes["input"].clone();
            made.retain(|(path, _)| path.first() != Some(&Segment::Key("output".to_owned())));
        }
        wrap_dynamic(&mut attributes, &ty);
        if !made.is_empty() {
            filled.insert(address.clone(), made);
        }
        let mut sensitive = Vec::new();
        sensitive_paths(
            &change["change"]["after_sensitive"],
            &ty,
            &mut Vec::new(),
            &mut sensitive,
        );
        let mut instance = json!({
            "schema_version": schema["version"],
            "attributes": attributes,
            "sensitive_attributes": sensitive,
            "dependencies": dependencies(plan, &module, &resource_type, &name),
        });
        let entry = resources
            .entry((module.clone(), resource_type.clone(), name.clone()))
            .or_insert_with(|| {
                let mut resource = json!({
                    "mode": "managed",
                    "type": resource_type,
                    "name": name,
                    "provider": format!("provider[\"{provider}\"]"),
                    "instances": [],
                });
                if !module.is_empty() {
                    resource["module"] = json!(module);
                }
                resource
            });
        if let Some(index) = change.get("index") {
            instance["index_key"] = index.clone();
            entry["each"] = json!(if index.is_number() { "list" } else { "map" });
        }
        entry["instances"]
            .as_array_mut()
            .expect("instances is an array")
            .push(instance);
    }
    *substitutes = cell.into_inner();
    let mut outputs = Map::new();
    if let Some(planned) = plan["planned_values"]["outputs"].as_object() {
        for (name, output) in planned {
            if let (Some(value), Some(ty)) = (output.get("value"), output.get("type")) {
                outputs.insert(
                    name.clone(),
                    json!({"value": value, "type": ty, "sensitive": output["sensitive"] == true}),
                );
            }
        }
    }
    let state = json!({
        "version": 4,
        "terraform_version": plan["terraform_version"],
        "serial": 1,
        "lineage": "00000000-0000-4000-8000-000000000000",
        "outputs": outputs,
        "resources": resources.into_values().collect::<Vec<_>>(),
        "check_results": null,
    });
    Ok(Made { state, filled })
}

/// What a typed placeholder stands in for: values the provider checks the
/// shape of, which a placeholder naming the resource would fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubstituteKind {
    /// An IPv4 address: one of the documentation ranges (RFC 5737).
    Ipv4,
    /// An IPv6 address: in 2001:db8::/32 (RFC 3849).
    Ipv6,
    /// An IPv4 CIDR block: a documentation address, `/32`.
    Ipv4Cidr,
    /// An IPv6 CIDR block: a /56 in 2001:db8::/32.
    Ipv6Cidr,
    /// A value of an enumeration the provider checks, from [`ENUMS`].
    Enum(&'static str),
    /// A name or an ID whose placeholder the provider refused (a log group
    /// name made from a VPC's ID allows no `:`): `iacparity-<n>`.
    Name,
}

/// Computed attributes whose values the provider checks against a list
/// when another resource is given them, with the value their placeholder
/// takes: (attribute name, value).
pub const ENUMS: &[(&str, &str)] = &[
    // aws_acm_certificate.domain_validation_options → aws_route53_record.type
    ("resource_record_type", "CNAME"),
    ("ip_address_type", "ipv4"),
    ("address_family", "ipv4"),
    ("key_usage", "ENCRYPT_DECRYPT"),
    ("customer_master_key_spec", "SYMMETRIC_DEFAULT"),
    ("key_spec", "SYMMETRIC_DEFAULT"),
    ("load_balancer_type", "application"),
    ("target_type", "instance"),
    // A flag the provider keeps as a string ("true" or "false"), whose name
    // ends as an address's does.
    ("preserve_client_ip", "false"),
];

impl SubstituteKind {
    /// The kind an attribute of this name takes, when its value has a shape
    /// the provider checks.
    pub fn of(attribute: &str) -> Option<SubstituteKind> {
        if let Some((_, value)) = ENUMS.iter().find(|(name, _)| *name == attribute) {
            return Some(SubstituteKind::Enum(value));
        }
        let v6 = attribute.contains("ipv6");
        let cidr = attribute == "cidr"
            || attribute.ends_with("_cidr")
            || attribute.ends_with("cidr_block")
            || attribute.ends_with("cidr_blocks");
        let ip = attribute == "ip"
            || attribute.ends_with("_ip")
            || attribute.ends_with("_ips")
            || attribute.ends_with("ip_address")
            || attribute.ends_with("ip_addresses")
            || attribute == "ipv6_address"
            || attribute == "ipv6_addresses";
        match (cidr, ip, v6) {
            (true, _, false) => Some(SubstituteKind::Ipv4Cidr),
            (true, _, true) => Some(SubstituteKind::Ipv6Cidr),
            (false, true, false) => Some(SubstituteKind::Ipv4),
            (false, true, true) => Some(SubstituteKind::Ipv6),
            (false, false, _) => None,
        }
    }
}

/// The typed placeholders of a resolution: each attribute keeps its value
/// from round to round, and no address is used twice or is one the plan
/// holds itself, so that the loader can tell each back.
#[derive(Debug, Default)]
pub struct Substitutes {
    /// By resource instance address: the path and the value chosen.
    pub chosen: parity_terraform::Described,
    /// The plan's own text, to leave out addresses it holds.
    plan_text: String,
    used: BTreeSet<String>,
    next_v4: usize,
    next_v6: usize,
    next_name: usize,
    /// By address and path text: the attributes spelled as names, because
    /// terraform refused their placeholders ([`Substitutes::spell_as_name`]).
    names: BTreeSet<(String, String)>,
    /// By address and path text: the attributes in the ARN spelling,
    /// because terraform wanted an ARN where the plain one went
    /// ([`Substitutes::spell_as_arn`]).
    arns: BTreeSet<(String, String)>,
}

/// The IPv4 documentation ranges (RFC 5737), as their first three bytes.
const IPV4_DOCUMENTATION: [&str; 3] = ["192.0.2", "198.51.100", "203.0.113"];

impl Substitutes {
    /// Typed placeholders for a resolution of `plan`: none is a value the
    /// plan holds.
    pub fn new(plan: &Json) -> Substitutes {
        Substitutes {
            plan_text: plan.to_string(),
            ..Substitutes::default()
        }
    }

    /// The value of the attribute at `path` of `address`; `None` when the
    /// documentation ranges are used up.
    fn choose(&mut self, address: &str, path: &[Segment], kind: SubstituteKind) -> Option<String> {
        let chosen = self.chosen.entry(address.to_owned()).or_default();
        if let Some((_, value)) = chosen.iter().find(|(p, _)| p == path) {
            return Some(value.clone());
        }
        let value = match kind {
            SubstituteKind::Enum(value) => value.to_owned(),
            SubstituteKind::Ipv4 => self.next_ipv4()?,
            SubstituteKind::Ipv4Cidr => format!("{}/32", self.next_ipv4()?),
            SubstituteKind::Ipv6 => self.next_ipv6(false),
            SubstituteKind::Ipv6Cidr => self.next_ipv6(true),
            SubstituteKind::Name => self.next_name(),
        };
        self.used.insert(value.clone());
        self.chosen
            .entry(address.to_owned())
            .or_default()
            .push((path.to_vec(), value.clone()));
        Some(value)
    }

    /// Spells the attribute at `path` (its text) of `address` as a name
    /// from now on; `false` when it already is.
    pub fn spell_as_name(&mut self, address: &str, path: &str) -> bool {
        self.names.insert((address.to_owned(), path.to_owned()))
    }

    fn spelled_as_name(&self, address: &str, path: &[Segment]) -> bool {
        self.names.contains(&(address.to_owned(), path_text(path)))
    }

    /// Spells the attribute at `path` (its text) of `address` in the ARN
    /// spelling of its placeholder from now on; `false` when it already is.
    pub fn spell_as_arn(&mut self, address: &str, path: &str) -> bool {
        self.arns.insert((address.to_owned(), path.to_owned()))
    }

    fn spelled_as_arn(&self, address: &str, path: &[Segment]) -> bool {
        self.arns.contains(&(address.to_owned(), path_text(path)))
    }

    fn next_name(&mut self) -> String {
        loop {
            self.next_name += 1;
            let candidate = format!("{NAME_SUBSTITUTE_PREFIX}{}", self.next_name);
            if self.free(&candidate) {
                return candidate;
            }
        }
    }

    fn free(&self, candidate: &str) -> bool {
        !self.used.contains(candidate) && !contains_address(&self.plan_text, candidate)
    }

    fn next_ipv4(&mut self) -> Option<String> {
        while self.next_v4 < IPV4_DOCUMENTATION.len() * 254 {
            let (range, host) = (self.next_v4 / 254, self.next_v4 % 254 + 1);
            self.next_v4 += 1;
            let candidate = format!("{}.{host}", IPV4_DOCUMENTATION[range]);
            if self.free(&candidate) {
                return Some(candidate);
            }
        }
        None
    }

    fn next_ipv6(&mut self, cidr: bool) -> String {
        loop {
            self.next_v6 += 1;
            let candidate = if cidr {
                format!("2001:db8:{:x}::/56", self.next_v6)
            } else {
                format!("2001:db8::{:x}", self.next_v6)
            };
            if self.free(&candidate) {
                return candidate;
            }
        }
    }
}

/// The built-in resource of Terraform that holds values of any type.
const TERRAFORM_DATA: &str = "terraform_data";

/// A state holds a value of an attribute of type `dynamic` with its type:
/// `{"value": …, "type": …}`, the type being what the value is.
fn wrap_dynamic(attributes: &mut Json, ty: &Type<'_>) {
    let Type::Block(block) = ty else {
        return;
    };
    let Some(map) = attributes.as_object_mut() else {
        return;
    };
    for (key, value) in map.iter_mut() {
        if block["attributes"][key.as_str()]["type"] == "dynamic" {
            let wrapped = json!({"value": value.clone(), "type": cty_type_of(value)});
            *value = wrapped;
        }
    }
}

/// The cty type of a JSON value as Terraform reads it: objects and tuples
/// for what the configuration wrote as `{…}` and `[…]`.
fn cty_type_of(value: &Json) -> Json {
    match value {
        Json::Null => json!("dynamic"),
        Json::Bool(_) => json!("bool"),
        Json::Number(_) => json!("number"),
        Json::String(_) => json!("string"),
        Json::Array(items) => json!(["tuple", items.iter().map(cty_type_of).collect::<Vec<_>>()]),
        Json::Object(map) => json!([
            "object",
            map.iter()
                .map(|(k, v)| (k.clone(), cty_type_of(v)))
                .collect::<Map<String, Json>>()
        ]),
    }
}

/// Where a value sits in a resource's schema.
enum Type<'s> {
    /// A block: attributes and nested block types.
    Block(&'s Json),
    /// A nested block type with a nesting mode (`list`, `set`, `map`).
    Blocks(&'s Json),
    /// An attribute of this cty type (`"string"`, `["list", "string"]`).
    Cty(&'s Json),
    Unknown,
}

/// One step into a value.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'s> Type<'s> {
    fn child(&self, step: &Step<'_>) -> Type<'s> {
        match (self, step) {
            (Type::Block(block), Step::Key(key)) => {
                if let Some(attribute) = block["attributes"].get(*key) {
                    attribute.get("type").map_or(Type::Unknown, Type::Cty)
                } else if let Some(nested) = block["block_types"].get(*key) {
                    match nested["nesting_mode"].as_str() {
                        Some("single" | "group") => Type::Block(&nested["block"]),
                        _ => Type::Blocks(nested),
                    }
                } else {
                    Type::Unknown
                }
            }
            (Type::Blocks(nested), _) => Type::Block(&nested["block"]),
            (Type::Cty(Json::Array(ty)), step) => match (ty.first().and_then(Json::as_str), step) {
                (Some("list" | "set" | "map"), _) => Type::Cty(&ty[1]),
                (Some("object"), Step::Key(key)) => {
                    ty[1].get(*key).map_or(Type::Unknown, Type::Cty)
                }
                (Some("tuple"), Step::Index(i)) => ty[1].get(*i).map_or(Type::Unknown, Type::Cty),
                _ => Type::Unknown,
            },
            _ => Type::Unknown,
        }
    }

    /// The schema of attribute `key` of a block.
    fn attribute(&self, key: &str) -> Option<&'s Json> {
        match self {
            Type::Block(block) => block["attributes"].get(key),
            _ => None,
        }
    }

    /// Whether a key one step down is a map key (an index) rather than an
    /// attribute name.
    fn keys_are_indexes(&self) -> bool {
        match self {
            Type::Blocks(nested) => nested["nesting_mode"] == "map",
            Type::Cty(Json::Array(ty)) => ty.first().and_then(Json::as_str) == Some("map"),
            _ => false,
        }
    }
}

struct Filler<'a> {
    address: &'a str,
    filling: &'a Filling,
    /// Where the plan replaces the resource because of what the state held:
    /// unknown there, the value is left empty rather than made up again
    /// (see [`replaced_because_of`]).
    left_empty: Vec<Vec<Segment>>,
    /// What was made up, and where.
    filled: std::cell::RefCell<Vec<(Vec<Segment>, Json)>>,
    /// Where typed placeholders come from (`None`: untyped, as in tests).
    substitutes: Option<&'a std::cell::RefCell<Substitutes>>,
    /// Values made up before that did not hold (see [`from_plan`]).
    attempts: &'a BTreeMap<(String, String), usize>,
}

impl Filler<'_> {
    /// The planned value with every unknown part replaced by a placeholder.
    fn fill(&self, after: &Json, unknown: &Json, ty: &Type<'_>, path: &mut Vec<Segment>) -> Json {
        self.fill_in(after, unknown, ty, None, path)
    }

    /// [`Filler::fill`] inside the attribute whose schema is `attribute`.
    fn fill_in(
        &self,
        after: &Json,
        unknown: &Json,
        ty: &Type<'_>,
        attribute: Option<&Json>,
        path: &mut Vec<Segment>,
    ) -> Json {
        match unknown {
            Json::Bool(true) => {
                let value = match self.filling {
                    Filling::Deployed if self.left_empty.contains(path) => Json::Null,
                    Filling::Deployed => self.placeholder(ty, path),
                    Filling::Traceable { .. } => {
                        let key = (self.address.to_owned(), path_text(path));
                        let attempt = self.attempts.get(&key).copied().unwrap_or(0);
                        let candidates = self.candidates(ty, attribute, path);
                        // The last one stays: what it leaves unknown is
                        // unknown whatever the state holds.
                        candidates[attempt.min(candidates.len() - 1)].clone()
                    }
                };
                self.filled.borrow_mut().push((path.clone(), value.clone()));
                value
            }
            Json::Object(mask) => {
                let mut out = after.as_object().cloned().unwrap_or_default();
                for (key, mask) in mask {
                    path.push(Segment::Key(key.clone()));
                    let child = ty.child(&Step::Key(key));
                    let schema = match ty {
                        Type::Block(_) => ty.attribute(key),
                        _ => attribute,
                    };
                    let value = self.fill_in(
                        after.get(key).unwrap_or(&Json::Null),
                        mask,
                        &child,
                        schema,
                        path,
                    );
                    path.pop();
                    out.insert(key.clone(), value);
                }
                Json::Object(out)
            }
            Json::Array(mask) => {
                let items = after.as_array().cloned().unwrap_or_default();
                let len = items.len().max(mask.len());
                (0..len)
                    .map(|i| {
                        path.push(Segment::Index(i));
                        let child = ty.child(&Step::Index(i));
                        let schema = match ty {
                            Type::Blocks(_) => None,
                            _ => attribute,
                        };
                        let value = self.fill_in(
                            items.get(i).unwrap_or(&Json::Null),
                            mask.get(i).unwrap_or(&Json::Bool(false)),
                            &child,
                            schema,
                            path,
                        );
                        path.pop();
                        value
                    })
                    .collect()
            }
            _ => after.clone(),
        }
    }

    /// The values to try in turn for an unknown value of a placeholder
    /// state: an attribute left unset ([`Filler::left_unset`]) is null, then
    /// the provider's "none" (an empty string), then a placeholder, and
    /// unset again when none held (what a made-up value costs most is a
    /// replacement, which leaves every value of the resource unknown); any
    /// other gets a placeholder, then null (a provider may plan a
    /// replacement when a made-up value is not one it would have chosen: a
    /// target group's `protocol_version`).
    fn candidates(&self, ty: &Type<'_>, attribute: Option<&Json>, path: &[Segment]) -> Vec<Json> {
        let placeholder = self.placeholder(ty, path);
        if placeholder.is_string() && self.set_by_configuration(attribute) {
            return vec![json!("")];
        }
        if self.left_unset(attribute, path) {
            let mut out = vec![Json::Null];
            if placeholder.is_string() {
                out.push(json!(""));
            }
            out.push(placeholder);
            out.push(Json::Null);
            out
        } else {
            vec![placeholder, Json::Null]
        }
    }

    /// Whether an unknown value is one the configuration sets (the
    /// attribute is not computed): the next plan evaluates it again, so the
    /// state holds the provider's "none" for a string (an empty string).
    /// Not null: a provider may compare which of its arguments the state
    /// and the plan set (a security group rule's source, set from another
    /// group's ID, planned as a replacement with no attribute path, which
    /// terraform refuses).
    fn set_by_configuration(&self, attribute: Option<&Json>) -> bool {
        matches!(self.filling, Filling::Traceable { .. })
            && attribute.is_some_and(|a| {
                a["computed"] != true && (a["optional"] == true || a["required"] == true)
            })
    }

    /// Whether an unknown value is left out of a placeholder state (null):
    /// an attribute the configuration sets, which the next plan evaluates
    /// again (only computed attributes get placeholders), or an optional
    /// and computed one that nothing reads, left to AWS's default (a
    /// placeholder there may contradict the rest of the resource). An ARN
    /// attribute of a resource read whole ([`WHOLE_RESOURCE`]) counts as
    /// read: an SSM parameter's `arn` is optional and computed, and left
    /// unset the next plan holds it null, not unknown, so that a container
    /// secret's `valueFrom` built from it would vanish.
    ///
    /// A resource's `id` is never left unset, though the schema of a
    /// provider built on the plugin SDK says it is optional and computed:
    /// without one the provider takes the resource for one it has to
    /// create, and plans every value it computes anew.
    fn left_unset(&self, attribute: Option<&Json>, path: &[Segment]) -> bool {
        let Filling::Traceable { reads, .. } = self.filling else {
            return false;
        };
        let Some(attribute) = attribute else {
            return false;
        };
        let flag = |name: &str| attribute[name] == true;
        if !flag("computed") {
            return flag("optional") || flag("required");
        }
        let name = match path {
            [Segment::Key(name)] if name == "id" => return false,
            [Segment::Key(name), ..] => name,
            _ => return false,
        };
        let read_whole =
            is_arn_attribute(name) && reads.contains(&sink_of(self.address, WHOLE_RESOURCE));
        flag("optional") && !reads.contains(&sink_of(self.address, name)) && !read_whole
    }

    fn placeholder(&self, ty: &Type<'_>, path: &[Segment]) -> Json {
        let attribute = path
            .iter()
            .rev()
            .find_map(|step| match step {
                Segment::Key(key) => Some(key.as_str()),
                Segment::Index(_) => None,
            })
            .unwrap_or("");
        let steps: Vec<String> = path
            .iter()
            .map(|step| match step {
                Segment::Key(key) => key.clone(),
                Segment::Index(i) => i.to_string(),
            })
            .collect();
        match ty {
            Type::Cty(Json::String(kind)) => match kind.as_str() {
                "string" => match self.filling {
                    Filling::Deployed if is_arn_attribute(attribute) => json!(self.arn()),
                    _ if is_document_attribute(attribute) => json!(""),
                    Filling::Traceable { .. } if self.spelled_as_name(path) => {
                        match self.substitute_as(SubstituteKind::Name, path) {
                            Some(value) => json!(value),
                            None => json!(Placeholder::new(self.address, steps).render_plain()),
                        }
                    }
                    Filling::Traceable { .. } if SubstituteKind::of(attribute).is_some() => {
                        match self.substitute(attribute, path) {
                            Some(value) => json!(value),
                            None => json!(Placeholder::new(self.address, steps).render_plain()),
                        }
                    }
                    Filling::Traceable {
                        region, arn_sinks, ..
                    } => {
                        let placeholder = Placeholder::new(self.address, steps);
                        let sink = sink_of(self.address, attribute);
                        if is_arn_attribute(attribute)
                            || (path.len() == 1 && arn_sinks.contains(&sink))
                            || self.spelled_as_arn(path)
                        {
                            json!(placeholder.render(region))
                        } else {
                            json!(placeholder.render_plain())
                        }
                    }
                    Filling::Deployed => json!(format!(
                        "ph-{}-{}",
                        sanitize(self.address),
                        sanitize(&steps.join("-"))
                    )),
                },
                "number" => json!(1),
                "bool" => json!(false),
                _ => Json::Null,
            },
            Type::Cty(Json::Array(ty)) => match ty.first().and_then(Json::as_str) {
                Some("list" | "set" | "tuple") => json!([]),
                Some("map") => json!({}),
                Some("object") => Json::Object(
                    ty[1]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(key, _)| (key.clone(), Json::Null))
                        .collect(),
                ),
                _ => Json::Null,
            },
            Type::Blocks(nested) if nested["nesting_mode"] == "map" => json!({}),
            Type::Blocks(_) => json!([]),
            _ => Json::Null,
        }
    }

    /// The typed placeholder of an attribute that must hold an address or
    /// a value of an enumeration, when it is one.
    fn substitute(&self, attribute: &str, path: &[Segment]) -> Option<String> {
        self.substitute_as(SubstituteKind::of(attribute)?, path)
    }

    fn substitute_as(&self, kind: SubstituteKind, path: &[Segment]) -> Option<String> {
        let substitutes = self.substitutes?;
        substitutes.borrow_mut().choose(self.address, path, kind)
    }

    /// Whether terraform wanted an ARN where the plain spelling of the
    /// placeholder at `path` went ([`Substitutes::spell_as_arn`]).
    fn spelled_as_arn(&self, path: &[Segment]) -> bool {
        self.substitutes
            .is_some_and(|s| s.borrow().spelled_as_arn(self.address, path))
    }

    /// Whether terraform refused the placeholder at `path` so that it is
    /// spelled as a name ([`Substitutes::spell_as_name`]).
    fn spelled_as_name(&self, path: &[Segment]) -> bool {
        self.substitutes
            .is_some_and(|s| s.borrow().spelled_as_name(self.address, path))
    }

    /// `arn:aws:iam:eu-west-1:123456789012:iam_role/module-a-aws-iam-role-x`
    fn arn(&self) -> String {
        let resource = self.address.rsplit('.').nth(1).unwrap_or(self.address);
        let resource = resource.strip_prefix("aws_").unwrap_or(resource);
        let service = resource.split('_').next().unwrap_or("aws");
        format!(
            "arn:aws:{service}:{DEPLOYED_REGION}:{DEPLOYED_ACCOUNT}:{resource}/{}",
            sanitize(self.address)
        )
    }
}

/// `a.0.b`: a path as one text.
pub fn path_text(path: &[Segment]) -> String {
    path.iter()
        .map(|segment| match segment {
            Segment::Key(key) => key.clone(),
            Segment::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The paths that make the plan replace the resource (`replace_paths`).
///
/// A provider may plan a replacement when a made-up value is not one it
/// would have chosen (a target group's `protocol_version`): the value is
/// unknown again in the plan, and made up again it would be replaced again,
/// forever. Left empty, the provider takes the attribute as not set yet and
/// keeps it; where the configuration sets the value, it is known in the
/// plan and never made up.
pub fn replaced_because_of(change: &Json) -> Vec<Vec<Segment>> {
    let actions = &change["change"]["actions"];
    let replaced = [json!(["delete", "create"]), json!(["create", "delete"])].contains(actions);
    if !replaced {
        return Vec::new();
    }
    change["change"]["replace_paths"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|path| {
            path.as_array()?
                .iter()
                .map(|step| match step {
                    Json::String(key) => Some(Segment::Key(key.clone())),
                    Json::Number(n) => Some(Segment::Index(usize::try_from(n.as_u64()?).ok()?)),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

fn is_arn_attribute(name: &str) -> bool {
    name == "arn" || name.starts_with("arn_") || name.ends_with("_arn") || name.ends_with("_arns")
}

/// An attribute of a resource of the configuration, as its module's
/// resources reference it: the module calls on the way (without instance
/// keys), `type.name`, and the attribute.
pub type Sink = (Vec<String>, String, String);

/// The attribute of a [`Sink`] that stands for any attribute: the
/// configuration reads the resource whole, or at an instance key terraform
/// does not know before it evaluates the expression
/// (`aws_ssm_parameter.p[each.key].arn`, which the plan's configuration
/// lists as `aws_ssm_parameter.p` alone). What is read is then not known;
/// what such an expression takes is nearly always how to point at the
/// resource, so its ARN attributes count as read ([`Filler::left_unset`]),
/// not its settings that AWS chooses (a topic's FIFO throughput scope),
/// where a placeholder can contradict the rest of the resource.
pub const WHOLE_RESOURCE: &str = "*";

/// The attributes of resource instance `address` called `attribute`, as a
/// [`Sink`].
fn sink_of(address: &str, attribute: &str) -> Sink {
    let modules = module_of(address);
    let resource = address[modules.len()..].trim_start_matches('.');
    let resource = resource.split('[').next().unwrap_or(resource);
    (
        without_keys(modules),
        resource.to_owned(),
        attribute.to_owned(),
    )
}

/// The module part of a resource instance address (`module.a["k"]`), empty
/// in the root module.
fn module_of(address: &str) -> &str {
    let mut end = 0;
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    let mut segment_start = 0;
    let mut segments = Vec::new();
    for (i, c) in address.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            '.' if !quoted && depth == 0 => {
                segments.push((segment_start, i));
                segment_start = i + 1;
            }
            _ => {}
        }
    }
    segments.push((segment_start, address.len()));
    let mut i = 0;
    while i + 1 < segments.len() && &address[segments[i].0..segments[i].1] == "module" {
        end = segments[i + 1].1;
        i += 2;
    }
    &address[..end]
}

/// The resource attributes the configuration passes where an ARN goes:
/// into an argument called `arn` or `*_arn(s)`, a module input or output so
/// called.
pub fn arn_sinks(plan: &Json) -> BTreeSet<Sink> {
    let mut out = BTreeSet::new();
    sinks_in_module(
        &plan["configuration"]["root_module"],
        &mut Vec::new(),
        &mut out,
        true,
        0,
    );
    out
}

/// The resource attributes the configuration reads anywhere: in an
/// argument, a `for_each` or `count`, a module input or output; a resource
/// read whole (or at a key known only when the expression is evaluated) has
/// its [`WHOLE_RESOURCE`] sink.
pub fn reads(plan: &Json) -> BTreeSet<Sink> {
    let mut out = BTreeSet::new();
    sinks_in_module(
        &plan["configuration"]["root_module"],
        &mut Vec::new(),
        &mut out,
        false,
        0,
    );
    out
}

/// The references under `json` (expressions); with `arns_only`, under
/// arguments named like ARNs.
fn references_in<'j>(json: &'j Json, name: Option<&str>, arns_only: bool, out: &mut Vec<&'j str>) {
    if arns_only {
        arn_references(json, name, out);
    } else {
        collect_references(json, out);
    }
}

fn sinks_in_module(
    module: &Json,
    calls: &mut Vec<String>,
    out: &mut BTreeSet<Sink>,
    arns_only: bool,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    let mut references = Vec::new();
    for resource in module["resources"].as_array().into_iter().flatten() {
        references_in(&resource["expressions"], None, arns_only, &mut references);
        if !arns_only {
            for key in ["for_each_expression", "count_expression"] {
                references_in(&resource[key], None, false, &mut references);
            }
        }
    }
    for (name, output) in module["outputs"].as_object().into_iter().flatten() {
        references_in(
            &output["expression"],
            Some(name),
            arns_only,
            &mut references,
        );
    }
    for (name, call) in module["module_calls"].as_object().into_iter().flatten() {
        references_in(&call["expressions"], None, arns_only, &mut references);
        if !arns_only {
            for key in ["for_each_expression", "count_expression"] {
                references_in(&call[key], None, false, &mut references);
            }
        }
        calls.push(name.clone());
        sinks_in_module(&call["module"], calls, out, arns_only, depth + 1);
        calls.pop();
    }
    for reference in references {
        let plain: String = strip_brackets(reference);
        let mut parts: Vec<&str> = plain.split('.').collect();
        if let [ty, name] = parts.as_slice()
            && !arns_only
        {
            // A resource's address alone reaches here only where it does
            // not end a longer reference to it (`collect_references`): the
            // resource read whole, or at a key known only when evaluated.
            parts = vec![ty, name, WHOLE_RESOURCE];
        }
        if let [ty, name, attribute, ..] = parts.as_slice() {
            let not_a_resource = matches!(
                *ty,
                "var"
                    | "local"
                    | "module"
                    | "data"
                    | "count"
                    | "each"
                    | "path"
                    | "self"
                    | "terraform"
            );
            if !not_a_resource {
                out.insert((
                    calls.clone(),
                    format!("{ty}.{name}"),
                    (*attribute).to_owned(),
                ));
            }
        }
    }
}

/// The references of the expressions under arguments named like ARNs;
/// `name` is the argument `json` is the expression of, when it is one.
fn arn_references<'j>(json: &'j Json, name: Option<&str>, out: &mut Vec<&'j str>) {
    match json {
        Json::Object(map)
            if map.contains_key("references") || map.contains_key("constant_value") =>
        {
            let references = map.get("references").and_then(Json::as_array);
            if name.is_some_and(is_arn_attribute) {
                out.extend(references.into_iter().flatten().filter_map(Json::as_str));
            }
        }
        Json::Object(map) => {
            for (key, value) in map {
                arn_references(value, Some(key), out);
            }
        }
        Json::Array(items) => items
            .iter()
            .for_each(|item| arn_references(item, name, out)),
        _ => {}
    }
}

/// `aws_x.y["a.b"].id` → `aws_x.y.id`.
fn strip_brackets(reference: &str) -> String {
    let mut out = String::new();
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    for c in reference.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn is_document_attribute(name: &str) -> bool {
    ["policy", "policies", "definitions", "definition", "json"]
        .iter()
        .any(|end| name.ends_with(end))
}

/// Letters, digits and single dashes: valid in names, IDs and ARNs.
fn sanitize(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// The paths `after_sensitive` marks, as a state's `sensitive_attributes`
/// lists them.
fn sensitive_paths(mask: &Json, ty: &Type<'_>, path: &mut Vec<Json>, out: &mut Vec<Json>) {
    match mask {
        Json::Bool(true) => out.push(Json::Array(path.clone())),
        Json::Object(map) => {
            for (key, mask) in map {
                let step = if ty.keys_are_indexes() {
                    json!({"type": "index", "value": {"value": key, "type": "string"}})
                } else {
                    json!({"type": "get_attr", "value": key})
                };
                path.push(step);
                sensitive_paths(mask, &ty.child(&Step::Key(key)), path, out);
                path.pop();
            }
        }
        Json::Array(items) => {
            for (i, mask) in items.iter().enumerate() {
                path.push(json!({"type": "index", "value": {"value": i, "type": "number"}}));
                sensitive_paths(mask, &ty.child(&Step::Index(i)), path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The resources the configuration of `module_address`'s `type.name`
/// references in the same module, and its `depends_on`, as absolute
/// addresses without instance keys.
fn dependencies(plan: &Json, module_address: &str, resource_type: &str, name: &str) -> Vec<String> {
    let calls = without_keys(module_address);
    let mut module = &plan["configuration"]["root_module"];
    for call in calls.iter() {
        module = &module["module_calls"][call]["module"];
    }
    let prefix: String = calls.iter().map(|call| format!("module.{call}.")).collect();
    let own = format!("{resource_type}.{name}");
    let mut found = BTreeSet::new();
    let Some(resource) = module["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["address"] == own.as_str())
    else {
        return Vec::new();
    };
    let mut references = Vec::new();
    collect_references(&resource["expressions"], &mut references);
    for dependency in resource["depends_on"].as_array().into_iter().flatten() {
        references.extend(dependency.as_str());
    }
    for reference in references {
        let parts: Vec<&str> = reference.split('.').collect();
        let strip = |part: &str| part.split('[').next().unwrap_or(part).to_owned();
        let address = match parts.as_slice() {
            ["data", ty, name, ..] => format!("data.{ty}.{}", strip(name)),
            [first, ..]
                if matches!(
                    *first,
                    "var" | "local" | "module" | "count" | "each" | "path" | "self" | "terraform"
                ) =>
            {
                continue;
            }
            [ty, name, ..] => format!("{ty}.{}", strip(name)),
            _ => continue,
        };
        if address != own {
            found.insert(format!("{prefix}{address}"));
        }
    }
    found.into_iter().collect()
}

/// The references under `json` (expressions), each as terraform lists it,
/// except a resource's own address that only ends the list of shorter
/// references terraform gives with each one (`aws_x.y[0].arn`,
/// `aws_x.y[0]`, `aws_x.y`): a resource's address alone is then a
/// reference to the resource whole, or at an instance key terraform cannot
/// know before it evaluates the expression (`aws_x.y[each.key].arn` is
/// listed as `aws_x.y` alone).
fn collect_references<'j>(json: &'j Json, out: &mut Vec<&'j str>) {
    match json {
        Json::Object(map) => {
            if let Some(Json::Array(references)) = map.get("references") {
                let mut previous: Option<&str> = None;
                for reference in references.iter().filter_map(Json::as_str) {
                    let ends_longer = previous.is_some_and(|longer| {
                        longer
                            .strip_prefix(reference)
                            .is_some_and(|rest| rest.starts_with(['.', '[']))
                    });
                    if !ends_longer {
                        out.push(reference);
                    }
                    previous = Some(reference);
                }
            }
            for (key, value) in map {
                if key != "references" && key != "constant_value" {
                    collect_references(value, out);
                }
            }
        }
        Json::Array(items) => items.iter().for_each(|item| collect_references(item, out)),
        _ => {}
    }
}

/// `module.a["k.v"].module.b[0]` → `["a", "b"]`.
fn without_keys(module_address: &str) -> Vec<String> {
    let mut plain = String::new();
    let (mut depth, mut quoted) = (0usize, false);
    for c in module_address.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    plain
        .split('.')
        .collect::<Vec<_>>()
        .chunks(2)
        .filter_map(|pair| match pair {
            ["module", name] => Some((*name).to_owned()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
