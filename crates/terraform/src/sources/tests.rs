use std::path::{Path, PathBuf};

use parity_model::ConfigStep::{self, Item, Key};

use super::*;

fn testdata(fixture: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(fixture)
        .join("terraform")
}

fn key(name: &str) -> ConfigStep {
    Key(name.to_owned())
}

fn item(words: &str) -> ConfigStep {
    Item(words.to_owned())
}

/// The text of the line a location names, read from its file.
fn line_of(file: &str, line: usize) -> String {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .nth(line - 1)
        .unwrap()
        .to_owned()
}

fn located_line(tree: &SourceTree, address: &str, path: Vec<ConfigStep>) -> (String, usize) {
    let found = tree.locate(address, &[path]).unwrap();
    let l = found.location;
    (line_of(&l.file.unwrap(), l.line.unwrap()), found.depth)
}

#[test]
fn arguments_nested_blocks_and_keys_inside_jsonencode_are_found() {
    let (tree, warnings) = SourceTree::read(&testdata("ecs-fargate"));
    assert_eq!(warnings, []);
    let (line, depth) = located_line(
        &tree,
        "aws_lb_target_group.api",
        vec![key("health_check"), key("path")],
    );
    assert!(line.contains("path") && line.contains("/health"), "{line}");
    assert_eq!(depth, 2);
    let (line, depth) = located_line(
        &tree,
        "aws_ecs_task_definition.api",
        vec![
            key("container_definitions"),
            item("api"),
            key("environment"),
            item("LOG_LEVEL"),
        ],
    );
    assert!(line.contains("\"LOG_LEVEL\""), "{line}");
    assert_eq!(depth, 4);
    // In a list built with concat() and a condition.
    let (line, _) = located_line(
        &tree,
        "aws_ecs_task_definition.api",
        vec![
            key("container_definitions"),
            item("api"),
            key("secrets"),
            item("DOCUMENTDB_PASSWORD"),
            key("valueFrom"),
        ],
    );
    assert!(line.contains("DOCUMENTDB_PASSWORD"), "{line}");
    // A composite key: every word is one of the item's values.
    let (line, depth) = located_line(
        &tree,
        "aws_ecs_task_definition.api",
        vec![
            key("container_definitions"),
            item("api"),
            key("mount_points"),
            item("data /mnt/data"),
            key("ReadOnly"),
        ],
    );
    assert!(line.contains("readOnly"), "{line}");
    assert_eq!(depth, 5);
}

#[test]
fn what_is_not_written_is_located_at_the_deepest_step_that_is() {
    let (tree, _) = SourceTree::read(&testdata("ecs-fargate"));
    let (line, depth) = located_line(
        &tree,
        "aws_ecs_task_definition.api",
        vec![
            key("container_definitions"),
            item("api"),
            key("environment"),
            item("HOME"),
        ],
    );
    assert!(line.contains("environment"), "{line}");
    assert_eq!(depth, 3);
    let (line, depth) = located_line(
        &tree,
        "aws_ecs_service.api",
        vec![key("deployment_circuit_breaker"), key("enable")],
    );
    assert!(
        line.contains(r#"resource "aws_ecs_service" "api""#),
        "{line}"
    );
    assert_eq!(depth, 0);
    // The deepest of several paths wins.
    let found = tree
        .locate(
            "aws_lb_target_group.api",
            &[vec![key("name")], vec![key("health_check"), key("path")]],
        )
        .unwrap();
    assert_eq!(found.depth, 2);
    assert_eq!(tree.locate("aws_lb_target_group.nowhere", &[]), None);
}

#[test]
fn a_resource_a_module_builds_is_located_in_the_module_with_the_root_call() {
    let (tree, warnings) = SourceTree::read(&testdata("multi-service"));
    assert_eq!(warnings, []);
    let found = tree
        .locate(
            r#"module.service["orders"].module.task_role.aws_iam_role.this"#,
            &[vec![key("assume_role_policy")]],
        )
        .unwrap();
    let l = found.location;
    let file = l.file.unwrap();
    assert!(
        file.ends_with("multi-service/terraform/modules/ecs-role/main.tf"),
        "{file}"
    );
    assert!(!file.contains(".."), "{file}");
    assert!(line_of(&file, l.line.unwrap()).contains("assume_role_policy"));
    let call = l.module_call.unwrap();
    assert!(
        call.file.ends_with("multi-service/terraform/main.tf"),
        "{}",
        call.file
    );
    assert!(line_of(&call.file, call.line).contains(r#"module "service""#));
    // A root resource has no module call.
    let root = tree.locate("aws_lb.main", &[]).unwrap().location;
    assert_eq!(root.module_call, None);
}

#[test]
fn registry_modules_are_found_through_terraform_init_s_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("main.tf"),
        "module \"web\" {\n  source = \"acme/web/aws\"\n  port   = 8080\n}\n",
    )
    .unwrap();
    let module = root.join(".terraform/modules/web");
    std::fs::create_dir_all(&module).unwrap();
    std::fs::write(
        module.join("main.tf"),
        "resource \"aws_lb_target_group\" \"this\" {\n  port = var.port\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join(".terraform/modules/modules.json"),
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"web","Source":"registry.terraform.io/acme/web/aws","Version":"1.0.0","Dir":".terraform/modules/web"}]}"#,
    )
    .unwrap();
    let (tree, warnings) = SourceTree::read(root);
    assert_eq!(warnings, []);
    let l = tree
        .locate("module.web.aws_lb_target_group.this", &[vec![key("port")]])
        .unwrap()
        .location;
    assert!(l.file.unwrap().ends_with(".terraform/modules/web/main.tf"));
    assert_eq!((l.line, l.column), (Some(2), Some(3)));
    // `port = var.port` in the module: the call's `port = 8080`.
    assert_eq!(
        l.module_call.map(|c| (c.line, c.column)),
        Some((3, Some(3)))
    );
}

#[test]
fn malformed_hcl_and_a_missing_root_are_warnings_naming_the_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.tf"),
        "resource \"a\" \"b\" {\n  x = \n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("good.tf"),
        "resource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n}\n",
    )
    .unwrap();
    let (tree, warnings) = SourceTree::read(dir.path());
    assert_eq!(warnings.len(), 1);
    let text = warnings[0].to_string();
    assert!(
        text.contains("bad.tf:") && text.contains("malformed HCL"),
        "{text}"
    );
    assert!(warnings[0].position.is_some());
    // The other files still locate.
    assert!(tree.locate("aws_sqs_queue.q", &[]).is_some());

    let (tree, warnings) = SourceTree::read(&dir.path().join("absent"));
    assert!(tree.is_empty());
    assert!(warnings[0].to_string().contains("absent: not a folder"));
}

#[test]
fn columns_count_characters() {
    assert_eq!(line_column("ab\ncé d", 7), (2, 4));
    assert_eq!(line_column("x", 0), (1, 1));
    assert_eq!(display(&normalize(Path::new("a/./b/../c"))), "a/c");
    assert_eq!(display(&normalize(Path::new("../a/b/.."))), "../a");
}

#[test]
fn a_module_input_is_traced_to_the_argument_of_the_root_call() {
    let (tree, _) = SourceTree::read(&testdata("multi-service"));
    let call = |address: &str, path: Vec<ConfigStep>| {
        let l = tree.locate(address, &[path]).unwrap().location;
        let call = l.module_call.unwrap();
        line_of(&call.file, call.line)
    };
    // `desired_count = var.desired_count` in the module: the call's
    // argument.
    let line = call(
        r#"module.service["orders"].aws_ecs_service.this"#,
        vec![key("desired_count")],
    );
    assert!(line.trim_start().starts_with("desired_count"), "{line}");
    // A literal in the module: the call itself.
    let line = call(
        r#"module.service["orders"].aws_lb_target_group.this"#,
        vec![key("health_check"), key("path")],
    );
    assert!(line.starts_with(r#"module "service""#), "{line}");
    // `policy = var.policy` set by a call inside the module to something
    // else than an input: the root call.
    let line = call(
        r#"module.service["orders"].module.task_role.aws_iam_role_policy.this"#,
        vec![key("policy")],
    );
    assert!(line.starts_with(r#"module "service""#), "{line}");
}
