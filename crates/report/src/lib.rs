//! Renderers: present a [`Comparison`] as text or JSON.
//!
//! Renderers never compute: what is a finding, its area, its severity and
//! whether an area is in sync are decided by the engine; a renderer only
//! chooses words and layout. They write to any `io::Write`, so tests render
//! into a `Vec<u8>`. Values reach text only through `Value`'s `Display`, which
//! prints `(sensitive)` for anything marked sensitive.
//!
//! ```
//! # let comparison = parity_engine::compare(&[], &[], &parity_mapping::Table::builtin().unwrap(), &Default::default(), &Default::default());
//! let inputs = parity_report::Inputs { terraform: "tfplan.json".into(), cloudformation: "cdk.out".into() };
//! let report = parity_report::Report::new(&comparison, &inputs);
//! let mut out = Vec::new();
//! report.render(parity_report::Format::Text, &mut out).unwrap();
//! assert!(String::from_utf8(out).unwrap().contains("In sync"));
//! ```

mod inventory;
mod json;
mod mappings;
mod text;

use std::io;

pub use inventory::Inventory;
pub use mappings::{GENERATED_HEADER, TableFormat, render_mappings};
use parity_engine::Comparison;
use parity_model::{Area, Finding, Status};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// What was compared, as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    pub terraform: String,
    pub cloudformation: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot write the report: {0}")]
    Write(#[from] io::Error),
}

/// A comparison ready to be presented.
pub struct Report<'a> {
    comparison: &'a Comparison,
    inputs: &'a Inputs,
    show_pairs: bool,
}

/// How an area stands, as the summary shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AreaStatus {
    InSync,
    /// No difference found, but some values could not be compared.
    Unverifiable,
    Diverged,
}

impl AreaStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            AreaStatus::InSync => "in-sync",
            AreaStatus::Unverifiable => "unverifiable",
            AreaStatus::Diverged => "diverged",
        }
    }

    pub(crate) fn title(self) -> &'static str {
        match self {
            AreaStatus::InSync => "In sync",
            AreaStatus::Unverifiable => "Unverifiable",
            AreaStatus::Diverged => "Diverged",
        }
    }
}

impl<'a> Report<'a> {
    pub fn new(comparison: &'a Comparison, inputs: &'a Inputs) -> Self {
        Report { comparison, inputs, show_pairs: false }
    }

    /// Also list how resources were paired, and what was not compared (the
    /// JSON report always does).
    pub fn show_pairs(mut self, show: bool) -> Self {
        self.show_pairs = show;
        self
    }

    pub fn render(&self, format: Format, out: &mut dyn io::Write) -> Result<(), Error> {
        match format {
            Format::Text => text::render(self, out)?,
            Format::Json => json::render(self, out)?,
        }
        Ok(())
    }

    fn area_findings(&self, area: Area) -> impl Iterator<Item = &Finding> {
        self.comparison
            .findings
            .iter()
            .filter(move |f| f.area == area)
    }

    /// Discrepancies (not counting unverifiable values) in an area.
    fn discrepancies(&self, area: Area) -> usize {
        self.area_findings(area)
            .filter(|f| f.status != Status::Unverifiable)
            .count()
    }

    fn unverifiable(&self, area: Area) -> usize {
        self.area_findings(area)
            .filter(|f| f.status == Status::Unverifiable)
            .count()
    }

    fn area_status(&self, area: Area) -> AreaStatus {
        if self.discrepancies(area) > 0 {
            AreaStatus::Diverged
        } else if self.unverifiable(area) > 0 {
            AreaStatus::Unverifiable
        } else {
            AreaStatus::InSync
        }
    }

    /// True when nothing in scope differs.
    pub fn in_parity(&self) -> bool {
        self.comparison
            .scope
            .iter()
            .all(|a| self.discrepancies(*a) == 0)
    }
}

/// Words for a finding's status, shared by the human formats.
fn status_words(status: Status) -> &'static str {
    match status {
        Status::OnlyInTerraform => "only in Terraform",
        Status::OnlyInCdk => "only in CDK",
        Status::Differs => "differs",
        Status::Unverifiable => "unverifiable",
    }
}
