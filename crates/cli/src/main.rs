//! The `iac-parity` command: glue that reads the inputs, runs the engine and
//! renders the report. Only this crate (and `xtask`) prints and exits.

mod exit;
mod input;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use parity_model::Area;

/// Tells whether Terraform and AWS CDK describe the same AWS infrastructure.
///
/// Exit status: 0 in parity, 1 divergent, 2 trouble (bad input or usage).
#[derive(Parser)]
#[command(name = "iac-parity", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compare a Terraform plan or state with CDK output.
    Compare(CompareArgs),
    /// List the resources loaded from one input (a Terraform plan or state,
    /// a cdk.out folder or a template; `-` reads standard input).
    Inventory(InventoryArgs),
}

#[derive(clap::Args)]
struct InventoryArgs {
    /// `terraform show -json` output, a `cdk.out` folder, a template, or `-`.
    #[arg(value_name = "PATH")]
    input: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
}

#[derive(clap::Args)]
struct CompareArgs {
    /// `terraform show -json` output: a plan or a state.
    #[arg(long, value_name = "FILE")]
    terraform: PathBuf,

    /// A `cdk.out` folder (what `cdk synth` writes) or a CloudFormation
    /// template file (JSON).
    #[arg(long, value_name = "PATH")]
    cloudformation: PathBuf,

    /// Compare only these areas (repeat or separate with commas).
    #[arg(long, value_name = "AREA", value_delimiter = ',', value_parser = parse_area)]
    area: Vec<Area>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

fn parse_area(name: &str) -> Result<Area, String> {
    Area::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Area::ALL.iter().map(|a| a.as_str()).collect();
        format!("unknown area {name:?} (areas: {})", names.join(", "))
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compare(args) => compare(&args),
        Command::Inventory(args) => inventory(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // The libraries' messages already name the file, the location
            // and the cause: one line, nothing to add.
            eprintln!("error: {err}");
            exit::TROUBLE.into()
        }
    }
}

fn compare(args: &CompareArgs) -> anyhow::Result<ExitCode> {
    let options = parity_engine::Options {
        areas: args.area.clone(),
    };
    options.validate()?;
    let terraform = parity_terraform::load_file(&args.terraform)?;
    let cloudformation = parity_cloudformation::load_path(&args.cloudformation)?;
    for diagnostic in &cloudformation.diagnostics {
        eprintln!(
            "warning: {}: at {}: {}",
            diagnostic.file.display(),
            diagnostic.location,
            diagnostic.message
        );
    }
    let table = parity_mapping::Table::builtin()?;
    let comparison = parity_engine::compare(
        &terraform.resources,
        &cloudformation.resources,
        &table,
        &options,
    );

    let inputs = parity_report::Inputs {
        terraform: args.terraform.display().to_string(),
        cloudformation: args.cloudformation.display().to_string(),
    };
    let report = parity_report::Report::new(&comparison, &inputs);
    write_stdout(|out| report.render(args.format.into(), out))?;
    Ok(if report.in_parity() {
        exit::IN_PARITY
    } else {
        exit::DIVERGED
    }
    .into())
}

fn inventory(args: &InventoryArgs) -> anyhow::Result<ExitCode> {
    let (side, resources) = input::load_any(&args.input)?;
    let inventory = parity_report::Inventory {
        side,
        input: &args.input,
        resources: &resources,
    };
    write_stdout(|out| inventory.render(args.format.into(), out))?;
    Ok(exit::IN_PARITY.into())
}

/// Renders to standard output. A closed pipe (`| head`) is the reader's
/// choice, not trouble.
fn write_stdout(
    render: impl FnOnce(&mut dyn Write) -> Result<(), parity_report::Error>,
) -> anyhow::Result<()> {
    let mut stdout = io::stdout().lock();
    match render(&mut stdout).and_then(|()| stdout.flush().map_err(Into::into)) {
        Err(parity_report::Error::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

impl From<OutputFormat> for parity_report::Format {
    fn from(format: OutputFormat) -> Self {
        match format {
            OutputFormat::Text => parity_report::Format::Text,
            OutputFormat::Json => parity_report::Format::Json,
        }
    }
}
