#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { NetworkStack } from '../lib/network-stack';
import { FrontendStack } from '../lib/frontend-stack';

// No stack traces in the construct metadata: they would name the directory the
// app was synthesized in, and the output is committed.
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
