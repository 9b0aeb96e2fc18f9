//! Finding the stacks in what the caller gave — cloud assemblies, folders of
//! templates, template files — and the nested stacks inside them, each with
//! its parsed template.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};

use crate::error::{parse_json, read_text};
use crate::nested::{self, Assets, Location};
use crate::parameters::{self, Declared, Overrides};
use crate::traces::Traces;
use crate::{Diagnostic, Error, Ignored, Options, Stack, cdk_out, foreach, pointer, yaml};

const NESTED_STACK: &str = "AWS::CloudFormation::Stack";

/// One stack to load.
#[derive(Debug)]
pub struct Source {
    pub stack: Stack,
    pub template: Map<String, Json>,
    pub declared: BTreeMap<String, Declared>,
    /// The cloud assembly names the stack: `AWS::StackName` is known.
    pub named: bool,
    /// For a nested stack: the parent and the logical ID of the resource
    /// that creates it there.
    pub parent: Option<(usize, String)>,
    /// The nested stacks whose template was found, by logical ID.
    pub nested: BTreeMap<String, usize>,
}

/// The stacks found, and what could not be followed.
#[derive(Debug, Default)]
pub struct Discovery {
    pub sources: Vec<Source>,
    pub diagnostics: Vec<Diagnostic>,
    pub ignored: Vec<Ignored>,
    /// The creation traces of the cloud assemblies given.
    pub traces: Traces,
}

/// A top-level stack before nested stacks are looked for.
struct Root {
    stack: Stack,
    template: Map<String, Json>,
    named: bool,
}

pub fn discover(paths: &[&Path], options: &Options) -> Result<Discovery, Error> {
    // Every template given, by name or in a folder (the folder's index).
    let mut candidates: Vec<(Root, Option<usize>)> = Vec::new();
    let mut folders = Vec::new();
    let mut traces = Traces::default();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        if !metadata.is_dir() {
            let template = read_template(path)?;
            let root = Root {
                stack: file_stack(path),
                template,
                named: false,
            };
            candidates.push((root, None));
        } else if cdk_out::is_cloud_assembly(path) {
            let assembly = cdk_out::read(path)?;
            traces.extend(assembly.traces);
            for stack in assembly.stacks {
                let template = read_template(&stack.template)?;
                let root = Root {
                    stack,
                    template,
                    named: true,
                };
                candidates.push((root, None));
            }
        } else {
            let index = folders.len();
            folders.push(path.to_path_buf());
            candidates.extend(folder(path)?.into_iter().map(|root| (root, Some(index))));
        }
    }
    // What each template nests: those load under their parent only.
    let mut nested_files = Vec::new();
    let mut nests = Vec::new();
    for (root, _) in &candidates {
        let children = nested_files_of(&root.template, &root.stack.template, options)?;
        nests.push(!children.is_empty());
        nested_files.extend(children);
    }
    let is_nested = |root: &Root| nested_files.contains(&canonical(&root.stack.template));
    // When every template nests another, there is a cycle; keep them all
    // so that it is reported.
    let all_nested = candidates.iter().all(|(root, _)| is_nested(root));
    // A folder whose templates nest one another is a project: its roots
    // are the templates that nest others; one that nests nothing and
    // that none nests is not deployed by them.
    let project: Vec<bool> = (0..folders.len())
        .map(|f| {
            candidates
                .iter()
                .zip(&nests)
                .any(|((_, folder), nests)| *folder == Some(f) && *nests)
        })
        .collect();
    let mut roots = Vec::new();
    let mut ignored = Vec::new();
    for ((root, folder), nests) in candidates.into_iter().zip(nests) {
        if !all_nested && is_nested(&root) {
            continue;
        }
        match folder {
            Some(f) if project[f] && !nests => ignored.push(Ignored {
                template: root.stack.template.clone(),
                reason: format!(
                    "no template of {} nests it (an undeployed template?); give it by name to load it",
                    folders[f].display()
                ),
            }),
            _ => roots.push(root),
        }
    }
    let mut discovery = expand(roots, options)?;
    discovery
        .diagnostics
        .extend(ignored.iter().map(|ignored| Diagnostic {
            file: ignored.template.clone(),
            location: "/".to_owned(),
            message: format!("not loaded: {}", ignored.reason),
        }));
    discovery.ignored = ignored;
    discovery.traces = traces;
    Ok(discovery)
}

/// The files (canonical) of the templates that `template` nests and that
/// are found.
fn nested_files_of(
    template: &Map<String, Json>,
    path: &Path,
    options: &Options,
) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    let mut assets = None;
    for (_, resource) in nested_stacks(template) {
        let Some(url) = resource
            .get("Properties")
            .and_then(|p| p.get("TemplateURL"))
        else {
            continue;
        };
        let assets = match &assets {
            Some(assets) => assets,
            None => assets.insert(Assets::beside(path)?),
        };
        if let Location::File(file) = nested::locate(url, path, assets, &options.template_dirs) {
            files.push(canonical(&file));
        }
    }
    Ok(files)
}

pub fn from_text(text: &str, path: &Path, options: &Options) -> Result<Discovery, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let template = parse_template(text, path)?;
    expand(
        vec![Root {
            stack: file_stack(path),
            template,
            named: false,
        }],
        options,
    )
}

/// A template file's stack: named after the file, without `.template`,
/// `.nested` and the extension (`Api.template.json` is `Api`).
fn file_stack(path: &Path) -> Stack {
    let file = path
        .file_name()
        .map_or_else(|| "Stack".to_owned(), |n| n.to_string_lossy().into_owned());
    let mut name = file.as_str();
    for suffix in [".json", ".yaml", ".yml", ".template", ".nested"] {
        if let Some(stem) = name.strip_suffix(suffix).filter(|s| !s.is_empty()) {
            name = stem;
        }
    }
    Stack {
        name: name.to_owned(),
        template: path.to_owned(),
        account: None,
        region: None,
        partition: None,
    }
}

/// A folder of templates: every JSON or YAML file in it that is a template
/// (an object with `Resources`).
fn folder(dir: &Path) -> Result<Vec<Root>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && is_template_name(path))
        .collect();
    files.sort();
    let mut templates = Vec::new();
    for file in files {
        let text = read_text(&file)?;
        let json = parse_document(&text, &file)?;
        if let Json::Object(template) = json
            && template.contains_key("Resources")
        {
            templates.push((file, template));
        }
    }
    if templates.is_empty() {
        return Err(Error::NotCdkOut {
            path: dir.to_owned(),
            reason:
                "it has no manifest.json (give the folder `cdk synth` wrote, or a template file)"
                    .to_owned(),
        });
    }
    Ok(templates
        .into_iter()
        .map(|(file, template)| Root {
            stack: file_stack(&file),
            template,
            named: false,
        })
        .collect())
}

fn is_template_name(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let Some(name) = name else {
        return false;
    };
    let cdk_side_file = name.ends_with(".assets.json")
        || name.ends_with(".metadata.json")
        || [
            "manifest.json",
            "tree.json",
            "integ.json",
            "validation-report.json",
        ]
        .contains(&name.as_str());
    let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase());
    !cdk_side_file
        && matches!(
            extension.as_deref(),
            Some("json" | "yaml" | "yml" | "template")
        )
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// Reads a template file, JSON or YAML.
pub fn read_template(path: &Path) -> Result<Map<String, Json>, Error> {
    parse_template(&read_text(path)?, path)
}

fn parse_template(text: &str, path: &Path) -> Result<Map<String, Json>, Error> {
    match parse_document(text, path)? {
        Json::Object(template) => Ok(template),
        _ => Err(Error::invalid(
            path,
            "",
            "a template is an object (with Resources)",
        )),
    }
}

/// JSON or YAML, as [`is_json`] tells.
fn parse_document(text: &str, path: &Path) -> Result<Json, Error> {
    if is_json(text, path) {
        parse_json(text, path)
    } else {
        yaml::parse(text, path)
    }
}

/// Whether a template is read as JSON: by extension or by its first
/// character.
pub(crate) fn is_json(text: &str, path: &Path) -> bool {
    let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase());
    match extension.as_deref() {
        Some("json") => true,
        Some("yaml" | "yml") => false,
        _ => text.trim_start().starts_with('{'),
    }
}

/// The `AWS::CloudFormation::Stack` resources of a template.
fn nested_stacks(template: &Map<String, Json>) -> impl Iterator<Item = (&String, &Json)> {
    template
        .get("Resources")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, r)| r.get("Type").and_then(Json::as_str) == Some(NESTED_STACK))
}

/// Fills in the environment, finds the nested stacks, and checks that no
/// two stacks share a name.
fn expand(roots: Vec<Root>, options: &Options) -> Result<Discovery, Error> {
    let mut discovery = Discovery::default();
    let overrides = Overrides::read(options)?;
    for root in roots {
        let mut stack = root.stack;
        if stack.account.is_none() {
            stack.account.clone_from(&options.account);
        }
        if stack.region.is_none() {
            stack.region.clone_from(&options.region);
        }
        stack.partition = options
            .partition
            .clone()
            .or_else(|| stack.region.as_deref().map(|r| partition_of(r).to_owned()));
        let declared = parameters::declared(&root.template, &stack.template)?;
        let mut template = root.template;
        let values = overrides.resolve(&stack.name, &declared)?;
        expand_loops(&mut template, &stack.template, &values, &mut discovery)?;
        discovery.sources.push(Source {
            stack,
            template,
            declared,
            named: root.named,
            parent: None,
            nested: BTreeMap::new(),
        });
        let index = discovery.sources.len() - 1;
        let mut chain = vec![canonical(&discovery.sources[index].stack.template)];
        add_nested(&mut discovery, index, &mut chain, options)?;
    }
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    for source in &discovery.sources {
        if let Some(first) = seen.insert(&source.stack.name, &source.stack.template) {
            return Err(Error::DuplicateStack {
                path: source.stack.template.clone(),
                name: crate::error::one_line(&source.stack.name),
                first: first.to_owned(),
            });
        }
    }
    Ok(discovery)
}

/// Adds the nested stacks of `sources[index]`, depth first, each right
/// after its parent.
fn add_nested(
    discovery: &mut Discovery,
    index: usize,
    chain: &mut Vec<PathBuf>,
    options: &Options,
) -> Result<(), Error> {
    let parent = &discovery.sources[index];
    let children: Vec<(String, Json)> = nested_stacks(&parent.template)
        .map(|(id, r)| (id.clone(), r.clone()))
        .collect();
    if children.is_empty() {
        return Ok(());
    }
    let parent_path = parent.stack.template.clone();
    let assets = Assets::beside(&parent_path)?;
    for (logical_id, resource) in children {
        let at = format!(
            "{}/Properties/TemplateURL",
            pointer::join("/Resources", &logical_id)
        );
        let Some(url) = resource
            .get("Properties")
            .and_then(|p| p.get("TemplateURL"))
        else {
            return Err(Error::invalid(&parent_path, &at, "missing"));
        };
        let file = match nested::locate(url, &parent_path, &assets, &options.template_dirs) {
            Location::File(file) => file,
            Location::NotFound(key) => {
                discovery.diagnostics.push(Diagnostic {
                    file: parent_path.clone(),
                    location: at,
                    message: format!(
                        "the nested stack's template {key} is not among the inputs (neither next to the parent template nor in a template folder: --template-dir, cloudformation.templates); its resources are not loaded"
                    ),
                });
                continue;
            }
            Location::Unnamed => {
                discovery.diagnostics.push(Diagnostic {
                    file: parent_path.clone(),
                    location: at,
                    message: "the nested stack's template is not among the inputs: its URL names no file before deploy; its resources are not loaded".to_owned(),
                });
                continue;
            }
        };
        if !file.is_file() {
            return Err(Error::invalid(
                &parent_path,
                &at,
                format!("the nested stack's template {} is missing", file.display()),
            ));
        }
        let canonical_file = canonical(&file);
        if chain.contains(&canonical_file) {
            let names: Vec<String> = chain
                .iter()
                .chain([&canonical_file])
                .map(|p| {
                    p.file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                })
                .collect();
            return Err(Error::invalid(
                &parent_path,
                &at,
                format!("the nested stacks form a cycle: {}", names.join(" -> ")),
            ));
        }
        let mut template = read_template(&file)?;
        let declared = parameters::declared(&template, &file)?;
        // A nested stack's parameters come from its parent, evaluated
        // later; its loops are expanded over literal lists and defaults.
        let values = Overrides::default().resolve("", &declared)?;
        expand_loops(&mut template, &file, &values, discovery)?;
        let parent = &discovery.sources[index];
        let stack = Stack {
            name: format!("{}/{logical_id}", parent.stack.name),
            template: file,
            account: parent.stack.account.clone(),
            region: parent.stack.region.clone(),
            partition: parent.stack.partition.clone(),
        };
        discovery.sources.push(Source {
            stack,
            template,
            declared,
            named: false,
            parent: Some((index, logical_id.clone())),
            nested: BTreeMap::new(),
        });
        let child = discovery.sources.len() - 1;
        discovery.sources[index].nested.insert(logical_id, child);
        chain.push(canonical_file);
        add_nested(discovery, child, chain, options)?;
        chain.pop();
    }
    Ok(())
}

/// Expands the `Fn::ForEach` loops of a template; a collection given as
/// `!Ref` to a list parameter takes the parameter's value.
fn expand_loops(
    template: &mut Map<String, Json>,
    path: &Path,
    parameters: &parity_model::Map,
    discovery: &mut Discovery,
) -> Result<(), Error> {
    let collection = |json: &Json| -> Option<Vec<String>> {
        let name = json.get("Ref")?.as_str()?;
        match parameters.get(name)? {
            parity_model::Value::List(items) => items
                .iter()
                .map(|item| match item {
                    parity_model::Value::String(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    };
    let diagnostics = foreach::expand(template, path, &collection)?;
    discovery.diagnostics.extend(diagnostics);
    Ok(())
}

/// The partition a region belongs to.
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("eu-isoe-") {
        "aws-iso-e"
    } else if region.starts_with("us-isof-") {
        "aws-iso-f"
    } else {
        "aws"
    }
}

/// The domain suffix of a partition's endpoints; `None` for a partition
/// this loader does not know.
pub fn url_suffix(partition: &str) -> Option<&'static str> {
    Some(match partition {
        "aws" | "aws-us-gov" => "amazonaws.com",
        "aws-cn" => "amazonaws.com.cn",
        "aws-iso" => "c2s.ic.gov",
        "aws-iso-b" => "sc2s.sgov.gov",
        _ => return None,
    })
}
