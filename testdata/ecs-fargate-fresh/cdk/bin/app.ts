#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { ApiStack } from '../lib/api-stack';
import { ACCOUNT, REGION } from '../lib/constants';

// No stack traces in the construct metadata: they would name the directory the
// app was synthesized in, and the output is committed.
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
