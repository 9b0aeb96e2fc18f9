use super::*;

/// Writes `files` (path, text) under `dir`.
fn write_tree(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

#[test]
fn local_modules_outside_the_configuration_are_copied_where_they_are_relative_to_it() {
    let tree = tempfile::tempdir().unwrap();
    write_tree(
        tree.path(),
        &[
            (
                "infra/live/main.tf",
                "module \"queue\" {\n  source = \"../../modules/queue\"\n}\n\
                 module \"inner\" {\n  source = \"./inner\"\n}\n\
                 module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\n\
                 resource \"aws_lambda_function\" \"f\" {\n  source_code_hash = \"../not-a-module\"\n}\n",
            ),
            // Called through a module inside the configuration.
            (
                "infra/live/inner/main.tf",
                "module \"tags\" {\n  source = \"../../shared/tags\"\n}\n",
            ),
            (
                "infra/live/alarms.tf.json",
                r#"{"module": {"alarms": {"source": "../alarms"}}}"#,
            ),
            (
                "modules/queue/main.tf",
                "resource \"aws_sqs_queue\" \"this\" {}\n",
            ),
            ("modules/queue/templates/policy.json", "{}"),
            (
                "infra/shared/tags/main.tf",
                "output \"tags\" {\n  value = {}\n}\n",
            ),
            ("infra/alarms/main.tf", "\n"),
            ("modules/unused/main.tf", "\n"),
            ("not-a-module/main.tf", "\n"),
        ],
    );
    let work = tempfile::tempdir().unwrap();
    let config = copy_with_local_modules(&tree.path().join("infra/live"), work.path()).unwrap();
    assert_eq!(config, work.path().join("infra/live"));
    for copied in [
        "infra/live/main.tf",
        "infra/live/inner/main.tf",
        "infra/live/alarms.tf.json",
        "modules/queue/main.tf",
        "modules/queue/templates/policy.json",
        "infra/shared/tags/main.tf",
        "infra/alarms/main.tf",
    ] {
        assert!(work.path().join(copied).is_file(), "{copied} is not copied");
    }
    assert!(!work.path().join("modules/unused").exists());
    assert!(!work.path().join("not-a-module").exists());
}

#[test]
fn a_configuration_calling_no_module_outside_it_is_copied_as_it_is() {
    let tree = tempfile::tempdir().unwrap();
    write_tree(
        tree.path(),
        &[
            ("main.tf", "module \"a\" {\n  source = \"./modules/a\"\n}\n"),
            ("modules/a/main.tf", "\n"),
        ],
    );
    let work = tempfile::tempdir().unwrap();
    let config = copy_with_local_modules(tree.path(), work.path()).unwrap();
    assert_eq!(config, work.path());
    assert!(work.path().join("modules/a/main.tf").is_file());
}

/// `testdata/tf-resolve/outside-module/root` calls a module in
/// `../modules/queue`: planned from the folder as it is, with the real
/// terraform, the resolved plan's policy refers to the module's queue.
#[test]
fn a_module_outside_the_configuration_is_planned_with_it() {
    let Some(mirror) = std::env::var_os(MIRROR_ENV).filter(|m| !m.is_empty()) else {
        eprintln!("SKIPPED: {MIRROR_ENV} names no provider mirror, so terraform cannot plan");
        return;
    };
    if crate::process::find_on_path("terraform").is_none() {
        eprintln!("SKIPPED: terraform is not on PATH, so outside-module cannot be planned");
        return;
    }
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/tf-resolve/outside-module/root");
    let plans = crate::resolve::plan_json(&crate::resolve::PlanOptions {
        terraform_dir: root.clone(),
        provider_mirror: Some(PathBuf::from(mirror)),
        resolve_unknowns: true,
        ..crate::resolve::PlanOptions::default()
    })
    .unwrap();
    // Nothing is written next to the configuration.
    assert!(!root.join(".terraform").exists());
    assert!(!root.join(".terraform.lock.hcl").exists());
    let resolved = plans.resolved.expect("a resolved plan");
    let input = parity_terraform::load_str(&resolved, Path::new("outside-module")).unwrap();
    let policy = &input
        .resources
        .iter()
        .find(|r| r.id.to_string() == "aws_iam_role_policy.reader")
        .expect("the policy")
        .properties["policy"];
    let mut found = Vec::new();
    crate::resolve::tests::values_under(policy, "Resource", &mut found);
    assert_eq!(
        found,
        vec![&parity_model::Value::Ref(parity_model::Ref::attribute(
            "module.queue.aws_sqs_queue.this",
            "arn"
        ))],
        "{policy:?}"
    );
}

#[test]
fn the_copy_keeps_what_the_configuration_reads_under_dot_terraform_and_no_working_data() {
    let tree = tempfile::tempdir().unwrap();
    write_tree(
        tree.path(),
        &[
            ("main.tf", "\n"),
            // Built by a previous step, read with filebase64sha256.
            (".terraform/build/handler.zip", "PK"),
            (".terraform/modules/modules.json", "{}"),
            (".terraform/modules/vpc/main.tf", "\n"),
            // Terraform's own working data.
            (
                ".terraform/providers/registry.terraform.io/hashicorp/aws/x",
                "",
            ),
            (".terraform/terraform.tfstate", "{}"),
            (".terraform/environment", "prod"),
            ("terraform.tfstate", "{}"),
            ("terraform.tfstate.backup", "{}"),
        ],
    );
    let work = tempfile::tempdir().unwrap();
    copy_config(tree.path(), work.path()).unwrap();
    for kept in [
        "main.tf",
        ".terraform/build/handler.zip",
        ".terraform/modules/modules.json",
        ".terraform/modules/vpc/main.tf",
    ] {
        assert!(work.path().join(kept).is_file(), "{kept} is not copied");
    }
    for left in [
        ".terraform/providers",
        ".terraform/terraform.tfstate",
        ".terraform/environment",
        "terraform.tfstate",
        "terraform.tfstate.backup",
    ] {
        assert!(!work.path().join(left).exists(), "{left} is copied");
    }
}
