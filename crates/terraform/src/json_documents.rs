//! Attributes whose string value is a JSON document, per resource type.
//!
//! The AWS provider keeps task definitions' container definitions, IAM and
//! resource policies as strings; comparing them needs the document. This
//! table is the one place that knows which attributes those are; the same
//! table serves managed resources and data sources.

use parity_model::{Map, Value};

use crate::masks::{Segment, join};
use crate::pointer::Pointer;

/// `(resource type, attribute path)`; `*` in a path stands for every item of
/// a list (nested blocks are lists in Terraform's JSON).
pub const JSON_DOCUMENT_ATTRIBUTES: &[(&str, &str)] = &[
    ("aws_api_gateway_rest_api", "policy"),
    ("aws_api_gateway_rest_api_policy", "policy"),
    ("aws_backup_vault_policy", "policy"),
    ("aws_cloudwatch_event_bus_policy", "policy"),
    ("aws_cloudwatch_log_destination_policy", "access_policy"),
    ("aws_cloudwatch_log_resource_policy", "policy_document"),
    (
        "aws_codeartifact_domain_permissions_policy",
        "policy_document",
    ),
    (
        "aws_codeartifact_repository_permissions_policy",
        "policy_document",
    ),
    ("aws_dynamodb_resource_policy", "policy"),
    ("aws_ecr_lifecycle_policy", "policy"),
    ("aws_ecr_registry_policy", "policy"),
    ("aws_ecr_repository_policy", "policy"),
    ("aws_ecs_task_definition", "container_definitions"),
    ("aws_efs_file_system_policy", "policy"),
    ("aws_elasticsearch_domain", "access_policies"),
    ("aws_elasticsearch_domain_policy", "access_policies"),
    ("aws_glacier_vault", "access_policy"),
    ("aws_iam_group_policy", "policy"),
    ("aws_iam_policy", "policy"),
    ("aws_iam_policy_document", "json"),
    ("aws_iam_policy_document", "minified_json"),
    ("aws_iam_role", "assume_role_policy"),
    ("aws_iam_role", "inline_policy.*.policy"),
    ("aws_iam_role_policy", "policy"),
    ("aws_iam_user_policy", "policy"),
    ("aws_kinesis_resource_policy", "policy"),
    ("aws_kms_key", "policy"),
    ("aws_kms_key_policy", "policy"),
    ("aws_lambda_layer_version_permission", "policy"),
    ("aws_opensearch_domain", "access_policies"),
    ("aws_opensearch_domain_policy", "access_policies"),
    ("aws_s3_access_point", "policy"),
    ("aws_s3_bucket", "policy"),
    ("aws_s3_bucket_policy", "policy"),
    ("aws_s3tables_table_bucket_policy", "resource_policy"),
    ("aws_s3tables_table_policy", "resource_policy"),
    ("aws_secretsmanager_secret", "policy"),
    ("aws_secretsmanager_secret_policy", "policy"),
    ("aws_sfn_state_machine", "definition"),
    ("aws_sns_topic", "archive_policy"),
    ("aws_sns_topic", "delivery_policy"),
    ("aws_sns_topic", "policy"),
    ("aws_sns_topic_policy", "policy"),
    ("aws_sns_topic_subscription", "delivery_policy"),
    ("aws_sns_topic_subscription", "filter_policy"),
    ("aws_sns_topic_subscription", "redrive_policy"),
    ("aws_sns_topic_subscription", "replay_policy"),
    ("aws_sqs_queue", "policy"),
    ("aws_sqs_queue", "redrive_allow_policy"),
    ("aws_sqs_queue", "redrive_policy"),
    ("aws_sqs_queue_policy", "policy"),
    ("aws_sqs_queue_redrive_allow_policy", "redrive_allow_policy"),
    ("aws_sqs_queue_redrive_policy", "redrive_policy"),
    ("aws_vpc_endpoint", "policy"),
    ("aws_vpc_endpoint_policy", "policy"),
    ("aws_wafv2_web_acl", "rule_json"),
];

/// The JSON-document attribute paths of one resource type, split on dots.
pub fn paths_for(resource_type: &str) -> impl Iterator<Item = Vec<&'static str>> + '_ {
    JSON_DOCUMENT_ATTRIBUTES
        .iter()
        .filter(move |(ty, _)| *ty == resource_type)
        .map(|(_, path)| path.split('.').collect())
}

/// A document that is not JSON: where, and what.
pub type Problem = (Pointer, String);

/// Replaces the JSON documents held in strings by the documents. An empty
/// string is no document (the provider's value for "no policy"); unknown
/// values stay unknown; sensitivity marks stay where they were. A document
/// is read strictly (`parity_json`): a key named twice in it (a policy's
/// `Effect`, a container's `image`) is an error naming the resource
/// `address`, the attribute and both places in the string, as AWS would
/// refuse it rather than keep the last one.
pub fn decode(
    properties: &mut Map,
    resource_type: &str,
    address: &str,
    at: &Pointer,
) -> Result<(), Problem> {
    for path in paths_for(resource_type) {
        let (first, rest) = path.split_first().expect("paths are never empty");
        if let Some(value) = properties.get_mut(*first) {
            let mut here = vec![Segment::Key((*first).to_owned())];
            let document = Document { address, at };
            document.decode_at(value, rest, &mut here)?;
        }
    }
    Ok(())
}

/// Where the documents being decoded are: the resource's address and its
/// pointer in the file.
struct Document<'a> {
    address: &'a str,
    at: &'a Pointer,
}

impl Document<'_> {
    fn decode_at(
        &self,
        value: &mut Value,
        path: &[&str],
        here: &mut Vec<Segment>,
    ) -> Result<(), Problem> {
        if let Value::Sensitive(inner) = value {
            return self.decode_at(inner, path, here);
        }
        match (path.split_first(), &mut *value) {
            (None, Value::String(text)) if !text.trim().is_empty() => {
                let json = parity_json::from_str(text).map_err(|err| self.problem(here, &err))?;
                *value = Value::from_json(&json);
                Ok(())
            }
            (Some((&"*", rest)), Value::List(items)) => {
                for (i, item) in items.iter_mut().enumerate() {
                    here.push(Segment::Index(i));
                    self.decode_at(item, rest, here)?;
                    here.pop();
                }
                Ok(())
            }
            (Some((key, rest)), Value::Map(map)) => match map.get_mut(*key) {
                Some(child) => {
                    here.push(Segment::Key((*key).to_owned()));
                    self.decode_at(child, rest, here)?;
                    here.pop();
                    Ok(())
                }
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    fn problem(&self, here: &[Segment], err: &parity_json::Error) -> Problem {
        let attribute = here
            .iter()
            .map(|segment| match segment {
                Segment::Key(key) => key.clone(),
                Segment::Index(i) => i.to_string(),
            })
            .collect::<Vec<_>>()
            .join(".");
        let what = match err {
            parity_json::Error::Syntax(err) => {
                format!("the JSON document in this string is malformed: {err}")
            }
            parity_json::Error::DuplicateKey(duplicate) => format!(
                "{} attribute {attribute}: the JSON document it holds names the key {:?} twice (in {}, at {} and at {} of the string)",
                self.address, duplicate.key, duplicate.object, duplicate.first, duplicate.second
            ),
        };
        (join(self.at, here), what)
    }
}
