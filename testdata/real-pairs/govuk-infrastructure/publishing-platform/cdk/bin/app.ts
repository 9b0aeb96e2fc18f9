#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { PublishingStack } from '../lib/publishing-stack';

// Stack traces in the construct metadata only when `cdk synth --debug` asks
// for them: they name the directory the app is synthesized in, and the output
// is committed (`cargo xtask testdata` synthesizes with --debug from a copy in
// the system's temporary folder).
const app = new cdk.App({
  stackTraces: false,
  context: { [cxapi.DISABLE_CREATION_STACK_TRACES]: true },
});

const govukEnvironment = 'test';

new PublishingStack(app, 'GovukPublishing', {
  env: { account: '123456789012', region: 'eu-west-1' },
  tags: {
    chargeable_entity: 'govuk-publishing-platform-ecs',
    environment: govukEnvironment,
    project: 'replatforming',
    repository: 'govuk-infrastructure',
  },
  govukEnvironment,
  registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  shared: {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    privateSubnetIds: ['subnet-0a11aa11aa11aa111', 'subnet-0b22bb22bb22bb222', 'subnet-0c33cc33cc33cc333'],
    securityGroups: {
      documentDb: 'sg-0d0c0d0c0d0c0d0c0',
      postgres: 'sg-0b0a0b0a0b0a0b0a0',
      mongo: 'sg-0a0b0a0b0a0b0a0b0',
      mysql: 'sg-0c0d0c0d0c0d0c0d0',
      routerBackend: 'sg-0e0f0e0f0e0f0e0f0',
      redis: 'sg-0f1e0f1e0f1e0f1e0',
    },
    mongoHosts: ['mongo-1', 'mongo-2', 'mongo-3'].map((h) => `${h}.${govukEnvironment}.govuk-internal.digital`),
    routerMongoHosts: ['router-backend-1', 'router-backend-2', 'router-backend-3'].map(
      (h) => `${h}.${govukEnvironment}.govuk-internal.digital`,
    ),
    redisUrl: `redis://shared-redis.${govukEnvironment}.govuk-internal.digital:6379`,
  },
});
