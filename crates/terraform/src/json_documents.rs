//! Attributes whose string value is a JSON document, per resource type.
//!
//! The AWS provider keeps task definitions' container definitions and IAM
//! policies as strings; comparing them needs the document. This table is the
//! one place that knows which attributes those are.

/// `(resource type, attribute path)`; `*` in a path stands for every item of
/// a list (nested blocks are lists in Terraform's JSON).
pub const JSON_DOCUMENT_ATTRIBUTES: &[(&str, &str)] = &[
    ("aws_ecs_task_definition", "container_definitions"),
    ("aws_iam_role", "assume_role_policy"),
    ("aws_iam_role", "inline_policy.*.policy"),
    ("aws_iam_role_policy", "policy"),
    ("aws_iam_policy", "policy"),
    ("aws_iam_user_policy", "policy"),
    ("aws_iam_group_policy", "policy"),
    ("aws_secretsmanager_secret", "policy"),
    ("aws_secretsmanager_secret_policy", "policy"),
    ("aws_efs_file_system_policy", "policy"),
    ("aws_s3_bucket_policy", "policy"),
    ("aws_sns_topic_policy", "policy"),
    ("aws_sns_topic", "policy"),
    ("aws_sqs_queue_policy", "policy"),
    ("aws_kms_key", "policy"),
    ("aws_ecr_repository_policy", "policy"),
    ("aws_ecr_lifecycle_policy", "policy"),
];

/// The JSON-document attribute paths of one resource type, split on dots.
pub fn paths_for(resource_type: &str) -> impl Iterator<Item = Vec<&'static str>> + '_ {
    JSON_DOCUMENT_ATTRIBUTES
        .iter()
        .filter(move |(ty, _)| *ty == resource_type)
        .map(|(_, path)| path.split('.').collect())
}
