//! A state made from a configuration as if it had been applied, without AWS.
//!
//! There is no account to apply to, so the state is made from plans, as
//! [`crate::resolve`] makes one: plan the configuration, write a state with
//! its planned values and each unknown value filled in, plan again against
//! it without refreshing, until nothing is unknown and nothing changes. Here
//! the unknown values get values that look deployed
//! ([`Filling::Deployed`]), not placeholders: the loader must take this
//! state for a real one.

use std::fs;
use std::path::Path;

use anyhow::Context;

use super::{Fixture, PriorState, init_workspace, step};
use crate::resolve::{self, state::Filling};
use crate::terraform::Terraform;

/// Makes the state of `prior.terraform_dir`, writes `terraform show -json`
/// of it to `prior.state_json`, and returns the state file.
pub fn make(
    fixture: &Fixture,
    prior: &PriorState,
    dir: &Path,
    terraform: &Terraform,
) -> anyhow::Result<Vec<u8>> {
    let workspace = init_workspace(fixture, prior.terraform_dir, dir, terraform)?;
    let plan = workspace.plan(None)?;
    let fixpoint =
        resolve::to_fixpoint(&workspace, &plan, &Filling::Deployed).with_context(|| {
            format!(
                "[{}] cannot make the state of {}",
                fixture.name, prior.terraform_dir
            )
        })?;
    let state = serde_json::to_vec_pretty(&fixpoint.state)?;
    let shown = workspace.show_state(&state)?;
    let target = dir.join(prior.state_json);
    step(fixture, format!("write {}", prior.state_json));
    fs::write(&target, shown).with_context(|| format!("cannot write {}", target.display()))?;
    Ok(state)
}
