#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { InfraStack } from '../lib/infra-stack';
import { ServicesStack } from '../lib/services-stack';

// Stack traces in the construct metadata only when `cdk synth --debug` asks
// for them: they name the directory the app is synthesized in, and the output
// is committed (`cargo xtask testdata` synthesizes with --debug from a copy in
// a fixed directory).
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
