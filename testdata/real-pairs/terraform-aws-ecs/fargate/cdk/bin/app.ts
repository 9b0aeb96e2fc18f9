#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { NetworkStack } from '../lib/network-stack';
import { FrontendStack } from '../lib/frontend-stack';

// Stack traces in the construct metadata only when `cdk synth --debug` asks
// for them: they name the directory the app is synthesized in, and the output
// is committed (`cargo xtask testdata` synthesizes with --debug from a copy in
// a fixed directory).
const app = new cdk.App({
  stackTraces: false,
  context: { [cxapi.DISABLE_CREATION_STACK_TRACES]: true },
});

const env = { account: '123456789012', region: 'eu-west-1' };
const tags = { Example: 'ex-fargate', Repository: 'https://github.com/terraform-aws-modules/terraform-aws-ecs' };

const network = new NetworkStack(app, 'ExFargateNetwork', { env, tags });
new FrontendStack(app, 'ExFargateFrontend', {
  env,
  tags,
  vpc: network.vpc,
  cluster: network.cluster,
  namespace: network.namespace,
});
