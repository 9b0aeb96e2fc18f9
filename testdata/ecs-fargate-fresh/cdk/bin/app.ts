#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { ApiStack } from '../lib/api-stack';
import { ACCOUNT, REGION } from '../lib/constants';

// Stack traces in the construct metadata only when `cdk synth --debug` asks
// for them: they name the directory the app is synthesized in, and the output
// is committed (`cargo xtask testdata` synthesizes with --debug from a copy in
// a fixed directory).
const app = new cdk.App({
  stackTraces: false,
  context: { [cxapi.DISABLE_CREATION_STACK_TRACES]: true },
});

// `cdk synth -c inSync=true` renders the stack that matches ../terraform.
// Without it the stack carries the divergences listed in ../DIVERGENCES.md.
const inSyncContext = app.node.tryGetContext('inSync');
const inSync = inSyncContext === true || inSyncContext === 'true';

new ApiStack(app, 'ApiStack', {
  env: { account: ACCOUNT, region: REGION },
  inSync,
});
