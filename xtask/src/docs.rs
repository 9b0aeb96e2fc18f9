//! `cargo xtask docs`: write the generated documentation. A test checks that
//! the committed files are what this would write.

use std::path::PathBuf;

use anyhow::Context;

/// The generated mapping reference, relative to the repository root.
pub const MAPPING_REFERENCE: &str = "docs/mapping-reference.md";

pub fn run(args: &[String]) -> anyhow::Result<()> {
    if let Some(arg) = args.first() {
        anyhow::bail!("`cargo xtask docs` takes no arguments, found `{arg}`");
    }
    let path = repo_root().join(MAPPING_REFERENCE);
    std::fs::write(&path, mapping_reference()?)
        .with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {MAPPING_REFERENCE}");
    Ok(())
}

/// The mapping reference as `iac-parity mappings --format markdown` prints it.
pub fn mapping_reference() -> anyhow::Result<String> {
    let table = parity_mapping::Table::builtin()?;
    let mut out = Vec::new();
    parity_report::render_mappings(&table, parity_report::TableFormat::Markdown, &mut out)?;
    Ok(String::from_utf8(out)?)
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_reference_is_fresh() {
        let committed =
            std::fs::read_to_string(repo_root().join(MAPPING_REFERENCE)).unwrap_or_default();
        assert!(
            committed == mapping_reference().unwrap(),
            "{MAPPING_REFERENCE} is stale: run `cargo xtask docs` and commit it"
        );
    }
}
