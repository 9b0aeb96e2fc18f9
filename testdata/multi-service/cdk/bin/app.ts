#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { ACCOUNT, REGION, SERVICES } from '../lib/constants';
import { ServicesStack } from '../lib/services-stack';
import { SharedStack } from '../lib/shared-stack';

// No stack traces in the construct metadata: they would name the directory the
// app was synthesized in, and the output is committed.
const app = new cdk.App({
  stackTraces: false,
  context: { [cxapi.DISABLE_CREATION_STACK_TRACES]: true },
});

const env = { account: ACCOUNT, region: REGION };

const shared = new SharedStack(app, 'ShopSharedStack', { env });

new ServicesStack(app, 'ShopServicesStack', {
  env,
  vpc: shared.vpc,
  cluster: shared.cluster,
  albSecurityGroup: shared.albSecurityGroup,
  listener: shared.listener,
  services: SERVICES,
});
