//! Which loader an input needs, when the user did not say.

use std::io::Read;
use std::path::Path;

use parity_model::{Resource, Side};

/// How standard input is named in messages.
const STDIN_NAME: &str = "<stdin>";

/// Loads a Terraform output, a `cdk.out` folder, a folder of templates or a
/// template, telling them apart by what they are: a folder is CloudFormation;
/// a JSON document with `format_version` is Terraform's; anything else is a
/// template (JSON or YAML). `-` is standard input.
pub fn load_any(
    input: &str,
    options: &parity_cloudformation::Options,
) -> anyhow::Result<(Side, Vec<Resource>)> {
    let (text, name) = if input == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| anyhow::anyhow!("{STDIN_NAME}: cannot read: {e}"))?;
        (text, Path::new(STDIN_NAME))
    } else {
        let path = Path::new(input);
        if path.is_dir() {
            return Ok((
                Side::CloudFormation,
                parity_cloudformation::load(&[path], options)?.resources,
            ));
        }
        let bytes =
            std::fs::read(path).map_err(|e| anyhow::anyhow!("{input}: cannot read file: {e}"))?;
        // Terraform's loader says what is wrong with text that is not
        // UTF-8; a template may be UTF-16.
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => parity_cloudformation::decode_text(err.as_bytes(), path)?,
        };
        (text, path)
    };
    if is_terraform_output(&text) {
        Ok((
            Side::Terraform,
            parity_terraform::load_str(&text, name)?.resources,
        ))
    } else {
        Ok((
            Side::CloudFormation,
            parity_cloudformation::load_text(&text, name, options)?.resources,
        ))
    }
}

/// Terraform's JSON (its outputs, a state file, a plan missing its
/// `format_version`) goes to the Terraform loader, which also says what to
/// give instead when it is the wrong kind; templates have none of its keys.
/// Malformed JSON goes to the Terraform loader, whose message says where it
/// breaks; what does not even start like JSON is a YAML template. Only the
/// top-level keys are read: no document is built to tell them apart.
fn is_terraform_output(text: &str) -> bool {
    parity_terraform::is_terraform_text(text.as_bytes())
        .unwrap_or_else(|| text.trim_start().starts_with(['{', '[']))
}
