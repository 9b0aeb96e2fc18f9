#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { InfraStack } from '../lib/infra-stack';
import { ServicesStack } from '../lib/services-stack';

// No stack traces in the construct metadata: they would name the directory the
// app was synthesized in, and the output is committed.
const app = new cdk.App({
  stackTraces: false,
  context: { [cxapi.DISABLE_CREATION_STACK_TRACES]: true },
});

const env = { account: '123456789012', region: 'us-east-1' };
const tags = { Project: 'petclinic', ManagedBy: 'cdk' };

const infra = new InfraStack(app, 'PetclinicInfra', { env, tags });
new ServicesStack(app, 'PetclinicServices', {
  env,
  tags,
  vpc: infra.vpc,
  cluster: infra.cluster,
  namespace: infra.namespace,
  fileSystem: infra.fileSystem,
  accessPoints: infra.accessPoints,
});
