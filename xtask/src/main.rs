//! Project automation: `cargo xtask <task>`. Only this crate and the CLI may
//! print, read the environment and exit.

mod accuracy;
mod docs;
mod fuzz;
mod parity;
mod process;
mod resolve;
mod terraform;
mod testdata;
mod tidy;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  accuracy    measure alignment on the real pairs under testdata/real-pairs/ against their audited lists
  docs        write the generated documentation (docs/mapping-reference.md)
  fuzz        run every fuzz target for --seconds N (nightly and cargo-fuzz; docs/fuzzing.md)
  parity      run terraform and cdk synth for the project parity.yaml describes, and compare
  plan-json   plan a Terraform configuration and write its JSON, unknown values resolved
  resolution-report  what the resolution of resolved plans did (rounds, values left unknown)
  testdata    regenerate every fixture under testdata/ with the real terraform and cdk";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let task = args.next();
    let rest: Vec<String> = args.collect();
    let result = match task.as_deref() {
        Some("accuracy") => accuracy::run(&rest),
        Some("docs") => docs::run(&rest),
        Some("fuzz") => fuzz::run(&rest),
        Some("plan-json") => resolve::run(&rest),
        Some("resolution-report") => resolve::report(&rest),
        Some("testdata") => testdata::run(&rest),
        // Returns iac-parity's exit status: 0, 1 or 2.
        Some("parity") => return parity::run(&rest),
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("error: unknown task `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
