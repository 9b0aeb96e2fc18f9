#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { ACCOUNT, REGION } from '../lib/constants';
import { DataStack } from '../lib/data-stack';
import { NetworkStack } from '../lib/network-stack';
import { ServiceStack } from '../lib/service-stack';

// No stack traces in the construct metadata: they would name the directory the
// app was synthesized in, and the output is committed.
const app = new cdk.App({
  stackTraces: false,
  context: { [cxapi.DISABLE_CREATION_STACK_TRACES]: true },
});

// Three stacks in one environment: the references between them become
// exports and imports.
const env = { account: ACCOUNT, region: REGION };
const network = new NetworkStack(app, 'NetworkStack', { env });
const data = new DataStack(app, 'DataStack', { env });
new ServiceStack(app, 'ServiceStack', {
  env,
  vpc: network.vpc,
  serviceSecurityGroup: network.serviceSecurityGroup,
  table: data.table,
  dbSecret: data.dbSecret,
});
