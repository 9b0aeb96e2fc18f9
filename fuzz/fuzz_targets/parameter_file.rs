//! CloudFormation parameter files, given with a template that declares
//! parameters of several types. The loader reads parameter files from
//! paths, so each input is written to a file of this process's own.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const TEMPLATE: &str = r#"{
  "Parameters": {
    "Env": {"Type": "String", "Default": "prod", "AllowedValues": ["dev", "prod"]},
    "Count": {"Type": "Number", "Default": 2, "MinValue": 1, "MaxValue": 9},
    "Subnets": {"Type": "CommaDelimitedList", "Default": "a,b"},
    "Image": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/app/image"},
    "Secret": {"Type": "String", "NoEcho": true}
  },
  "Resources": {
    "Queue": {"Type": "AWS::SQS::Queue", "Properties": {
      "QueueName": {"Fn::Sub": "${Env}-jobs"},
      "DelaySeconds": {"Ref": "Count"},
      "Tags": [{"Key": "subnets", "Value": {"Fn::Join": [",", {"Ref": "Subnets"}]}},
               {"Key": "image", "Value": {"Ref": "Image"}},
               {"Key": "secret", "Value": {"Ref": "Secret"}}]
    }}
  }
}"#;

fn file() -> &'static PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        std::env::temp_dir().join(format!(
            "parity-fuzz-parameters-{}.json",
            std::process::id()
        ))
    })
}

fuzz_target!(|data: &[u8]| {
    std::fs::write(file(), data).unwrap();
    let options = parity_cloudformation::Options {
        parameter_files: vec![file().clone()],
        ..Default::default()
    };
    let _ = parity_cloudformation::load_text(TEMPLATE, "fuzz.json".as_ref(), &options);
});
