//! The intrinsic evaluator on a parsed template: the fuzzed JSON becomes
//! one property of a resource in a template whose parameters, conditions,
//! mappings and resources it can refer to, so that the evaluator (not the
//! parser) meets what the fuzzer finds.
#![no_main]

use libfuzzer_sys::fuzz_target;

const TEMPLATE: &str = r#"{
  "Parameters": {
    "Env": {"Type": "String", "Default": "prod", "AllowedValues": ["dev", "prod"]},
    "Subnets": {"Type": "List<AWS::EC2::Subnet::Id>", "Default": "subnet-1,subnet-2"},
    "Secret": {"Type": "String", "NoEcho": true},
    "Cidr": {"Type": "String", "Default": "10.0.0.0/16"}
  },
  "Mappings": {"Sizes": {"prod": {"Memory": 1024, "Names": ["a", "b"]}, "dev": {"Memory": 512}}},
  "Conditions": {
    "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
    "HasSecret": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Secret"}, ""]}]}
  },
  "Resources": {
    "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs"}},
    "Bucket": {"Type": "AWS::S3::Bucket", "Condition": "IsProd"},
    "Function": {"Type": "AWS::Lambda::Function", "Properties": {"Value": null}}
  },
  "Outputs": {"QueueUrl": {"Value": {"Ref": "Queue"}, "Export": {"Name": "queue-url"}}}
}"#;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let mut template: serde_json::Value = serde_json::from_str(TEMPLATE).unwrap();
    template["Resources"]["Function"]["Properties"]["Value"] = value;
    let text = template.to_string();
    if let Ok(deployment) = parity_cloudformation::load_template_str(&text, "fuzz.json".as_ref()) {
        for resource in &deployment.resources {
            for value in resource.properties.values() {
                let _ = value.to_string();
            }
        }
    }
});
