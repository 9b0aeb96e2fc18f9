//! The comparison rules for values: when a Terraform value and a
//! CloudFormation value mean the same thing.

use std::borrow::Cow;

use parity_mapping::{Entity, PropertyMapping, Table, TerraformType};
use parity_model::{Conditional, Ref, ResourceId, Side, TemplatePart, Value};

use crate::Alignment;
use crate::align::FastMap;

/// The outcome of comparing two values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Equal,
    /// Cannot be decided before deploy; never counted as equal.
    Unverifiable,
    Differs,
}

impl Verdict {
    /// Combines the verdicts of parts: any difference wins, then any doubt.
    fn and(self, other: Verdict) -> Verdict {
        self.max(other)
    }
}

/// What a reference on one side means on the other: built from the
/// alignment, so that `${aws_iam_role.task.arn}` equals `${TaskRole.Arn}`
/// exactly when the two roles are twins.
pub struct References<'a> {
    table: &'a Table,
    /// Terraform address → (Terraform type, the twin's reference targets).
    /// (Hash maps: only looked up, never walked.)
    twins: FastMap<&'a str, (&'a str, Vec<String>)>,
    /// CloudFormation reference target (both spellings) → the Terraform
    /// entity that is its twin.
    twin_of_target: FastMap<String, &'a Entity>,
    /// Reference target → entity, on each side.
    terraform: FastMap<String, &'a Entity>,
    cloudformation: FastMap<String, &'a Entity>,
    /// How many stacks have each logical ID.
    logical_id_count: FastMap<&'a str, usize>,
}

impl<'a> References<'a> {
    pub fn new(
        table: &'a Table,
        terraform: &'a [Entity],
        cloudformation: &'a [Entity],
        alignment: &Alignment,
    ) -> Self {
        let mut logical_id_count: FastMap<&str, usize> = FastMap::default();
        for entity in cloudformation {
            if let ResourceId::CloudFormation { logical_id, .. } = &entity.id {
                *logical_id_count.entry(logical_id).or_default() += 1;
            }
        }
        let by_address = terraform
            .iter()
            .filter_map(|e| match &e.id {
                ResourceId::Terraform { address } => Some((address.clone(), e)),
                ResourceId::CloudFormation { .. } => None,
            })
            .collect();
        let mut by_target = FastMap::default();
        for e in cloudformation {
            if let ResourceId::CloudFormation { stack, logical_id } = &e.id {
                by_target.insert(format!("{stack}/{logical_id}"), e);
                if logical_id_count.get(logical_id.as_str()) == Some(&1) {
                    by_target.insert(logical_id.clone(), e);
                }
            }
        }
        let mut references = References {
            table,
            twins: FastMap::default(),
            twin_of_target: FastMap::default(),
            terraform: by_address,
            cloudformation: by_target,
            logical_id_count,
        };
        for pair in &alignment.pairs {
            references.pair(
                &terraform[pair.terraform],
                &cloudformation[pair.cloudformation],
            );
        }
        references
    }

    /// Reads `tf` and `cfn` as twins from now on (alignment adds its pairs
    /// as it makes them, instead of reading every entity again).
    pub fn pair(&mut self, tf: &'a Entity, cfn: &'a Entity) {
        let (ResourceId::Terraform { address }, ResourceId::CloudFormation { stack, logical_id }) =
            (&tf.id, &cfn.id)
        else {
            return;
        };
        // The loader qualifies reference targets with the stack only when
        // there are several stacks; accept both spellings.
        let mut targets = vec![format!("{stack}/{logical_id}")];
        if self.logical_id_count.get(logical_id.as_str()) == Some(&1) {
            targets.push(logical_id.clone());
        }
        for target in &targets {
            self.twin_of_target.insert(target.clone(), tf);
        }
        self.twins
            .insert(address.as_str(), (tf.source_type.as_str(), targets));
    }

    /// The known value of the attribute a reference names, when the
    /// resource it names sets it: `${LogGroup}` is the log group's
    /// `LogGroupName` when the template gives one.
    fn resolve(&self, r: &Ref, side: Side) -> Option<&'a Value> {
        let (entity, terraform_attribute, mapping): (&'a Entity, &str, _) = match side {
            Side::Terraform => {
                let entity = *self.terraform.get(&r.target)?;
                let mapping = self.table.terraform_type(&entity.source_type)?;
                (entity, r.attribute.as_deref()?, mapping)
            }
            Side::CloudFormation => {
                let entity = *self.cloudformation.get(&r.target)?;
                self.table
                    .terraform_twins(&entity.canonical_type)
                    .find_map(|(_, mapping)| {
                        let attribute = mapping.terraform_attribute_for(r.attribute.as_deref())?;
                        Some((entity, attribute, mapping))
                    })?
            }
        };
        known_attribute(entity, terraform_attribute, mapping)
    }

    /// The known value of the attribute a CloudFormation reference names,
    /// read from the Terraform twin of the resource it names: what the
    /// reference is on the Terraform side (`${LogGroup}` is the twin log
    /// group's name, when Terraform knows it).
    fn through_twin(&self, r: &Ref) -> Option<&'a Value> {
        let entity = *self.twin_of_target.get(&r.target)?;
        let mapping = self.table.terraform_type(&entity.source_type)?;
        let attribute = mapping.terraform_attribute_for(r.attribute.as_deref())?;
        known_attribute(entity, attribute, mapping)
    }

    /// The value with every reference whose target is known replaced by it.
    fn resolved(&self, value: &Value, side: Side) -> Option<Cow<'a, Value>> {
        match value.unmarked().0 {
            Value::Ref(r) => self.resolve(r, side).map(Cow::Borrowed),
            Value::Template(parts) => {
                // Nothing is copied until a reference resolves.
                let (at, first) = parts.iter().enumerate().find_map(|(at, p)| match p {
                    TemplatePart::Ref(r) => self.resolve(r, side).map(|v| (at, v)),
                    _ => None,
                })?;
                let literal = |v: &Value| TemplatePart::Literal(v.unmarked().0.to_string());
                let mut out: Vec<TemplatePart> = parts[..at].to_vec();
                out.push(literal(first));
                out.extend(parts[at + 1..].iter().map(|p| match p {
                    TemplatePart::Ref(r) => match self.resolve(r, side) {
                        Some(v) => literal(v),
                        None => p.clone(),
                    },
                    other => other.clone(),
                }));
                Some(Cow::Owned(Value::template(out)))
            }
            _ => None,
        }
    }

    /// Whether a value Terraform knows only after apply is computed from the
    /// twin of what the CloudFormation value refers to: not proof of
    /// equality, but enough to tell list items apart.
    pub fn plausibly_same(&self, terraform: &Value, cloudformation: &Value) -> bool {
        let Value::Unknown(u) = terraform.unmarked().0 else {
            return false;
        };
        let targets: Vec<&str> = match cloudformation.unmarked().0 {
            Value::Ref(r) => vec![r.target.as_str()],
            Value::Template(parts) => parts
                .iter()
                .filter_map(|p| match p {
                    TemplatePart::Ref(r) => Some(r.target.as_str()),
                    _ => None,
                })
                .collect(),
            _ => return false,
        };
        u.refs
            .iter()
            .any(|r| targets.iter().any(|t| self.are_twins(r, t)))
    }

    /// Whether a reference of `side` names one of its resources (not a
    /// template parameter, nor anything outside the inputs).
    fn names_resource(&self, r: &Ref, side: Side) -> bool {
        match side {
            Side::Terraform => self.terraform.contains_key(&r.target),
            Side::CloudFormation => self.cloudformation.contains_key(&r.target),
        }
    }

    /// A CloudFormation reference target in its stack-qualified spelling.
    pub fn qualified_target(&self, target: &str) -> Option<String> {
        self.cloudformation.get(target).map(|e| e.id.to_string())
    }

    /// Whether the Terraform address has a twin yet. Twins are only ever
    /// added: how many of a set of addresses have one says whether any
    /// was added since.
    pub fn has_twin(&self, terraform: &str) -> bool {
        self.twins.contains_key(terraform)
    }

    /// The CloudFormation reference target of a Terraform address's twin,
    /// in its stack-qualified spelling.
    pub fn twin_target(&self, terraform: &str) -> Option<String> {
        self.twins
            .get(terraform)
            .and_then(|(_, targets)| targets.first().cloned())
    }

    /// Whether Terraform parts and CloudFormation parts say the same: a
    /// `Fn::GetAtt` that is a Terraform attribute and a suffix (a log
    /// group's `Arn` and `:*`) as such, and an ARN the template builds from
    /// a `Ref` (as CDK does) as the ARN when the parts do not match as they
    /// are (see [`parity_mapping::read_arns`]).
    fn equal_parts(&self, terraform: &[TemplatePart], cloudformation: &[TemplatePart]) -> bool {
        let type_of = |target: &str| {
            self.cloudformation
                .get(target)
                .and_then(|entity| self.table.cloudformation_type(&entity.canonical_type))
        };
        let suffixed = parity_mapping::with_get_att_suffixes(cloudformation, &type_of);
        let cloudformation = suffixed.as_deref().unwrap_or(cloudformation);
        compare_parts(terraform, cloudformation, self) == Verdict::Equal
            || parity_mapping::read_arns(cloudformation, &type_of)
                .is_some_and(|read| compare_parts(terraform, &read, self) == Verdict::Equal)
    }

    /// Whether a Terraform address and a CloudFormation reference target name
    /// twin resources.
    pub fn are_twins(&self, terraform: &str, cloudformation: &str) -> bool {
        self.twins
            .get(terraform)
            .is_some_and(|(_, targets)| targets.iter().any(|t| t == cloudformation))
    }

    /// Whether two values name twin resources, whatever attribute each
    /// takes: two references to twins, or a Terraform literal that is the
    /// name of the twin of the referenced resource (its identity in the
    /// table, as a service takes its task definition by family), with or
    /// without a revision (`family:3`).
    pub fn same_resource(&self, terraform: &Value, cloudformation: &Value) -> bool {
        match (terraform.unmarked().0, cloudformation.unmarked().0) {
            (Value::Ref(t), Value::Ref(c)) => self.are_twins(&t.target, &c.target),
            (Value::String(name), Value::Ref(c)) => self.names_twin(name, c),
            _ => false,
        }
    }

    /// Whether `name` is the identity of the Terraform twin of what `r`
    /// refers to, or that identity and a revision number.
    fn names_twin(&self, name: &str, r: &Ref) -> bool {
        let Some(twin) = self.twin_of_target.get(&r.target) else {
            return false;
        };
        let Some(cfn) = self.table.cloudformation_type(&twin.canonical_type) else {
            return false;
        };
        cfn.identity.iter().any(|at| {
            let identity = parity_mapping::value_at(&twin.properties, at);
            let Some(Value::String(identity)) = identity.map(|v| v.unmarked().0) else {
                return false;
            };
            match name.strip_prefix(identity.as_str()) {
                Some("") => true,
                Some(rest) => rest
                    .strip_prefix(':')
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
                None => false,
            }
        })
    }

    /// Whether a Terraform reference and a CloudFormation one name the same
    /// attribute of twin resources.
    fn correspond(&self, terraform: &Ref, cloudformation: &Ref) -> bool {
        let Some((tf_type, targets)) = self.twins.get(terraform.target.as_str()) else {
            return false;
        };
        if !targets.contains(&cloudformation.target) {
            return false;
        }
        let Some(mapping) = self.table.terraform_type(tf_type) else {
            return false;
        };
        mapping.terraform_attribute_for(cloudformation.attribute.as_deref())
            == terraform.attribute.as_deref()
    }
}

/// The value of a Terraform attribute of an entity, read from the
/// canonical property the table maps it to, when it is a known string or
/// number.
fn known_attribute<'a>(
    entity: &'a Entity,
    terraform_attribute: &str,
    mapping: &TerraformType,
) -> Option<&'a Value> {
    let value = match mapping.properties.get(terraform_attribute)? {
        PropertyMapping::Rename(to) => entity.properties.get(to.as_str())?,
        PropertyMapping::Full(full) => {
            let mut path = full.to.as_ref()?.segments().into_iter();
            let mut value = entity.properties.get(path.next()?)?;
            for key in path {
                value = value.get(key)?;
            }
            value
        }
    };
    matches!(value.unmarked().0, Value::String(_) | Value::Number(_)).then_some(value)
}

/// Compares a Terraform value with a CloudFormation value by
/// CloudFormation's rules: `"10"` equals `10`, `"true"` equals `true`, a
/// scalar equals a one-element list, references are equal when they name
/// the same attribute of twin resources, and anything unknown is
/// unverifiable.
pub fn compare(terraform: &Value, cloudformation: &Value, refs: &References<'_>) -> Verdict {
    let verdict = compare_known(terraform, cloudformation, refs);
    // A string with parts known only at deploy can still be told apart
    // from another by the parts that are known: `http://${Alb.DNSName}` is
    // not `https://auth.example.com`, whatever the DNS name.
    if verdict == Verdict::Unverifiable
        && !dynamic_reference(cloudformation)
        && literal_parts_conflict(terraform.unmarked().0, cloudformation.unmarked().0)
    {
        return Verdict::Differs;
    }
    verdict
}

fn compare_known(terraform: &Value, cloudformation: &Value, refs: &References<'_>) -> Verdict {
    let (tf, cfn) = (terraform.unmarked().0, cloudformation.unmarked().0);
    if let Value::Conditional(c) = cfn {
        return alternatives(c, |v| compare(tf, v, refs));
    }
    if let Value::Conditional(c) = tf {
        return alternatives(c, |v| compare(v, cfn, refs));
    }
    if tf.contains_unknown() || cfn.contains_unknown() {
        return Verdict::Unverifiable;
    }
    // The template's text of a dynamic reference is kept as written, but
    // what CloudFormation deploys is what the parameter or secret holds
    // then: only the same text on the other side is surely the same.
    if dynamic_reference(cfn) && !dynamic_reference(tf) {
        return Verdict::Unverifiable;
    }
    match (tf, cfn) {
        (Value::List(a), Value::List(b)) => {
            if a.len() != b.len() {
                return Verdict::Differs;
            }
            a.iter()
                .zip(b)
                .fold(Verdict::Equal, |v, (a, b)| v.and(compare(a, b, refs)))
        }
        (Value::List(a), scalar) if a.len() == 1 && !matches!(scalar, Value::Map(_)) => {
            compare(&a[0], scalar, refs)
        }
        (scalar, Value::List(b)) if b.len() == 1 && !matches!(scalar, Value::Map(_)) => {
            compare(scalar, &b[0], refs)
        }
        (Value::Map(a), Value::Map(b)) => {
            let mut verdict = Verdict::Equal;
            for key in a.keys().chain(b.keys()) {
                verdict = verdict.and(match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => compare(x, y, refs),
                    _ => Verdict::Differs,
                });
            }
            verdict
        }
        (Value::Template(_) | Value::Ref(_), Value::Template(_) | Value::Ref(_))
            if refs.equal_parts(&parts(tf), &parts(cfn)) =>
        {
            Verdict::Equal
        }
        (Value::Template(_) | Value::Ref(_), _) | (_, Value::Template(_) | Value::Ref(_)) => {
            // A reference to a resource whose attribute is known (a log
            // group's name) is that value.
            let tf_resolved = refs.resolved(tf, Side::Terraform);
            let cfn_resolved = refs.resolved(cfn, Side::CloudFormation);
            if tf_resolved.is_some() || cfn_resolved.is_some() {
                return compare(
                    tf_resolved.as_deref().unwrap_or(tf),
                    cfn_resolved.as_deref().unwrap_or(cfn),
                    refs,
                );
            }
            match (tf, cfn) {
                (Value::Template(_) | Value::Ref(_), Value::Template(_) | Value::Ref(_)) => {
                    Verdict::Differs
                }
                // A literal that is what the Terraform twin of the
                // referenced resource holds there names the same resource
                // (a container's log group, written out by name in
                // Terraform, referenced in the template): whatever the
                // names, each side takes its own twin.
                (_, Value::Ref(r))
                    if refs
                        .through_twin(r)
                        .is_some_and(|v| compare(tf, v, refs) == Verdict::Equal) =>
                {
                    Verdict::Equal
                }
                // A wildcard is no resource's ID, name or ARN: an IAM
                // statement on `*` is not one on the log group the other
                // side names, whatever that log group turns out to be.
                _ if wildcard_against_resource(tf, cfn, Side::CloudFormation, refs)
                    || wildcard_against_resource(cfn, tf, Side::Terraform, refs) =>
                {
                    Verdict::Differs
                }
                // One side names a resource, the other holds a literal:
                // they may be the same thing once deployed, but nothing
                // here can show it.
                _ => Verdict::Unverifiable,
            }
        }
        (a, b) => match (scalar_text(a), scalar_text(b)) {
            (Some(a), Some(b)) => verdict(a == b || numerically_equal(&a, &b)),
            _ => verdict(a == b),
        },
    }
}

/// Whether `literal` is the bare wildcard `*` and `reference` names a
/// resource of its own side: no resource's ID, name or ARN is `*` (though
/// some end in one: a log group's `Arn` ends in `:*`, so only the bare
/// wildcard is told apart). A reference to anything else (a template
/// parameter) may hold `*`.
fn wildcard_against_resource(
    literal: &Value,
    reference: &Value,
    side: Side,
    refs: &References<'_>,
) -> bool {
    matches!(literal, Value::String(s) if s == "*")
        && matches!(reference, Value::Ref(r) if refs.names_resource(r, side))
}

/// Whether a string holds a dynamic reference (`{{resolve:ssm:/app/url}}`,
/// `{{resolve:secretsmanager:…:SecretString:password}}`), which
/// CloudFormation replaces when it deploys.
pub(crate) fn dynamic_reference(value: &Value) -> bool {
    const OPEN: &str = "{{resolve:";
    match value.unmarked().0 {
        Value::String(text) => text.contains(OPEN),
        Value::Template(parts) => parts
            .iter()
            .any(|part| matches!(part, TemplatePart::Literal(text) if text.contains(OPEN))),
        _ => false,
    }
}

/// Whether two strings, each a literal or a template, cannot be equal
/// whatever their unknown parts turn out to be: their leading literals
/// disagree (neither is a prefix of the other), or their trailing ones do.
fn literal_parts_conflict(a: &Value, b: &Value) -> bool {
    fn ends(v: &Value) -> Option<(&str, &str, bool)> {
        match v {
            Value::String(s) => Some((s.as_str(), s.as_str(), true)),
            Value::Template(parts) => {
                fn literal(p: Option<&TemplatePart>) -> &str {
                    match p {
                        Some(TemplatePart::Literal(s)) => s.as_str(),
                        _ => "",
                    }
                }
                Some((literal(parts.first()), literal(parts.last()), false))
            }
            _ => None,
        }
    }
    let (Some((a_head, a_tail, a_whole)), Some((b_head, b_tail, b_whole))) = (ends(a), ends(b))
    else {
        return false;
    };
    if a_whole && b_whole {
        return false;
    }
    let heads_agree = a_head.starts_with(b_head) || b_head.starts_with(a_head);
    let tails_agree = a_tail.ends_with(b_tail) || b_tail.ends_with(a_tail);
    !(heads_agree && tails_agree)
}

/// A value that is one of two depending on an undecided condition: the
/// verdict both give, or unverifiable when they disagree. An absent branch
/// differs from any present value.
fn alternatives(c: &Conditional, verdict_of: impl Fn(&Value) -> Verdict) -> Verdict {
    let [a, b] = c
        .branches()
        .map(|branch| branch.map_or(Verdict::Differs, &verdict_of));
    if a == b { a } else { Verdict::Unverifiable }
}

fn verdict(equal: bool) -> Verdict {
    if equal {
        Verdict::Equal
    } else {
        Verdict::Differs
    }
}

fn parts(value: &Value) -> Cow<'_, [TemplatePart]> {
    match value {
        Value::Template(parts) => Cow::Borrowed(parts),
        Value::Ref(r) => Cow::Owned(vec![TemplatePart::Ref(r.clone())]),
        other => Cow::Owned(vec![TemplatePart::Literal(other.to_string())]),
    }
}

fn compare_parts(a: &[TemplatePart], b: &[TemplatePart], refs: &References<'_>) -> Verdict {
    if a.len() != b.len() {
        return Verdict::Differs;
    }
    a.iter().zip(b).fold(Verdict::Equal, |v, pair| {
        v.and(match pair {
            (TemplatePart::Literal(x), TemplatePart::Literal(y)) => verdict(x == y),
            (TemplatePart::Ref(x), TemplatePart::Ref(y)) => verdict(refs.correspond(x, y)),
            _ => Verdict::Differs,
        })
    })
}

/// The text CloudFormation would see for a scalar.
fn scalar_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        _ => None,
    }
}

/// `"1.0"` and `1` are the same number.
pub(crate) fn numerically_equal(a: &str, b: &str) -> bool {
    may_be_number(a)
        && may_be_number(b)
        && matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(x), Ok(y)) if x == y)
}

/// Whether `text` may parse as an `f64`: what follows its sign is a digit,
/// a point, or the start of `inf`, `infinity` or `nan` (any case). Most
/// strings compared are names, told apart here without parsing.
fn may_be_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    unsigned
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'.' | b'i' | b'I' | b'n' | b'N'))
}

#[cfg(test)]
mod tests;
