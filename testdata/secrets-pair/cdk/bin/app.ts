#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { CredentialsStack } from '../lib/credentials-stack';

// No stack traces in the construct metadata: they would name the directory the
// app was synthesized in, and the output is committed.
const app = new cdk.App({
  stackTraces: false,
  context: { [cxapi.DISABLE_CREATION_STACK_TRACES]: true },
});

new CredentialsStack(app, 'CredentialsStack', {
  env: { account: '123456789012', region: 'eu-west-1' },
});
