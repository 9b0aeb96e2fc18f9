//! The `iac-parity` command: glue that reads the inputs, runs the engine and
//! renders the report. Only this crate (and `xtask`) prints and exits.

mod exit;
mod input;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
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
    /// Print the Terraform to CloudFormation mapping table.
    Mappings(MappingsArgs),
}

#[derive(clap::Args)]
struct MappingsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    format: TableFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum TableFormat {
    Text,
    Markdown,
    Json,
}

#[derive(clap::Args)]
struct InventoryArgs {
    /// `terraform show -json` output, a `cdk.out` folder, a template (JSON
    /// or YAML), a folder of templates, or `-`.
    #[arg(value_name = "PATH")]
    input: String,

    #[command(flatten)]
    cloudformation: CloudFormationArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
}

#[derive(clap::Args)]
struct CompareArgs {
    /// `terraform show -json` output: a plan or a state.
    #[arg(long, value_name = "FILE")]
    terraform: PathBuf,

    /// A `cdk.out` folder (what `cdk synth` writes), a CloudFormation
    /// template (JSON or YAML) or a folder of templates; repeat it to give
    /// several stacks, whose exports and imports then resolve together.
    #[arg(long, value_name = "PATH", required = true)]
    cloudformation: Vec<PathBuf>,

    #[command(flatten)]
    cloudformation_options: CloudFormationArgs,

    /// Compare only these areas (repeat or separate with commas).
    #[arg(long, value_name = "AREA", value_delimiter = ',', value_parser = parse_area)]
    area: Vec<Area>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,

    /// The project configuration (explicit pairs, skips). Defaults to
    /// `parity.yaml` in the current directory when there is one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Also list how resources were paired and what was not compared.
    #[arg(long)]
    show_pairs: bool,
}

/// What the CloudFormation side cannot know from its templates.
#[derive(clap::Args)]
struct CloudFormationArgs {
    /// A parameter value, for every stack that declares the parameter
    /// (repeat for several; wins over parameter files).
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    params: Vec<(String, String)>,

    /// A CloudFormation parameter file: `[{"ParameterKey", "ParameterValue"}]`
    /// or `{"Parameters": {...}}` (repeatable).
    #[arg(long = "param-file", value_name = "FILE")]
    param_files: Vec<PathBuf>,

    /// The region of stacks whose cdk.out does not name one.
    #[arg(long, value_name = "REGION")]
    region: Option<String>,

    /// The account of stacks whose cdk.out does not name one.
    #[arg(long, value_name = "ACCOUNT")]
    account: Option<String>,

    /// The partition (`aws`, `aws-cn`, `aws-us-gov`, …); by default the
    /// region's.
    #[arg(long, value_name = "PARTITION")]
    partition: Option<String>,
}

impl CloudFormationArgs {
    fn options(&self) -> parity_cloudformation::Options {
        parity_cloudformation::Options {
            parameters: self.params.clone(),
            parameter_files: self.param_files.clone(),
            account: self.account.clone(),
            region: self.region.clone(),
            partition: self.partition.clone(),
        }
    }
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("expected NAME=VALUE, found {text:?}")),
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

/// The configuration file looked for in the current directory.
const DEFAULT_CONFIG: &str = "parity.yaml";

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
        Command::Mappings(args) => mappings(&args),
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
    let paths: Vec<&Path> = args.cloudformation.iter().map(PathBuf::as_path).collect();
    let cloudformation =
        parity_cloudformation::load(&paths, &args.cloudformation_options.options())?;
    for diagnostic in &cloudformation.diagnostics {
        eprintln!(
            "warning: {}: at {}: {}",
            diagnostic.file.display(),
            diagnostic.location,
            diagnostic.message
        );
    }
    let config = load_config(args.config.as_deref())?;
    let table = parity_mapping::Table::builtin()?;
    let comparison = parity_engine::compare(
        &terraform.resources,
        &cloudformation.resources,
        &table,
        &config,
        &options,
    );

    let inputs = parity_report::Inputs {
        terraform: args.terraform.display().to_string(),
        cloudformation: paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    };
    let report = parity_report::Report::new(&comparison, &inputs).show_pairs(args.show_pairs);
    write_stdout(|out| report.render(args.format.into(), out))?;
    Ok(if report.in_parity() {
        exit::IN_PARITY
    } else {
        exit::DIVERGED
    }
    .into())
}

/// The configuration named on the command line, else `parity.yaml` in the
/// current directory when there is one, else none.
fn load_config(path: Option<&Path>) -> anyhow::Result<parity_engine::Config> {
    let default = Path::new(DEFAULT_CONFIG);
    let path = match path {
        Some(path) => path,
        None if default.is_file() => default,
        None => return Ok(parity_engine::Config::default()),
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot read file: {e}", path.display()))?;
    Ok(parity_engine::Config::parse(&text, path)?)
}

fn mappings(args: &MappingsArgs) -> anyhow::Result<ExitCode> {
    let table = parity_mapping::Table::builtin()?;
    let format = match args.format {
        TableFormat::Text => parity_report::TableFormat::Text,
        TableFormat::Markdown => parity_report::TableFormat::Markdown,
        TableFormat::Json => parity_report::TableFormat::Json,
    };
    write_stdout(|out| parity_report::render_mappings(&table, format, out))?;
    Ok(exit::IN_PARITY.into())
}

fn inventory(args: &InventoryArgs) -> anyhow::Result<ExitCode> {
    let (side, resources) = input::load_any(&args.input, &args.cloudformation.options())?;
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
