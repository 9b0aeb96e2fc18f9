//! `cargo xtask testdata`: regenerate fixtures with the real tools.

pub fn run(_args: &[String]) -> anyhow::Result<()> {
    anyhow::bail!("not yet implemented")
}
