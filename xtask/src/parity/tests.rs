use super::*;

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn fixture() -> PathBuf {
    crate::docs::repo_root().join("testdata/ecs-fargate")
}

fn config() -> parity_engine::Config {
    let path = fixture().join("parity.yaml");
    parity_engine::Config::parse(&fs::read_to_string(&path).unwrap(), &path).unwrap()
}

#[test]
fn parses_options_and_passes_the_rest_to_compare() {
    let options = Options::parse(&args(&[
        "--config",
        "p.yaml",
        "--terraform-json=plan.json",
        "--no-cache",
        "--",
        "--format",
        "markdown",
    ]))
    .unwrap()
    .unwrap();
    assert_eq!(options.config, Some(PathBuf::from("p.yaml")));
    assert_eq!(options.terraform_json, Some(PathBuf::from("plan.json")));
    assert!(options.no_cache);
    assert_eq!(options.compare_args, args(&["--format", "markdown"]));
    assert_eq!(Options::parse(&args(&["-h"])).unwrap(), None);
    assert!(Options::parse(&args(&["--cdk-out"])).is_err());
    assert!(Options::parse(&args(&["--frobnicate"])).is_err());
}

/// Without terraform, node and npx on PATH, every missing tool is named
/// with how to get it, before anything runs.
#[test]
fn names_each_missing_tool_and_how_to_fix_it() {
    let (_, problems) = Plan::check(
        &Options::default(),
        &config(),
        &fixture(),
        OsStr::new(""),
        None,
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("`terraform` is not on PATH: install Terraform")),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("`node` is not on PATH: install Node.js"))
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("`npx` is not on PATH"))
    );
    // Given outputs, no tool is needed.
    let options = Options {
        terraform_json: Some(fixture().join("tfplan.json")),
        cdk_out: Some(fixture().join("cdk.out")),
        ..Options::default()
    };
    let (_, problems) = Plan::check(&options, &config(), &fixture(), OsStr::new(""), None);
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
fn names_a_cdk_app_without_node_modules_and_a_configuration_without_sources() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("cdk")).unwrap();
    fs::write(dir.path().join("cdk/cdk.json"), "{}").unwrap();
    fs::create_dir_all(dir.path().join("terraform")).unwrap();
    let text = "terraform:\n  root: terraform\ncdk:\n  app: cdk\n";
    let config = parity_engine::Config::parse(text, Path::new("parity.yaml")).unwrap();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let (_, problems) = Plan::check(&Options::default(), &config, dir.path(), &path, None);
    let missing = dir.path().join("cdk").join("node_modules");
    assert!(
        problems.contains(&format!(
            "{} is missing: run `npm ci` in {} (or pass --cdk-out DIR)",
            missing.display(),
            dir.path().join("cdk").display()
        )),
        "{problems:#?}"
    );
    let empty = parity_engine::Config::default();
    let (_, problems) = Plan::check(&Options::default(), &empty, dir.path(), &path, None);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("--terraform-json FILE"));
    assert!(problems[1].contains("--cdk-out DIR"));
}

/// The cache key changes with any input file and ignores what is
/// installed or generated.
#[test]
fn the_input_hash_follows_the_sources_only() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path();
    fs::write(app.join("cdk.json"), "{}").unwrap();
    fs::create_dir_all(app.join("lib")).unwrap();
    fs::write(app.join("lib/stack.ts"), "a").unwrap();
    let hash = || {
        let mut h = InputHash::new("cdk");
        h.tree(app, &|name| CDK_NOT_INPUTS.contains(&name)).unwrap();
        h.finish()
    };
    let first = hash();
    assert_eq!(hash(), first);
    fs::create_dir_all(app.join("node_modules/x")).unwrap();
    fs::write(app.join("node_modules/x/index.js"), "b").unwrap();
    fs::create_dir_all(app.join("cdk.out")).unwrap();
    fs::write(app.join("cdk.out/manifest.json"), "{}").unwrap();
    assert_eq!(hash(), first);
    fs::write(app.join("lib/stack.ts"), "c").unwrap();
    assert_ne!(hash(), first);
}
