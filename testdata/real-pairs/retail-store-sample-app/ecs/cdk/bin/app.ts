#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { NetworkStack } from '../lib/network-stack';
import { StoreStack } from '../lib/store-stack';

// Stack traces in the construct metadata only when `cdk synth --debug` asks
// for them: they name the directory the app is synthesized in, and the output
// is committed (`cargo xtask testdata` synthesizes with --debug from a copy in
// a fixed directory).
const app = new cdk.App({
  stackTraces: false,
  context: { [cxapi.DISABLE_CREATION_STACK_TRACES]: true },
});

const env = { account: '123456789012', region: 'eu-west-1' };
const tags = { 'environment-name': 'retail-store-ecs', 'created-by': 'retail-store-sample-app' };

const network = new NetworkStack(app, 'RetailNetwork', { env, tags });
new StoreStack(app, 'RetailStore', { env, tags, vpc: network.vpc });
