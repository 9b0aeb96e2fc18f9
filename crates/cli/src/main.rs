//! The `iac-parity` command: glue that reads the inputs, runs the engine and
//! renders the report. Only this crate (and `xtask`) prints and exits.

mod exit;
mod input;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use parity_model::{Area, Severity, Side};

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

    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// The least severe difference that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Consider)]
    fail_on: FailOn,

    /// The side that is right: each difference's action is to fix the
    /// other. Without it, the action is to decide.
    #[arg(long, value_enum)]
    source_of_truth: Option<SourceOfTruth>,
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
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    /// Only must-fix differences fail.
    Must,
    /// Must-fix and should-fix differences fail.
    Should,
    /// Every difference fails.
    Consider,
}

#[derive(Clone, Copy, ValueEnum)]
enum SourceOfTruth {
    Terraform,
    Cdk,
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
        ..parity_engine::Options::default()
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
    )?;

    let inputs = parity_report::Inputs {
        terraform: args.terraform.display().to_string(),
        cloudformation: paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    };
    let options = parity_report::ReportOptions {
        show_pairs: args.show_pairs,
        source_of_truth: args.source_of_truth.map(|side| match side {
            SourceOfTruth::Terraform => Side::Terraform,
            SourceOfTruth::Cdk => Side::CloudFormation,
        }),
        date: report_date()?,
        color: args.output.is_none() && wants_color(),
    };
    let report = parity_report::Report::new(&comparison, &inputs, options);
    match &args.output {
        Some(path) => {
            let mut out = Vec::new();
            report.render(args.format.into(), &mut out)?;
            std::fs::write(path, out)
                .map_err(|e| anyhow::anyhow!("{}: cannot write the report: {e}", path.display()))?;
        }
        None => write_stdout(|out| report.render(args.format.into(), out))?,
    }
    let fail_on = match args.fail_on {
        FailOn::Must => Severity::MustFix,
        FailOn::Should => Severity::ShouldFix,
        FailOn::Consider => Severity::Consider,
    };
    Ok(if comparison.diverges(fail_on) {
        exit::DIVERGED
    } else {
        exit::IN_PARITY
    }
    .into())
}

/// The report's date: from `SOURCE_DATE_EPOCH` when set, so that reports
/// are reproducible; else today, in UTC.
fn report_date() -> anyhow::Result<String> {
    let seconds = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => text.trim().parse::<i64>().map_err(|_| {
            anyhow::anyhow!("SOURCE_DATE_EPOCH: expected seconds since 1970, found {text:?}")
        })?,
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
    };
    Ok(civil_date(seconds.div_euclid(86_400)))
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01 (proleptic Gregorian).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Colour on a terminal, never with `NO_COLOR` (no-color.org).
fn wants_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
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
            OutputFormat::Markdown => parity_report::Format::Markdown,
            OutputFormat::Json => parity_report::Format::Json,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::civil_date;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_358), "2023-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(-1), "1969-12-31");
    }
}
