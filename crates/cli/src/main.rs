//! The `iac-parity` command: glue that reads the inputs, runs the engine and
//! renders the report. Only this crate (and `xtask`) prints and exits.

mod exit;
mod input;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use parity_model::{Area, FixLanguage, Severity, Side};

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
    /// Write the current findings as a baseline (a JSON report) for
    /// `compare --baseline`, or as waivers to start from.
    Baseline(BaselineArgs),
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

/// What is compared, and how: shared by `compare` and `baseline`.
#[derive(clap::Args)]
struct InputArgs {
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

    /// Compare only these areas (repeat or separate with commas); the
    /// configuration's `compare.areas` otherwise.
    #[arg(long, value_name = "AREA", value_delimiter = ',', value_parser = parse_area)]
    area: Vec<Area>,

    /// The project configuration (explicit pairs, skips, waivers, options).
    /// Defaults to `parity.yaml` in the current directory when there is one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// The Terraform root module's folder: findings then say where each
    /// Terraform attribute is written (the `.tf` file and line, and the
    /// module call of what a module builds). Also `terraform.root` in the
    /// configuration, relative to it.
    #[arg(long, value_name = "DIR")]
    terraform_source: Option<PathBuf>,

    /// The CDK app's folder (the one holding `cdk.json`): the app lines of
    /// the creation traces (`cdk synth --debug`) are named inside it. The
    /// configuration's `cdk.app` otherwise, else the folder holding
    /// `cdk.json` that a `cdk.out` given is in.
    #[arg(long, value_name = "DIR")]
    cdk_app: Option<PathBuf>,
}

#[derive(clap::Args)]
struct CompareArgs {
    #[command(flatten)]
    inputs: InputArgs,

    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,

    /// Also list how resources were paired and what was not compared.
    #[arg(long)]
    show_pairs: bool,

    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// The least severe difference that makes the exit status 1; the
    /// configuration's `compare.fail_on`, else `consider` (every difference).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,

    /// The side that is right: each difference's action is to fix the
    /// other. Without it (and without `compare.source_of_truth`), the
    /// action is to decide.
    #[arg(long, value_enum)]
    source_of_truth: Option<SourceOfTruth>,

    /// The CDK app's language, for fix snippets: when a construct's source
    /// file (from creation traces) does not say it. Default:
    /// `cdk.language` of the configuration, else TypeScript.
    #[arg(long, value_enum)]
    cdk_language: Option<CdkLanguage>,

    /// A JSON report of an earlier run: only findings that are not in it
    /// fail, and those of it that are gone are reported as fixed.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// Waivers that select nothing (stale) fail too (also `compare.strict`).
    #[arg(long)]
    strict: bool,

    /// Markdown only: cut the report to at most N bytes, keeping the
    /// summary and the must-fix findings first and saying what was cut
    /// (65536 fits a pull-request comment).
    #[arg(long, value_name = "N")]
    max_bytes: Option<usize>,
}

#[derive(clap::Args)]
struct BaselineArgs {
    #[command(flatten)]
    inputs: InputArgs,

    /// Where to write it.
    #[arg(long, value_name = "FILE")]
    output: PathBuf,

    /// Write the findings as `waivers:` YAML to start from instead, each
    /// with the reason "to review".
    #[arg(long)]
    waivers: bool,
}

/// What the CloudFormation side cannot know from its templates.
#[derive(clap::Args)]
struct CloudFormationArgs {
    /// A parameter value, for every stack that declares the parameter
    /// (repeat for several; wins over parameter files).
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    params: Vec<(String, String)>,

    /// A CloudFormation parameter file: `[{"ParameterKey", "ParameterValue"}]`,
    /// `{"Parameters": {...}}` (CodePipeline's template configuration) or
    /// `Key=Value` lines (repeatable); `STACK=FILE` for one stack only (a
    /// nested one by its name, `main/Network`).
    #[arg(long = "param-file", value_name = "FILE")]
    param_files: Vec<PathBuf>,

    /// A folder where nested stacks' templates are looked for, by the file
    /// their `TemplateURL` names, after the parent template's folder
    /// (repeatable; also `cloudformation.templates` in the configuration).
    #[arg(long = "template-dir", value_name = "DIR")]
    template_dirs: Vec<PathBuf>,

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
    /// The loader's options; `config` adds the template folders it names
    /// (relative to `config_dir`).
    fn options(
        &self,
        config: Option<(&parity_engine::Config, &Path)>,
    ) -> parity_cloudformation::Options {
        let mut template_dirs = self.template_dirs.clone();
        if let Some((config, dir)) = config {
            template_dirs.extend(
                config
                    .sources
                    .cloudformation_templates
                    .iter()
                    .map(|d| dir.join(d)),
            );
        }
        // `STACK=FILE` names a stack, unless a file has that very name.
        let (mut parameter_files, mut stack_parameter_files) = (Vec::new(), Vec::new());
        for file in &self.param_files {
            let text = file.to_string_lossy();
            match text.split_once('=') {
                Some((stack, path)) if !stack.is_empty() && !file.exists() => {
                    stack_parameter_files.push((stack.to_owned(), PathBuf::from(path)));
                }
                _ => parameter_files.push(file.clone()),
            }
        }
        parity_cloudformation::Options {
            parameters: self.params.clone(),
            parameter_files,
            stack_parameter_files,
            template_dirs,
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
enum ReportFormat {
    Text,
    Markdown,
    Json,
    /// JUnit XML, for CI test reports.
    Junit,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
    /// SARIF 2.1.0, for code scanning (GitHub, GitLab, Azure DevOps).
    Sarif,
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
enum CdkLanguage {
    Typescript,
    Python,
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
        Command::Baseline(args) => baseline(&args),
        Command::Inventory(args) => inventory(&args),
        Command::Mappings(args) => mappings(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // The libraries' messages already name the file, the location
            // and the cause: one line, nothing to add. They quote the
            // inputs, so hidden characters are shown escaped, as reports
            // show them.
            eprintln!("error: {}", parity_report::visible(&err.to_string()));
            exit::TROUBLE.into()
        }
    }
}

/// A comparison and what the report needs to present it.
struct Compared {
    comparison: parity_engine::Comparison,
    inputs: parity_report::Inputs,
    config: parity_engine::Config,
    date: String,
}

/// Loads both sides and the configuration, and compares them.
fn run_comparison(args: &InputArgs, baseline: Option<&Path>) -> anyhow::Result<Compared> {
    let config = load_config(args.config.as_deref())?;
    let date = report_date()?;
    let options = parity_engine::Options {
        areas: if args.area.is_empty() {
            config.compare.areas.clone()
        } else {
            args.area.clone()
        },
        date: Some(parity_engine::Date::parse(&date).map_err(anyhow::Error::msg)?),
        baseline: baseline.map(load_baseline).transpose()?,
    };
    // Folders the configuration names are relative to it.
    let config_dir = args
        .config
        .as_deref()
        .and_then(Path::parent)
        .unwrap_or(Path::new(""));
    let mut terraform = parity_terraform::load_file(&args.terraform)?;
    let paths: Vec<&Path> = args.cloudformation.iter().map(PathBuf::as_path).collect();
    let mut cloudformation = parity_cloudformation::load(
        &paths,
        &args
            .cloudformation_options
            .options(Some((&config, config_dir))),
    )?;
    for diagnostic in &cloudformation.diagnostics {
        let warning = format!(
            "{}: at {}: {}",
            diagnostic.file.display(),
            diagnostic.location,
            diagnostic.message
        );
        eprintln!("warning: {}", parity_report::visible(&warning));
    }
    let table = parity_mapping::Table::builtin()?;
    let app = match &args.cdk_app {
        Some(dir) => Some(dir.clone()),
        None => cdk_app(&config, config_dir, &args.cloudformation),
    };
    // Where each resource is written, read before the comparison consumes
    // the resources: they are not held beside the canonical forms made
    // from them.
    let locations = parity_cloudformation::locations(&cloudformation, app.as_deref());
    let mut comparison = parity_engine::compare_owned(
        std::mem::take(&mut terraform.resources),
        std::mem::take(&mut cloudformation.resources),
        &table,
        &config,
        &options,
    )?;
    comparison.locate(&locations);
    drop(locations);
    let terraform_root = args.terraform_source.clone().or_else(|| {
        config
            .sources
            .terraform
            .as_ref()
            .map(|t| config_dir.join(&t.root))
    });
    if let Some(root) = terraform_root {
        // Locations are a help: what cannot be read is said, and the
        // report goes on without it.
        let (sources, warnings) = parity_terraform::SourceTree::read(&root);
        for warning in &warnings {
            eprintln!("warning: {warning}");
        }
        comparison.locate_terraform(&parity_mapping::TerraformLocator {
            table: &table,
            sources: &sources,
        });
    }
    // What of the inputs was left out belongs in the report too.
    comparison
        .notes
        .extend(cloudformation.ignored.iter().map(|ignored| {
            format!(
                "{} was not loaded: {}",
                ignored.template.display(),
                ignored.reason
            )
        }));
    if let Some((tf, cfn)) = comparison.nothing_paired() {
        anyhow::bail!(
            "the inputs do not look like the same infrastructure: none of the {tf} resources of {} has a twin among the {cfn} of {} (give both sides of one project, or pair resources in parity.yaml)",
            args.terraform.display(),
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if let Some(weak) = comparison.unrelated() {
        let cloudformation = paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let (larger, count) = if weak.terraform >= weak.cloudformation {
            (
                format!("the Terraform side ({})", args.terraform.display()),
                weak.terraform,
            )
        } else {
            (
                format!("the CDK side ({cloudformation})"),
                weak.cloudformation,
            )
        };
        anyhow::bail!(
            "the inputs do not look like twins: the {} pairs found account for {:.0}% of the {count} resources of {larger}, where twins account for at least {:.0}%; unrelated projects built alike pair only what any two share (a VPC, a load balancer, a listener). Give the plan and the CDK output of one project (only the stacks that twin the plan), or pair resources in parity.yaml",
            weak.pairs,
            weak.evidence * 100.0,
            parity_engine::TWIN_EVIDENCE * 100.0,
        );
    }
    let inputs = parity_report::Inputs {
        terraform: args.terraform.display().to_string(),
        cloudformation: paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    };
    Ok(Compared {
        comparison,
        inputs,
        config,
        date,
    })
}

/// The CDK app's folder, where the app lines of creation traces are named:
/// `cdk.app` of the configuration, else the folder holding `cdk.json` that
/// a cloud assembly given was written in (`cdk synth`'s default `cdk.out`).
fn cdk_app(
    config: &parity_engine::Config,
    config_dir: &Path,
    cloudformation: &[PathBuf],
) -> Option<PathBuf> {
    if let Some(cdk) = &config.sources.cdk {
        return Some(config_dir.join(&cdk.app));
    }
    cloudformation
        .iter()
        .filter(|path| path.is_dir())
        .filter_map(|path| path.parent())
        .find(|parent| parent.join("cdk.json").is_file())
        .map(Path::to_path_buf)
}

fn load_baseline(path: &Path) -> anyhow::Result<parity_engine::Baseline> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot read file: {e}", path.display()))?;
    Ok(parity_report::read_baseline(
        &text,
        &path.display().to_string(),
    )?)
}

fn compare(args: &CompareArgs) -> anyhow::Result<ExitCode> {
    if args.max_bytes.is_some() && !matches!(args.format, ReportFormat::Markdown) {
        anyhow::bail!("--max-bytes applies to --format markdown only");
    }
    let Compared {
        mut comparison,
        inputs,
        config,
        date,
    } = run_comparison(&args.inputs, args.baseline.as_deref())?;
    let source_of_truth = match args.source_of_truth {
        Some(SourceOfTruth::Terraform) => Some(Side::Terraform),
        Some(SourceOfTruth::Cdk) => Some(Side::CloudFormation),
        None => config.compare.source_of_truth,
    };
    let cdk_language = match args.cdk_language {
        Some(CdkLanguage::Typescript) => FixLanguage::TypeScript,
        Some(CdkLanguage::Python) => FixLanguage::Python,
        None => config
            .sources
            .cdk
            .as_ref()
            .and_then(|c| c.language)
            .unwrap_or(FixLanguage::TypeScript),
    };
    comparison.suggest_fixes(
        &parity_mapping::Table::builtin()?,
        source_of_truth,
        cdk_language,
    );
    let options = parity_report::ReportOptions {
        show_pairs: args.show_pairs,
        source_of_truth,
        date,
        color: args.output.is_none() && matches!(args.format, ReportFormat::Text) && wants_color(),
        max_bytes: args.max_bytes,
    };
    let report = parity_report::Report::new(&comparison, &inputs, options);
    let format = match args.format {
        ReportFormat::Text => parity_report::Format::Text,
        ReportFormat::Markdown => parity_report::Format::Markdown,
        ReportFormat::Json => parity_report::Format::Json,
        ReportFormat::Junit => parity_report::Format::Junit,
        ReportFormat::Github => parity_report::Format::Github,
        ReportFormat::Sarif => parity_report::Format::Sarif,
    };
    match &args.output {
        Some(path) => {
            let mut out = Vec::new();
            report.render(format, &mut out)?;
            std::fs::write(path, out)
                .map_err(|e| anyhow::anyhow!("{}: cannot write the report: {e}", path.display()))?;
        }
        None => write_stdout(|out| report.render(format, out))?,
    }
    let fail_on = match args.fail_on {
        Some(FailOn::Must) => Severity::MustFix,
        Some(FailOn::Should) => Severity::ShouldFix,
        Some(FailOn::Consider) => Severity::Consider,
        None => config.compare.fail_on.unwrap_or(Severity::Consider),
    };
    let strict = args.strict || config.compare.strict == Some(true);
    Ok(if comparison.fails(fail_on, strict) {
        exit::DIVERGED
    } else {
        exit::IN_PARITY
    }
    .into())
}

/// `iac-parity baseline`: the current findings as a JSON report, or as
/// waivers to start from. Exit 0 whatever was found.
fn baseline(args: &BaselineArgs) -> anyhow::Result<ExitCode> {
    let Compared {
        comparison,
        inputs,
        config,
        date,
    } = run_comparison(&args.inputs, None)?;
    let mut out = Vec::new();
    if args.waivers {
        parity_report::render_waivers(&comparison, &mut out)?;
    } else {
        let options = parity_report::ReportOptions {
            source_of_truth: config.compare.source_of_truth,
            date,
            ..parity_report::ReportOptions::default()
        };
        parity_report::Report::new(&comparison, &inputs, options)
            .render(parity_report::Format::Json, &mut out)?;
    }
    std::fs::write(&args.output, out)
        .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", args.output.display()))?;
    Ok(exit::IN_PARITY.into())
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
    let (side, resources) = input::load_any(&args.input, &args.cloudformation.options(None))?;
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
