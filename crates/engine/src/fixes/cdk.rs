//! Fixes in the CDK app's language, TypeScript or Python: calls on the
//! construct that holds the property (`container.addEnvironment`,
//! `targetGroup.configureHealthCheck`, `role.addToPolicy`), and for the
//! other properties of the types a CDK app usually builds with L2
//! constructs, a property override on the construct's CloudFormation
//! resource. The construct is named by a handle (`container`, `role`,
//! `service`) that a comment ties to its construct path; Python assumes
//! `import aws_cdk as cdk` and `from aws_cdk import aws_ecs as ecs,
//! aws_iam as iam, aws_elasticloadbalancingv2 as elbv2`.

use parity_model::{Finding, FindingSide, FixLanguage, Map, TemplatePart, Value};

use super::hcl::container_item;
use super::{Change, Context, Item, Step, construct_name, is_secret, item_of, snake};

/// The types whose other properties get a property override.
const OVERRIDDEN: &[&str] = &[
    "AWS::ECS::Service",
    "AWS::ECS::TaskDefinition",
    "AWS::EFS::AccessPoint",
    "AWS::EFS::FileSystem",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::IAM::Role",
];

/// CloudFormation health-check properties and the `HealthCheck` prop
/// that sets each, with how its value is written.
const HEALTH_CHECK: &[(&str, &str, Kind)] = &[
    ("HealthCheckEnabled", "enabled", Kind::Plain),
    ("HealthCheckPath", "path", Kind::Plain),
    ("HealthCheckPort", "port", Kind::Text),
    (
        "HealthCheckProtocol",
        "protocol",
        Kind::Enum("elbv2.Protocol"),
    ),
    ("HealthCheckIntervalSeconds", "interval", Kind::Seconds),
    ("HealthCheckTimeoutSeconds", "timeout", Kind::Seconds),
    (
        "HealthyThresholdCount",
        "healthyThresholdCount",
        Kind::Number,
    ),
    (
        "UnhealthyThresholdCount",
        "unhealthyThresholdCount",
        Kind::Number,
    ),
];

/// A CloudFormation property of a struct the app passes, the prop that
/// sets it, and the struct it holds, if it is one.
struct Prop {
    cloudformation: &'static str,
    prop: &'static str,
    holds: Option<(&'static str, &'static [Prop])>,
}

const fn prop(cloudformation: &'static str, prop: &'static str) -> Prop {
    Prop {
        cloudformation,
        prop,
        holds: None,
    }
}

/// The props of a task definition's volume (`ecs.Volume`).
const VOLUME: &[Prop] = &[
    prop("Name", "name"),
    prop("ConfiguredAtLaunch", "configuredAtLaunch"),
    Prop {
        cloudformation: "Host",
        prop: "host",
        holds: Some(("ecs.Host", &[prop("SourcePath", "sourcePath")])),
    },
    Prop {
        cloudformation: "EFSVolumeConfiguration",
        prop: "efsVolumeConfiguration",
        holds: Some(("ecs.EfsVolumeConfiguration", EFS_VOLUME)),
    },
];

const EFS_VOLUME: &[Prop] = &[
    prop("FilesystemId", "fileSystemId"),
    prop("RootDirectory", "rootDirectory"),
    prop("TransitEncryption", "transitEncryption"),
    prop("TransitEncryptionPort", "transitEncryptionPort"),
    Prop {
        cloudformation: "AuthorizationConfig",
        prop: "authorizationConfig",
        holds: Some((
            "ecs.AuthorizationConfig",
            &[prop("AccessPointId", "accessPointId"), prop("IAM", "iam")],
        )),
    },
];

#[derive(Debug, Clone, Copy)]
enum Kind {
    Plain,
    Text,
    Number,
    Seconds,
    Enum(&'static str),
}

pub(super) fn fix(
    finding: &Finding,
    own: &FindingSide,
    steps: &[Step<'_>],
    change: Change<'_>,
    context: &Context<'_>,
    language: FixLanguage,
) -> Option<String> {
    let mut w = Code {
        language,
        context,
        comments: Vec::new(),
        own_values: matches!(change, Change::Remove(_)),
    };
    let resource_type = finding.resource_type.as_str();
    let construct = construct_name(own);
    let value = match change {
        Change::Set(v) | Change::Remove(v) => v,
    };
    // A removal is shown as the code to delete, commented, unless the
    // code itself removes (a property deletion override).
    let mut removes = false;
    let (handle, statement) = match (resource_type, steps) {
        ("AWS::ECS::TaskDefinition", [container, list, rest @ ..])
            if container.name == "ContainerDefinitions" && list.key.is_some() =>
        {
            let item = container_item(context, container, list, rest, change)?;
            w.comments.push(format!(
                "container: the container {} of {construct}",
                w.string(container.key?)
            ));
            let statement = match list.name {
                "Environment" => {
                    let v = w.value(item.get("Value")?)?;
                    w.call("container", "addEnvironment", &[w.string(list.key?), v])
                }
                "Secrets" => {
                    let secret = w.secret(item.get("ValueFrom")?)?;
                    w.call("container", "addSecret", &[w.string(list.key?), secret])
                }
                "MountPoints" => {
                    let mut props = Vec::new();
                    for (cfn, prop) in [
                        ("SourceVolume", "sourceVolume"),
                        ("ContainerPath", "containerPath"),
                        ("ReadOnly", "readOnly"),
                    ] {
                        let v = match item.get(cfn) {
                            Some(v) => w.value(v)?,
                            // ECS's default, which the TypeScript type requires.
                            None => w.plain(&Value::Bool(false))?,
                        };
                        props.push((prop, v));
                    }
                    if matches!(change, Change::Set(_)) && !rest.is_empty() {
                        w.comments.push(
                            "in place of the container's mount point of this volume and path"
                                .into(),
                        );
                    }
                    let mount = w.props("ecs.MountPoint", &props);
                    w.call("container", "addMountPoints", &[mount])
                }
                _ => return None,
            };
            ("container", statement)
        }
        ("AWS::IAM::Role", [policies, _]) if policies.name == "Policies" => {
            let statement = w.policy_statement(value)?;
            ("role", w.call("role", "addToPolicy", &[statement]))
        }
        ("AWS::ElasticLoadBalancingV2::TargetGroup", [step])
            if step.key.is_none() && matches!(change, Change::Set(_)) =>
        {
            if let Some((_, prop, kind)) = HEALTH_CHECK.iter().find(|(cfn, ..)| *cfn == step.name) {
                let v = w.typed(value, *kind)?;
                w.comments.push(
                    "configureHealthCheck replaces the whole health check: keep the target group's other health-check settings in it"
                        .into(),
                );
                (
                    "targetGroup",
                    w.call_with_props(
                        "targetGroup",
                        "configureHealthCheck",
                        "elbv2.HealthCheck",
                        &[(prop, v)],
                    ),
                )
            } else {
                removes = true;
                w.override_property(resource_type, steps, change)?
            }
        }
        ("AWS::ECS::TaskDefinition", [volumes])
            if volumes.name == "Volumes" && volumes.key.is_some() =>
        {
            let Value::Map(volume) = value else {
                return None;
            };
            let props = w.struct_props(volume, VOLUME)?;
            (
                "taskDefinition",
                w.call_with_props("taskDefinition", "addVolume", "ecs.Volume", &props),
            )
        }
        _ if OVERRIDDEN.contains(&resource_type) => {
            removes = true;
            w.override_property(resource_type, steps, change)?
        }
        _ => return None,
    };
    let comment = w.comment_prefix();
    let mut code = format!("{comment} {}: {construct}\n", w.handle(handle));
    if handle == "container" {
        code.clear();
    }
    for line in &w.comments {
        code.push_str(&format!("{comment} {line}\n"));
    }
    match change {
        Change::Set(_) => code.push_str(&statement),
        Change::Remove(_) if removes => code.push_str(&statement),
        Change::Remove(_) => {
            code.push_str(&format!(
                "{comment} remove (Terraform does not have it): delete what does this\n"
            ));
            code.push_str(
                &statement
                    .lines()
                    .map(|l| format!("{comment} {l}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
    }
    Some(code)
}

struct Code<'a> {
    language: FixLanguage,
    context: &'a Context<'a>,
    comments: Vec<String>,
    /// The values are this side's own (what to remove): their references
    /// name CloudFormation resources already.
    own_values: bool,
}

impl Code<'_> {
    fn python(&self) -> bool {
        self.language == FixLanguage::Python
    }

    fn comment_prefix(&self) -> &'static str {
        if self.python() { "#" } else { "//" }
    }

    /// A handle as the language names variables.
    fn handle(&self, name: &str) -> String {
        if self.python() {
            snake(name)
        } else {
            name.to_owned()
        }
    }

    fn call(&self, handle: &str, method: &str, args: &[String]) -> String {
        let end = if self.python() { "" } else { ";" };
        format!(
            "{}.{}({}){end}",
            self.handle(handle),
            self.handle(method),
            args.join(", ")
        )
    }

    /// A call whose last parameter is a props struct: an object literal
    /// in TypeScript; in Python, jsii lifts the struct's fields into
    /// keyword arguments of the method.
    fn call_with_props(
        &self,
        handle: &str,
        method: &str,
        class: &str,
        props: &[(&str, String)],
    ) -> String {
        if self.python() {
            let args: Vec<String> = props
                .iter()
                .map(|(k, v)| format!("{}={v}", snake(k)))
                .collect();
            self.call(handle, method, &args)
        } else {
            self.call(handle, method, &[self.props(class, props)])
        }
    }

    /// The props of a struct from a CloudFormation object, by `names`;
    /// `None` when the object holds a property without a prop here.
    fn struct_props(
        &mut self,
        object: &Map,
        names: &[Prop],
    ) -> Option<Vec<(&'static str, String)>> {
        if object
            .keys()
            .any(|key| !names.iter().any(|p| p.cloudformation == key))
        {
            return None;
        }
        let mut props = Vec::new();
        for name in names {
            let Some(v) = object.get(name.cloudformation) else {
                continue;
            };
            let text = match (name.holds, v) {
                (Some((class, inner)), Value::Map(map)) => {
                    let inner = self.struct_props(map, inner)?;
                    self.props(class, &inner)
                }
                (Some(_), _) => return None,
                (None, v) => self.plain(v)?,
            };
            props.push((name.prop, text));
        }
        Some(props)
    }

    /// Props: an object literal in TypeScript, keyword arguments of the
    /// props class in Python.
    fn props(&self, class: &str, props: &[(&str, String)]) -> String {
        if self.python() {
            let args: Vec<String> = props
                .iter()
                .map(|(k, v)| format!("{}={v}", snake(k)))
                .collect();
            format!("{class}({})", args.join(", "))
        } else {
            let args: Vec<String> = props.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            format!("{{ {} }}", args.join(", "))
        }
    }

    /// A string literal (JSON's escapes are valid in both languages).
    fn string(&self, text: &str) -> String {
        let mut out = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if super::hidden(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// A value where the app passes a value: a string stays a string,
    /// references become `cdk.Fn` tokens.
    fn value(&mut self, value: &Value) -> Option<String> {
        self.plain(value)
    }

    fn plain(&mut self, value: &Value) -> Option<String> {
        let py = self.python();
        Some(match value {
            Value::Null => if py { "None" } else { "null" }.to_owned(),
            Value::Bool(b) => match (py, b) {
                (true, true) => "True".into(),
                (true, false) => "False".into(),
                (false, b) => b.to_string(),
            },
            Value::Number(n) => n.to_string(),
            Value::String(s) => self.string(s),
            Value::List(items) => {
                let items: Vec<String> =
                    items.iter().map(|v| self.plain(v)).collect::<Option<_>>()?;
                format!("[{}]", items.join(", "))
            }
            Value::Map(map) => self.object(map)?,
            Value::Ref(r) => self.reference(&r.target, r.attribute.as_deref())?,
            Value::Template(parts) => {
                let mut items = Vec::new();
                for part in parts {
                    items.push(match part {
                        TemplatePart::Literal(s) => self.string(s),
                        TemplatePart::Ref(r) => {
                            self.reference(&r.target, r.attribute.as_deref())?
                        }
                        TemplatePart::Unknown(_) => return None,
                    });
                }
                format!("cdk.Fn.join(\"\", [{}])", items.join(", "))
            }
            v if is_secret(v) => {
                self.comments.push(
                    "\"(sensitive)\": the value is not shown; pass it from where the app keeps secrets"
                        .into(),
                );
                self.string("(sensitive)")
            }
            Value::Unknown(_) | Value::Conditional(_) | Value::Sensitive(_) | Value::Masked(_) => {
                return None;
            }
        })
    }

    fn object(&mut self, map: &Map) -> Option<String> {
        let mut fields = Vec::new();
        for (k, v) in map {
            let v = self.plain(v)?;
            fields.push(format!("{}: {v}", self.string(k)));
        }
        Some(format!("{{ {} }}", fields.join(", ")))
    }

    /// A Terraform reference as the twin's `Ref` or `Fn::GetAtt`.
    fn reference(&self, target: &str, attribute: Option<&str>) -> Option<String> {
        let (logical_id, attribute) = if self.own_values {
            let logical_id = target.rsplit('/').next().unwrap_or(target);
            (logical_id.to_owned(), attribute.map(str::to_owned))
        } else {
            self.context.cloudformation_reference(target, attribute)?
        };
        Some(match attribute {
            None => format!("cdk.Fn.ref({})", self.string(&logical_id)),
            Some(a) => format!(
                "cdk.Fn.{}({}, {}).{}()",
                self.handle("getAtt"),
                self.string(&logical_id),
                self.string(&a),
                self.handle("toString")
            ),
        })
    }

    fn typed(&mut self, value: &Value, kind: Kind) -> Option<String> {
        Some(match kind {
            Kind::Plain => self.plain(value)?,
            Kind::Text => match value {
                Value::Number(n) => self.string(&n.to_string()),
                other => self.plain(other)?,
            },
            Kind::Number => match value {
                Value::String(s) if s.parse::<f64>().is_ok() => s.clone(),
                other => self.plain(other)?,
            },
            Kind::Seconds => {
                let n = match value {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) if s.parse::<u64>().is_ok() => s.clone(),
                    _ => return None,
                };
                format!("cdk.Duration.seconds({n})")
            }
            Kind::Enum(class) => match value {
                Value::String(s) if s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                    format!("{class}.{}", s.to_uppercase())
                }
                _ => return None,
            },
        })
    }

    /// How a `valueFrom` becomes an `ecs.Secret`: a Secrets Manager
    /// secret (and its JSON key), or an SSM parameter.
    fn secret(&mut self, value_from: &Value) -> Option<String> {
        let (source, key) = match value_from {
            Value::String(arn) => {
                if arn.starts_with("arn:") && arn.split(':').nth(2) == Some("secretsmanager") {
                    let parts: Vec<&str> = arn.split(':').collect();
                    let secret = parts.get(..7)?.join(":");
                    self.comments
                        .push(format!("secret: the secret {}", self.string(&secret)));
                    (true, parts.get(7).copied().unwrap_or_default().to_owned())
                } else {
                    self.comments
                        .push(format!("parameter: the SSM parameter {}", self.string(arn)));
                    (false, String::new())
                }
            }
            Value::Ref(r) => {
                let twin = self.context.cloudformation_twin.get(&r.target)?.clone();
                let secret = r.target.contains("secretsmanager");
                let handle = if secret { "secret" } else { "parameter" };
                self.comments
                    .push(format!("{handle}: the construct of {twin} ({})", r.target));
                (secret, String::new())
            }
            Value::Template(parts) => {
                let [TemplatePart::Ref(r), TemplatePart::Literal(rest)] = &parts[..] else {
                    return None;
                };
                let twin = self.context.cloudformation_twin.get(&r.target)?.clone();
                self.comments
                    .push(format!("secret: the construct of {twin} ({})", r.target));
                let key = rest.strip_prefix(':')?.split(':').next()?.to_owned();
                (true, key)
            }
            _ => return None,
        };
        Some(if source {
            let mut args = vec!["secret".to_owned()];
            if !key.is_empty() {
                args.push(self.string(&key));
            }
            format!(
                "ecs.Secret.{}({})",
                self.handle("fromSecretsManager"),
                args.join(", ")
            )
        } else {
            format!("ecs.Secret.{}(parameter)", self.handle("fromSsmParameter"))
        })
    }

    /// An IAM statement as `new iam.PolicyStatement({...})`.
    fn policy_statement(&mut self, value: &Value) -> Option<String> {
        let Value::Map(map) = value else {
            return None;
        };
        let mut props: Vec<(&str, String)> = Vec::new();
        let list = |w: &mut Self, v: &Value| -> Option<String> {
            match v {
                Value::List(_) => w.plain(v),
                other => Some(format!("[{}]", w.plain(other)?)),
            }
        };
        for (key, v) in map {
            match key.as_str() {
                "Sid" => props.push(("sid", self.plain(v)?)),
                "Effect" => match v {
                    Value::String(e) if e == "Allow" || e == "Deny" => {
                        props.push(("effect", format!("iam.Effect.{}", e.to_uppercase())))
                    }
                    _ => return None,
                },
                "Action" => props.push(("actions", list(self, v)?)),
                "NotAction" => props.push(("notActions", list(self, v)?)),
                "Resource" => props.push(("resources", list(self, v)?)),
                "NotResource" => props.push(("notResources", list(self, v)?)),
                "Condition" => props.push(("conditions", self.plain(v)?)),
                "Principal" => {
                    let new = if self.python() { "" } else { "new " };
                    let principals = match v {
                        Value::String(s) if s == "*" => vec![format!("{new}iam.AnyPrincipal()")],
                        Value::Map(kinds) => {
                            let mut all = Vec::new();
                            for (kind, ids) in kinds {
                                let class = match kind.as_str() {
                                    "AWS" => "ArnPrincipal",
                                    "Service" => "ServicePrincipal",
                                    _ => return None,
                                };
                                let ids = match ids {
                                    Value::List(ids) => ids.iter().collect(),
                                    one => vec![one],
                                };
                                for id in ids {
                                    all.push(format!("{new}iam.{class}({})", self.plain(id)?));
                                }
                            }
                            all
                        }
                        _ => return None,
                    };
                    props.push(("principals", format!("[{}]", principals.join(", "))));
                }
                _ => return None,
            }
        }
        let props = self.props("iam.PolicyStatement", &props);
        Some(if self.python() {
            props
        } else {
            format!("new iam.PolicyStatement({props})")
        })
    }

    /// A property override on the construct's CloudFormation resource,
    /// the handle named after the type (`AWS::ECS::Service` → `service`).
    fn override_property(
        &mut self,
        resource_type: &str,
        steps: &[Step<'_>],
        change: Change<'_>,
    ) -> Option<(&'static str, String)> {
        // An item of a list compared in order is named by its position in
        // the path (`Conditions.0.Values`); other items cannot be.
        let mut path: Vec<String> = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            path.push(step.name.to_owned());
            if step.key.is_some() {
                match item_of(self.context.rules, resource_type, &steps[..=i])? {
                    Item::Index(n) => path.push(n.to_string()),
                    Item::Keyed { .. } => return None,
                }
            }
        }
        let handle: &'static str = handle_of(resource_type)?;
        let path = self.string(&path.join("."));
        let resource = if self.python() {
            format!("{}.node.default_child", self.handle(handle))
        } else {
            format!("({handle}.node.defaultChild as cdk.CfnResource)")
        };
        let end = if self.python() { "" } else { ";" };
        Some((
            handle,
            match change {
                Change::Set(v) => {
                    let v = self.plain(v)?;
                    format!(
                        "{resource}.{}({path}, {v}){end}",
                        self.handle("addPropertyOverride")
                    )
                }
                Change::Remove(_) => format!(
                    "{resource}.{}({path}){end}",
                    self.handle("addPropertyDeletionOverride")
                ),
            },
        ))
    }
}

/// The handle a snippet names a construct of this type by: its type's
/// last word, lower camel case (`AWS::ECS::Service` → `service`).
fn handle_of(resource_type: &str) -> Option<&'static str> {
    Some(match resource_type.rsplit("::").next()? {
        "Service" => "service",
        "TaskDefinition" => "taskDefinition",
        "AccessPoint" => "accessPoint",
        "FileSystem" => "fileSystem",
        "TargetGroup" => "targetGroup",
        "Listener" => "listener",
        "ListenerRule" => "listenerRule",
        "LoadBalancer" => "loadBalancer",
        "Role" => "role",
        _ => return None,
    })
}
