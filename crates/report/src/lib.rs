//! Renderers: present a [`Comparison`] as text, markdown, JSON or JUnit
//! XML, and the inventory of one input and the mapping table; read a JSON
//! report back as a baseline, and write findings as waivers to start from.
//!
//! Renderers never compute: what is a finding, its area, its severity,
//! whether an area is in sync and whether the comparison fails are decided
//! by the engine; a renderer only chooses words and layout. Text and
//! markdown are two layouts of one [`document`](document::Document). They
//! write to any `io::Write`, so tests render into a `Vec<u8>`. Values reach
//! text only through `Value`'s `Display` or the JSON encoding of
//! `json.rs`, both of which print `(sensitive)` for anything marked
//! sensitive, never the value nor a hash of it.
//!
//! ```
//! # let table = parity_mapping::Table::builtin().unwrap();
//! # let comparison = parity_engine::compare(&[], &[], &table, &Default::default(), &Default::default()).unwrap();
//! let inputs = parity_report::Inputs { terraform: "tfplan.json".into(), cloudformation: "cdk.out".into() };
//! let report = parity_report::Report::new(&comparison, &inputs, parity_report::ReportOptions::default());
//! let mut out = Vec::new();
//! report.render(parity_report::Format::Text, &mut out).unwrap();
//! assert!(String::from_utf8(out).unwrap().contains("In sync"));
//! ```

mod baseline;
mod document;
mod github;
mod inventory;
mod json;
mod junit;
mod mappings;
mod markdown;
mod pretty;
mod sarif;
mod text;
mod visible;
mod waivers_yaml;

use std::io;

pub use baseline::read_baseline;
pub use inventory::Inventory;
pub use json::SCHEMA_VERSION;
pub use mappings::{GENERATED_HEADER, TableFormat, render_mappings};
use parity_engine::Comparison;
use parity_model::Side;
pub use visible::visible;
pub use waivers_yaml::render_waivers;

/// The output formats of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
    /// JUnit XML, for CI test reports.
    Junit,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

/// What was compared, as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    pub terraform: String,
    pub cloudformation: String,
}

/// How the report is presented; none of it changes what was found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// Also list how resources were paired and what was not compared (the
    /// JSON report always does).
    pub show_pairs: bool,
    /// The side that is right by definition: the action for each finding
    /// is to fix the other one. `None`: decide per finding.
    pub source_of_truth: Option<Side>,
    /// The report's date, `YYYY-MM-DD`; empty leaves it out.
    pub date: String,
    /// ANSI colour in the text format.
    pub color: bool,
    /// Markdown only: cut the report to at most this many bytes.
    pub max_bytes: Option<usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot write the report: {0}")]
    Write(#[from] io::Error),

    #[error(
        "--max-bytes {max}: too small for the report's header, summary and verdict ({needed} bytes)"
    )]
    TooSmall { max: usize, needed: usize },

    #[error("{source_name}{location}: {message}")]
    Baseline {
        source_name: String,
        /// `:line:column`, or `: at` a JSON pointer.
        location: String,
        message: String,
    },
}

/// A comparison ready to be presented.
pub struct Report<'a> {
    comparison: &'a Comparison,
    inputs: &'a Inputs,
    options: ReportOptions,
}

impl<'a> Report<'a> {
    pub fn new(comparison: &'a Comparison, inputs: &'a Inputs, options: ReportOptions) -> Self {
        Report {
            comparison,
            inputs,
            options,
        }
    }

    pub fn render(&self, format: Format, out: &mut dyn io::Write) -> Result<(), Error> {
        match format {
            Format::Text => text::render(&document::build(self), self.options.color, out)?,
            Format::Markdown => match self.options.max_bytes {
                Some(max) => {
                    let text = markdown::render_within(&document::build(self), max)
                        .map_err(|needed| Error::TooSmall { max, needed })?;
                    out.write_all(text.as_bytes())?;
                }
                None => markdown::render(&document::build(self), out)?,
            },
            Format::Json => json::render(self, out)?,
            Format::Junit => junit::render(self, out)?,
            Format::Github => github::render(self, out)?,
            Format::Sarif => sarif::render(self, out)?,
        }
        Ok(())
    }
}
