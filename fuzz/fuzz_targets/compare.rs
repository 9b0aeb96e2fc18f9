//! Compare on a fixed pair with a fuzzed side: the fuzzed bytes are the
//! Terraform plan, compared with the ecs-fargate fixture's cdk.out, and the
//! report is rendered in every format.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use parity_model::Resource;

struct Fixed {
    cloudformation: Vec<Resource>,
    table: parity_mapping::Table,
    config: parity_engine::Config,
}

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/ecs-fargate");
        let config = std::fs::read_to_string(root.join("parity.yaml")).unwrap();
        Fixed {
            cloudformation: parity_cloudformation::load_path(&root.join("cdk.out"))
                .unwrap()
                .resources,
            table: parity_mapping::Table::builtin().unwrap(),
            config: parity_engine::Config::parse(&config, &root.join("parity.yaml")).unwrap(),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = parity_terraform::load_slice(data, "fuzz.json".as_ref()) else {
        return;
    };
    let fixed = fixed();
    let Ok(comparison) = parity_engine::compare(
        &input.resources,
        &fixed.cloudformation,
        &fixed.table,
        &fixed.config,
        &parity_engine::Options::default(),
    ) else {
        return;
    };
    let inputs = parity_report::Inputs {
        terraform: "fuzz.json".to_owned(),
        cloudformation: "cdk.out".to_owned(),
    };
    for format in [
        parity_report::Format::Text,
        parity_report::Format::Markdown,
        parity_report::Format::Json,
        parity_report::Format::Junit,
    ] {
        let report = parity_report::Report::new(
            &comparison,
            &inputs,
            parity_report::ReportOptions {
                show_pairs: true,
                ..Default::default()
            },
        );
        report.render(format, &mut std::io::sink()).unwrap();
    }
});
