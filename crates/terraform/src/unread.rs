//! What the loader never reads of `terraform show -json` output, left out
//! while parsing (still checked: syntax, keys named once) so that a large
//! plan costs the memory of what is compared, not of all it holds:
//!
//! - `resource_changes[].change.before` and `before_sensitive`: what exists
//!   before apply is not compared;
//! - `relevant_attributes`, `resource_drift` and `checks` (their keys stay,
//!   they tell a plan from a state);
//! - each resource's `values` and `sensitive_values` in `planned_values`
//!   (kept as `null`): where `resource_changes` is, it says the same (its
//!   `after` and `after_sensitive`) and is what is read. A plan without
//!   `resource_changes` is parsed again with them kept
//!   ([`Unread::RootKeepingPlannedValues`]);
//! - in `configuration`, all but what [`crate::config`] follows: each
//!   expression's `references` (its `constant_value` is left out: `{}` is
//!   an expression with no references, as `{"constant_value": …}` is), the
//!   addresses and expressions of resources, module calls and outputs, and
//!   whether outputs and variables are sensitive; descriptions, defaults,
//!   types and provider configurations are left out.
//!
//! `resource_changes`, the largest part of a plan, is not kept in the
//! document at all: the first pass keeps each entry's `address` only (the
//! module instances the configuration's references expand to), and a
//! later pass over the text reads the entries one at a time
//! ([`Unread::Change`]), each built into a resource and dropped before the
//! next is read (`crate::plan`). A plan read from a regular file is read
//! again from the file for that pass, so that its text is not held in
//! memory meanwhile; its first pass leaves `configuration` out too
//! ([`Unread::RootOfFile`]), read in a pass of its own from the file
//! before the resources are built. That pass builds no document of the
//! configuration: `crate::config` walks it as it is parsed, each resource
//! parsed as a small document ([`Unread::Resource`]), made into its
//! compact form and dropped before the next, so that only the compact form
//! grows with the configuration. A plan held in memory has its
//! configuration in the first pass's document, read by the same code.

use parity_json::{Prune, Step};

/// Where the parser is in the document.
#[derive(Debug, Clone, Copy)]
pub enum Unread {
    /// A plan with `resource_changes`, or a state.
    Root,
    /// A plan without `resource_changes`: its `planned_values` are read.
    RootKeepingPlannedValues,
    /// [`Unread::Root`] of a plan read from a regular file: its
    /// `configuration` is left out (kept as `null`) and read in a pass of
    /// its own once the plan's text is no longer held.
    RootOfFile,
    /// Everything below is read.
    All,
    Changes,
    /// `resource_changes` of the first pass: each entry's address.
    ChangeAddresses,
    ChangeAddress,
    Change,
    ChangeBody,
    Configuration,
    Module,
    Resources,
    Resource,
    Expressions,
    Calls,
    Call,
    Outputs,
    Output,
    Variables,
    Variable,
    Planned,
    PlannedModule,
    PlannedModules,
    PlannedResources,
    PlannedResource,
}

impl Prune for Unread {
    fn enter(self, key: Option<&str>) -> Step<Self> {
        use Unread::*;
        let keep = Step::Keep;
        match (self, key) {
            (All, _) => keep(All),
            (Root | RootOfFile, Some("resource_changes")) => keep(ChangeAddresses),
            (RootKeepingPlannedValues, Some("resource_changes")) => keep(Changes),
            (RootOfFile, Some("configuration")) => Step::Null,
            (Root | RootKeepingPlannedValues, Some("configuration")) => keep(Configuration),
            (
                Root | RootOfFile | RootKeepingPlannedValues,
                Some("relevant_attributes" | "resource_drift" | "checks"),
            ) => Step::Null,
            (Root | RootOfFile, Some("planned_values")) => keep(Planned),
            (Planned, Some("root_module")) => keep(PlannedModule),
            (PlannedModule, Some("resources")) => keep(PlannedResources),
            (PlannedModule, Some("child_modules")) => keep(PlannedModules),
            (PlannedModules, None) => keep(PlannedModule),
            (PlannedResources, None) => keep(PlannedResource),
            (PlannedResource, Some("values" | "sensitive_values")) => Step::Null,
            (Changes, None) => keep(Change),
            (ChangeAddresses, None) => keep(ChangeAddress),
            (ChangeAddress, Some("address")) => keep(All),
            (ChangeAddress, Some(_)) => Step::Drop,
            (Change, Some("change")) => keep(ChangeBody),
            (ChangeBody, Some("before" | "before_sensitive")) => Step::Null,
            (Configuration, Some("root_module")) => keep(Module),
            (Configuration, Some("provider_config")) => Step::Drop,
            (Module, Some("resources")) => keep(Resources),
            (Module, Some("module_calls")) => keep(Calls),
            (Module, Some("outputs")) => keep(Outputs),
            (Module, Some("variables")) => keep(Variables),
            (Resources, None) => keep(Resource),
            (Resource, Some("address")) => keep(All),
            (Resource | Call, Some("expressions" | "for_each_expression" | "count_expression")) => {
                keep(Expressions)
            }
            (Call, Some("module")) => keep(Module),
            (Calls, Some(_)) => keep(Call),
            (Outputs, Some(_)) => keep(Output),
            (Output, Some("expression")) => keep(Expressions),
            (Output | Variable, Some("sensitive")) => keep(All),
            (Variables, Some(_)) => keep(Variable),
            (Resource | Call | Output | Variable, Some(_)) => Step::Drop,
            (Expressions, Some("constant_value")) => Step::Drop,
            (Expressions, _) => keep(Expressions),
            // Anything else, and what is malformed (an array where an
            // object belongs), is kept for the loader to read or refuse.
            _ => keep(All),
        }
    }
}
