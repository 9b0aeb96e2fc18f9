//! The creation traces `cdk synth --debug` records in a cloud assembly's
//! metadata, read as the lines of the app that made each resource.
//!
//! With `CDK_DEBUG` on (what `cdk synth --debug` sets), the CDK records, in
//! the metadata of each stack artifact (in `manifest.json`, or in the file
//! its `additionalMetadataFile` names), under the construct path of each
//! resource:
//!
//! - `aws:cdk:creationStack`: the stack trace of the resource's creation,
//!   most recent call first;
//! - `aws:cdk:propertyAssignment`: `{propertyName, stackTrace}` for each
//!   change of a property made after the resource was created (a container
//!   added to a task definition, a target registered with a service).
//!
//! An older CDK, or an app with `stackTraces` on, writes the creation trace
//! as the `trace` of the `aws:cdk:logicalId` entry instead. A frame reads
//! `fn (/abs/path/file.ts:LINE:COLUMN)` for JavaScript (ts-node and tsx map
//! it to the `.ts` source), `fn (/abs/path/file.py:LINE)` for the Python
//! frames jsii adds (`JSII_HOST_STACK_TRACES`, which `--debug` sets too);
//! frames inside the CDK and node are folded into `...aws-cdk-lib...`.
//! Only the frames that may be the app's are kept: what is inside
//! `node_modules`, `site-packages`, node itself or folded away is not.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value as Json;

use crate::{Error, pointer};

const CREATION_STACK: &str = "aws:cdk:creationStack";
const PROPERTY_ASSIGNMENT: &str = "aws:cdk:propertyAssignment";
const LOGICAL_ID: &str = "aws:cdk:logicalId";

/// The app frames of the traces of every construct of a cloud assembly,
/// by construct path (as `aws:cdk:path` writes it, without a leading `/`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Traces {
    constructs: BTreeMap<String, ConstructTraces>,
}

/// What was recorded of one construct.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConstructTraces {
    /// The frames of its creation that may be the app's, most recent first.
    pub creation: Vec<Frame>,
    /// For each property changed after creation, the app frames of each
    /// change.
    pub properties: BTreeMap<String, Vec<Vec<Frame>>>,
}

/// A place in a source file of the machine that synthesized.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Frame {
    /// As the trace writes it (absolute on the machine that synthesized).
    pub path: String,
    pub line: usize,
    pub column: Option<usize>,
}

impl Traces {
    pub fn is_empty(&self) -> bool {
        self.constructs.is_empty()
    }

    pub fn get(&self, construct_path: &str) -> Option<&ConstructTraces> {
        self.constructs.get(construct_path)
    }

    pub fn extend(&mut self, other: Traces) {
        self.constructs.extend(other.constructs);
    }

    /// Every frame recorded, for finding the app's root.
    pub fn frames(&self) -> impl Iterator<Item = &Frame> {
        self.constructs.values().flat_map(|c| {
            c.creation
                .iter()
                .chain(c.properties.values().flatten().flatten())
        })
    }

    /// Reads the metadata of one stack artifact: `{PATH: [ENTRY, …]}`.
    /// `file` and `at` (a JSON pointer) name it in errors.
    pub fn read(metadata: &Json, file: &Path, at: &str) -> Result<Traces, Error> {
        let entries = metadata
            .as_object()
            .ok_or_else(|| Error::invalid(file, at, "expected an object of construct paths"))?;
        let mut traces = Traces::default();
        for (path, list) in entries {
            let at = pointer::join(at, path);
            let list = list
                .as_array()
                .ok_or_else(|| Error::invalid(file, &at, "expected a list of metadata entries"))?;
            let mut construct = ConstructTraces::default();
            let mut logical_id_trace = None;
            for (i, entry) in list.iter().enumerate() {
                let at = format!("{at}/{i}");
                match entry.get("type").and_then(Json::as_str) {
                    Some(CREATION_STACK) => {
                        construct.creation =
                            app_frames(entry.get("data"), file, &format!("{at}/data"))?;
                    }
                    Some(PROPERTY_ASSIGNMENT) => {
                        let data = entry.get("data");
                        let name = data
                            .and_then(|d| d.get("propertyName"))
                            .and_then(Json::as_str)
                            .ok_or_else(|| {
                                Error::invalid(
                                    file,
                                    &format!("{at}/data/propertyName"),
                                    "missing or not a string",
                                )
                            })?;
                        let frames = app_frames(
                            data.and_then(|d| d.get("stackTrace")),
                            file,
                            &format!("{at}/data/stackTrace"),
                        )?;
                        construct
                            .properties
                            .entry(name.to_owned())
                            .or_default()
                            .push(frames);
                    }
                    Some(LOGICAL_ID) if entry.get("trace").is_some() => {
                        logical_id_trace = Some(app_frames(
                            entry.get("trace"),
                            file,
                            &format!("{at}/trace"),
                        )?);
                    }
                    _ => {}
                }
            }
            if construct.creation.is_empty() {
                construct.creation = logical_id_trace.unwrap_or_default();
            }
            if construct != ConstructTraces::default() {
                let path = path.strip_prefix('/').unwrap_or(path);
                traces.constructs.insert(path.to_owned(), construct);
            }
        }
        Ok(traces)
    }
}

/// The frames of a trace (a list of strings) that may be the app's.
fn app_frames(trace: Option<&Json>, file: &Path, at: &str) -> Result<Vec<Frame>, Error> {
    let frames = trace
        .and_then(Json::as_array)
        .ok_or_else(|| Error::invalid(file, at, "expected a list of stack frames"))?;
    frames
        .iter()
        .enumerate()
        .map(|(i, frame)| {
            frame.as_str().ok_or_else(|| {
                Error::invalid(
                    file,
                    &format!("{at}/{i}"),
                    "expected a stack frame (a string)",
                )
            })
        })
        .filter_map(|frame| frame.map(parse_frame).transpose())
        .filter(|frame| frame.as_ref().map_or(true, |f| may_be_app(&f.path)))
        .collect()
}

/// The file, line and column of one frame, when it names them:
/// `fn (PATH:LINE:COLUMN)`, `fn (PATH:LINE)`, `PATH:LINE:COLUMN`. Folded
/// frames (`...aws-cdk-lib...`) and notes name no place of the app.
fn parse_frame(frame: &str) -> Option<Frame> {
    let frame = frame.trim();
    if frame.starts_with("...") || frame.starts_with('(') {
        return None;
    }
    let place = match frame.strip_suffix(')') {
        Some(inner) => &inner[inner.rfind(" (")? + 2..],
        None => frame.strip_prefix("at ").unwrap_or(frame),
    };
    let place = place.strip_prefix("file://").unwrap_or(place);
    let number = |s: &str| s.parse::<usize>().ok().filter(|n| *n > 0);
    let (rest, last) = place.rsplit_once(':')?;
    let last = number(last)?;
    let (path, line, column) = match rest.rsplit_once(':') {
        Some((path, line)) if number(line).is_some() => (path, number(line)?, Some(last)),
        _ => (rest, last, None),
    };
    (!path.is_empty()).then(|| Frame {
        path: path.to_owned(),
        line,
        column,
    })
}

/// Whether a file may be the app's: not a library's, not node's.
fn may_be_app(path: &str) -> bool {
    let path = path.replace('\\', "/");
    const LIBRARIES: &[&str] = &[
        "/node_modules/",
        "/site-packages/",
        "/dist-packages/",
        "/aws-cdk-lib/",
        "/jsii-kernel-",
        "/jsii-runtime",
    ];
    !(path.starts_with("node:")
        || path.starts_with("internal/")
        || path.starts_with('<')
        || path.contains("<anonymous>")
        || LIBRARIES.iter().any(|l| path.contains(l)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(path: &str, line: usize, column: Option<usize>) -> Option<Frame> {
        Some(Frame {
            path: path.into(),
            line,
            column,
        })
    }

    /// Frames as `cdk synth --debug` writes them (aws-cdk-lib 2.276,
    /// ts-node; aws-cdk-lib 2.275 from PyPI with jsii 1.142).
    #[test]
    fn frames_name_their_place() {
        assert_eq!(
            parse_frame("new ApiStack (/src/app/lib/api-stack.ts:234:21)"),
            frame("/src/app/lib/api-stack.ts", 234, Some(21))
        );
        assert_eq!(
            parse_frame("<anonymous> (/src/app/bin/app.ts:19:1)"),
            frame("/src/app/bin/app.ts", 19, Some(1))
        );
        assert_eq!(
            parse_frame("__init__ (/src/app/stacks/api.py:9)"),
            frame("/src/app/stacks/api.py", 9, None)
        );
        assert_eq!(
            parse_frame("Object.<anonymous> (file:///src/app/app.mjs:3:7)"),
            frame("/src/app/app.mjs", 3, Some(7))
        );
        assert_eq!(
            parse_frame("new Stack (C:\\src\\app\\lib\\stack.ts:4:5)"),
            frame("C:\\src\\app\\lib\\stack.ts", 4, Some(5))
        );
        assert_eq!(
            parse_frame("/src/app/bin/app.js:2:3"),
            frame("/src/app/bin/app.js", 2, Some(3))
        );
        assert_eq!(
            parse_frame("...new FargateService2 in aws-cdk-lib..."),
            None
        );
        assert_eq!(
            parse_frame(
                ".../src/app/node_modules/aws-cdk-lib/aws-efs/lib/efs-file-system.js:1:160 in aws-cdk-lib..."
            ),
            None
        );
        assert_eq!(
            parse_frame("(no user code in 10 frames, use --stack-trace-limit to capture more)"),
            None
        );
        assert_eq!(parse_frame("Array.forEach (:)"), None);
        assert_eq!(parse_frame("...node internals, ts-node..."), None);
    }

    #[test]
    fn library_and_node_frames_are_not_the_apps() {
        assert!(may_be_app("/src/app/lib/api-stack.ts"));
        assert!(may_be_app("stacks/api.py"));
        assert!(!may_be_app(
            "/src/app/node_modules/aws-cdk-lib/core/lib/stack.js"
        ));
        assert!(!may_be_app(
            "/src/app/.venv/lib/python3.11/site-packages/aws_cdk/__init__.py"
        ));
        assert!(!may_be_app("node:internal/modules/cjs/loader"));
        assert!(!may_be_app("internal/modules/cjs/loader.js"));
        assert!(!may_be_app(
            "/var/jsii-kernel-x1/node_modules/aws-cdk-lib/core/lib/stack.js"
        ));
    }

    #[test]
    fn creation_and_property_traces_are_read_by_construct_path() {
        let metadata = serde_json::json!({
            "/App/Service/Service": [
                {"type": "aws:cdk:logicalId", "data": "ServiceD69D759B"},
                {"type": "aws:cdk:creationStack", "data": [
                    "...new FargateService2 in aws-cdk-lib...",
                    "new AppStack (/src/app/lib/app-stack.ts:34:21)",
                    "<anonymous> (/src/app/bin/app.ts:9:1)",
                    "...node internals, ts-node..."
                ]},
                {"type": "aws:cdk:propertyAssignment", "data": {
                    "propertyName": "LoadBalancers",
                    "stackTrace": ["new AppStack (/src/app/lib/app-stack.ts:52:17)"]
                }}
            ],
            "/App/Old/Resource": [
                {"type": "aws:cdk:logicalId", "data": "Old", "trace": ["new AppStack (/src/app/lib/app-stack.ts:3:4)"]}
            ],
            "/App/Vpc": [{"type": "aws:cdk:analytics:construct", "data": "*"}]
        });
        let traces = Traces::read(&metadata, Path::new("m.json"), "").unwrap();
        let service = traces.get("App/Service/Service").unwrap();
        assert_eq!(
            service.creation,
            vec![
                frame("/src/app/lib/app-stack.ts", 34, Some(21)).unwrap(),
                frame("/src/app/bin/app.ts", 9, Some(1)).unwrap()
            ]
        );
        assert_eq!(service.properties["LoadBalancers"][0][0].line, 52);
        assert_eq!(traces.get("App/Old/Resource").unwrap().creation[0].line, 3);
        assert_eq!(traces.get("App/Vpc"), None);
    }

    #[test]
    fn a_malformed_trace_names_its_place() {
        let metadata = serde_json::json!({
            "/App/Bucket/Resource": [{"type": "aws:cdk:creationStack", "data": [1]}]
        });
        let err = Traces::read(&metadata, Path::new("App.metadata.json"), "")
            .unwrap_err()
            .to_string();
        assert!(err.contains("App.metadata.json"), "{err}");
        assert!(err.contains("/~1App~1Bucket~1Resource/0/data/0"), "{err}");
    }
}
