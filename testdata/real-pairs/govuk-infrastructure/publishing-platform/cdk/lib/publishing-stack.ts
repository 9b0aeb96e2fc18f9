import * as cdk from 'aws-cdk-lib';
import * as appmesh from 'aws-cdk-lib/aws-appmesh';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { GovukApp, Platform } from './govuk-app';

/** The account's network and data tier, deployed apart (govuk-aws). */
export interface SharedInfra {
  readonly vpcId: string;
  readonly availabilityZones: string[];
  readonly privateSubnetIds: string[];
  readonly securityGroups: {
    readonly documentDb: string;
    readonly postgres: string;
    readonly mongo: string;
    readonly mysql: string;
    readonly routerBackend: string;
    readonly redis: string;
  };
  readonly mongoHosts: string[];
  readonly routerMongoHosts: string[];
  readonly redisUrl: string;
}

export interface PublishingStackProps extends cdk.StackProps {
  readonly govukEnvironment: string;
  readonly registry: string;
  readonly shared: SharedInfra;
}

/** The GOV.UK publishing platform: one ECS cluster and App Mesh, seventeen apps. */
export class PublishingStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: PublishingStackProps) {
    super(scope, id, props);
    const env = props.govukEnvironment;
    const workspace = 'ecs';
    const externalDomain = `${workspace}.${env}.govuk.digital`;
    const meshDomain = `mesh.${workspace}.${env}.govuk-internal.digital`;
    const publicEntryUrl = `https://www-origin.${externalDomain}`;
    const draftOriginUrl = `https://draft-origin.${externalDomain}`;
    const assetRoot = `https://assets.${env}.publishing.service.gov.uk`;
    const signonUri = `https://signon.${externalDomain}`;
    const meshUri = (app: string) => `http://${app}.${meshDomain}`;

    // --- Network (imported) -------------------------------------------------
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: props.shared.vpcId,
      availabilityZones: props.shared.availabilityZones,
      privateSubnetIds: props.shared.privateSubnetIds,
    });
    const importGroup = (id: string, groupId: string) =>
      ec2.SecurityGroup.fromSecurityGroupId(this, id, groupId, { allowAllOutbound: false });
    const documentDbSg = importGroup('DocumentDbSg', props.shared.securityGroups.documentDb);
    const postgresSg = importGroup('PostgresSg', props.shared.securityGroups.postgres);
    const mongoSg = importGroup('MongoSg', props.shared.securityGroups.mongo);
    const mysqlSg = importGroup('MysqlSg', props.shared.securityGroups.mysql);
    const routerDbSg = importGroup('RouterDbSg', props.shared.securityGroups.routerBackend);
    const redisSg = importGroup('RedisSg', props.shared.securityGroups.redis);

    // --- Cluster, mesh, service discovery -----------------------------------
    const cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: `govuk-${workspace}`,
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      enableFargateCapacityProviders: true,
    });
    cluster.addDefaultCapacityProviderStrategy([{ capacityProvider: 'FARGATE_SPOT' }]);

    const mesh = new appmesh.Mesh(this, 'Mesh', {
      meshName: `govuk-${workspace}`,
      egressFilter: appmesh.MeshFilterType.ALLOW_ALL,
    });
    const namespace = new servicediscovery.PrivateDnsNamespace(this, 'MeshNamespace', {
      name: meshDomain,
      vpc,
    });

    // --- Roles shared by every task -------------------------------------------
    const executionRole = new iam.Role(this, 'TaskExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Role for the ECS container agent and Docker daemon to manage the app container.',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonECSTaskExecutionRolePolicy'),
        new iam.ManagedPolicy(this, 'CreateLogGroupPolicy', {
          path: '/createLogsGroupPolicy/',
          description: 'Create Logs group',
          statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogGroup'], resources: ['*'] })],
        }),
        new iam.ManagedPolicy(this, 'ReadSecretsPolicy', {
          path: '/accessSecretsPolicy/',
          description: 'Allow apps in ECS to access secrets',
          statements: [
            new iam.PolicyStatement({
              actions: ['secretsmanager:GetSecretValue'],
              resources: [`arn:aws:secretsmanager:eu-west-1:${this.account}:secret:*`],
            }),
          ],
        }),
      ],
    });

    const contentSchemasBucketName = `govuk-${env}-${workspace}-content-schemas`;
    const contentSchemas = new s3.Bucket(this, 'ContentSchemasBucket', {
      bucketName: contentSchemasBucketName,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });
    cdk.Tags.of(contentSchemas).add('name', contentSchemasBucketName);
    cdk.Tags.of(contentSchemas).add('aws_environment', env);

    const taskRole = new iam.Role(this, 'AppTaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Role for GOV.UK Publishing app containers (ECS tasks) to talk to other AWS services.',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('AWSAppMeshEnvoyAccess'),
        new iam.ManagedPolicy(this, 'ExecCommandPolicy', {
          path: '/ecsExecAccessPolicy/',
          description: 'Permits developers to access a running container',
          statements: [
            new iam.PolicyStatement({
              actions: [
                'ssmmessages:CreateControlChannel',
                'ssmmessages:CreateDataChannel',
                'ssmmessages:OpenControlChannel',
                'ssmmessages:OpenDataChannel',
              ],
              resources: ['*'],
            }),
          ],
        }),
        new iam.ManagedPolicy(this, 'ContentSchemasReadPolicy', {
          path: '/readContentSchemas/',
          description: 'Read Content Schemas S3 bucket',
          statements: [
            new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [contentSchemas.bucketArn] }),
            new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [contentSchemas.arnForObjects('*')] }),
          ],
        }),
      ],
    });

    // --- Security groups shared by the apps ---------------------------------
    const meshSg = new ec2.SecurityGroup(this, 'MeshServiceSg', {
      vpc,
      description: 'Associated with all ECS Services that are virtual services in the AppMesh mesh',
      allowAllOutbound: false,
    });
    meshSg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Mesh services send requests to anywhere over HTTPS');
    meshSg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(53), 'Mesh services send DNS queries anywhere over TCP');
    meshSg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.udp(53), 'Mesh services send DNS queries anywhere over UDP');
    meshSg.addEgressRule(meshSg, ec2.Port.tcp(80), 'Mesh services send to requests to other mesh services over HTTP');

    const smokeTestSg = new ec2.SecurityGroup(this, 'SmokeTestSg', {
      vpc,
      description: 'Smoke test runner',
      allowAllOutbound: false,
    });
    smokeTestSg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Smoke tests can make HTTPS requests anywhere');
    smokeTestSg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'Smoke tests can make HTTP requests anywhere');

    const rotationLambdaSg = new ec2.SecurityGroup(this, 'SignonRotationLambdaSg', {
      vpc,
      description: 'Signon Lambda',
      allowAllOutbound: true,
    });

    // --- Secrets --------------------------------------------------------------
    const secretArn = (name: string) =>
      `arn:aws:secretsmanager:${this.region}:${this.account}:secret:${name}-Ab12Cd`;
    const imported = new Map<string, secretsmanager.ISecret>();
    const existing = (id: string, name: string) => {
      let secret = imported.get(id);
      if (!secret) {
        secret = secretsmanager.Secret.fromSecretCompleteArn(this, id, secretArn(name));
        imported.set(id, secret);
      }
      return secret;
    };
    const fromSecret = (id: string, name: string, field?: string) =>
      ecs.Secret.fromSecretsManager(existing(id, name), field);
    const bearerToken = (name: string) =>
      fromSecret(`BearerToken-${name}`, `${name}_bearer_token_${workspace}`, 'bearer_token');
    const oauth = (app: string) => ({
      GDS_SSO_OAUTH_ID: fromSecret(`OauthId-${app}`, `signon_app_${app}_oauth_id`),
      GDS_SSO_OAUTH_SECRET: fromSecret(`OauthSecret-${app}`, `signon_app_${app}_oauth_secret`),
    });
    const secretKeyBase = (scope: Construct, app: string) =>
      new secretsmanager.Secret(scope, 'SecretKeyBase', { secretName: `${app}-${workspace}-SECRET_KEY_BASE` });
    const gaUniversalId = { GA_UNIVERSAL_ID: fromSecret('GaUniversalId', 'GA_UNIVERSAL_ID') };

    const platform: Platform = {
      vpc,
      subnets: vpc.privateSubnets,
      cluster,
      mesh,
      namespace,
      meshSecurityGroup: meshSg,
      executionRole,
      taskRole,
      registry: props.registry,
      splunk: {
        url: existing('SplunkUrl', 'SPLUNK_HEC_URL'),
        token: existing('SplunkToken', 'SPLUNK_TOKEN'),
        index: 'govuk_replatforming',
        sourcetype: 'syslog',
      },
      environment: env,
      workspace,
    };

    const baseEnvironment: Record<string, string> = {
      DEFAULT_TTL: '1800',
      GOVUK_APP_DOMAIN: meshDomain,
      GOVUK_APP_DOMAIN_EXTERNAL: externalDomain,
      GOVUK_APP_TYPE: 'rack',
      GOVUK_ENVIRONMENT: env,
      GOVUK_ENVIRONMENT_NAME: env,
      GOVUK_STATSD_HOST: `statsd.${meshDomain}`,
      GOVUK_STATSD_PROTOCOL: 'tcp',
      GOVUK_WEBSITE_ROOT: publicEntryUrl,
      GOVUK_WORKSPACE: workspace,
      PORT: '80',
      RAILS_ENV: 'production',
      SENTRY_ENVIRONMENT: `${env}-ecsplatform-${workspace}`,
    };
    const mongoUrl = `mongodb://${props.shared.mongoHosts.join(',')}`;
    const routerMongoUrl = `mongodb://${props.shared.routerMongoHosts.join(',')}`;
    const noHealthCheck = '/bin/sh -c "exit 0"';

    // --- Load balancer target groups (the origins attach them) ------------------
    const targetGroup = (id: string, healthPath: string) =>
      new elbv2.ApplicationTargetGroup(this, id, {
        vpc,
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        targetType: elbv2.TargetType.IP,
        healthCheck: { path: healthPath },
      });
    const routerTg = targetGroup('RouterTargetGroup', '/');
    const authProxyTg = targetGroup('AuthProxyTargetGroup', '/healthcheck/live');
    const publisherTg = targetGroup('PublisherTargetGroup', '/healthcheck/ready');
    const signonTg = targetGroup('SignonTargetGroup', '/healthcheck/ready');

    // --- Apps -------------------------------------------------------------------
    const statsd = new GovukApp(this, 'Statsd', {
      platform,
      name: 'statsd',
      image: 'statsd',
      imageTag: 'test-0.1.3',
      cpu: 1024,
      memoryMiB: 2048,
      environment: { ...baseEnvironment, GOVUK_APP_NAME: 'statsd' },
      secrets: gaUniversalId,
      healthCheckCommand: noHealthCheck,
      allowAllOutbound: false,
    });
    statsd.securityGroup.addIngressRule(
      meshSg,
      ec2.Port.tcp(8125),
      'Allow services in the App Mesh to send metrics to the mesh Statsd via TCP',
    );

    // Signon: single sign-on for the publishing apps.
    const signon = new GovukApp(this, 'Signon', {
      platform,
      name: 'signon',
      image: 'signon',
      cpu: 512,
      memoryMiB: 1024,
      targetGroup: signonTg,
      environment: {
        ...baseEnvironment,
        GOVUK_APP_NAME: 'signon',
        GOVUK_APP_ROOT: '/app',
        GOVUK_STATSD_PREFIX: 'govuk-ecs.app.signon',
        ASSETS_PREFIX: '/assets/signon',
        REDIS_URL: props.shared.redisUrl,
      },
      secrets: {},
    });
    const signonContainer = signon.service.taskDefinition.defaultContainer!;
    const signonAdminPassword = new secretsmanager.Secret(signon, 'AdminPassword', {
      secretName: `signon_admin_password_${workspace}`,
    });
    const signonKeyBase = secretKeyBase(signon, 'signon');
    for (const [name, secret] of Object.entries({
      ...gaUniversalId,
      SECRET_KEY_BASE: ecs.Secret.fromSecretsManager(signonKeyBase),
      SENTRY_DSN: fromSecret('SentryDsn', 'SENTRY_DSN'),
      DATABASE_URL: fromSecret('SignonDatabaseUrl', 'signon_app-DATABASE_URL'),
      DEVISE_PEPPER: fromSecret('SignonDevisePepper', 'signon_app-DEVISE_PEPPER'),
      DEVISE_SECRET_KEY: fromSecret('SignonDeviseSecretKey', 'signon_app-DEVISE_SECRET_KEY'),
      SIGNON_ADMIN_PASSWORD: ecs.Secret.fromSecretsManager(signonAdminPassword),
    })) {
      signonContainer.addSecret(name, secret);
    }
    signon.securityGroup.addIngressRule(
      rotationLambdaSg,
      ec2.Port.tcp(80),
      'Signon receives requests from Rotation Lambdas over HTTP',
    );
    mysqlSg.addIngressRule(signon.securityGroup, ec2.Port.tcp(3306));

    // Static: shared templates and assets of the frontends.
    const staticApp = (id: string, name: string, assetHost: string) => {
      const app = new GovukApp(this, id, {
        platform,
        name,
        image: 'static',
        cpu: 512,
        memoryMiB: 1024,
        environment: {
          ...baseEnvironment,
          GOVUK_APP_NAME: 'static',
          GOVUK_APP_ROOT: '/var/apps/static',
          PLEK_SERVICE_ACCOUNT_MANAGER_URI: '',
          REDIS_URL: props.shared.redisUrl,
          ASSET_HOST: assetHost,
          GOVUK_STATSD_PREFIX: `govuk-ecs.app.${name}`,
        },
      });
      app.service.taskDefinition.defaultContainer!.addSecret('GA_UNIVERSAL_ID', gaUniversalId.GA_UNIVERSAL_ID);
      app.service.taskDefinition.defaultContainer!.addSecret(
        'SECRET_KEY_BASE',
        ecs.Secret.fromSecretsManager(secretKeyBase(app, name.replace(/-/g, '_'))),
      );
      return app;
    };
    const staticSite = staticApp('Static', 'static', publicEntryUrl);
    const draftStatic = staticApp('DraftStatic', 'draft-static', draftOriginUrl);

    // Router API and Router: the routes of www.gov.uk.
    const routerApi = (id: string, name: string, database: string, oauthApp: string) => {
      const app = new GovukApp(this, id, {
        platform,
        name,
        image: 'router-api',
        cpu: 512,
        memoryMiB: 1024,
        environment: {
          ...baseEnvironment,
          GOVUK_APP_NAME: 'router-api',
          GOVUK_APP_ROOT: '/var/apps/router-api',
          PLEK_SERVICE_SIGNON_URI: signonUri,
          MONGODB_URI: `${routerMongoUrl}/${database}`,
        },
      });
      const container = app.service.taskDefinition.defaultContainer!;
      for (const [key, secret] of Object.entries({
        ...gaUniversalId,
        ...oauth(oauthApp),
        SECRET_KEY_BASE: ecs.Secret.fromSecretsManager(secretKeyBase(app, oauthApp)),
      })) {
        container.addSecret(key, secret);
      }
      routerDbSg.addIngressRule(app.securityGroup, ec2.Port.tcp(27017));
      return app;
    };
    const liveRouterApi = routerApi('RouterApi', 'router-api', 'router', 'router_api');
    const draftRouterApi = routerApi('DraftRouterApi', 'draft-router-api', 'draft_router', 'draft_router_api');

    // The router sends each path to the app that serves it, by the app's
    // name in the mesh (`BACKEND_URL_<app>`).
    const router = (
      id: string,
      name: string,
      database: string,
      backends: { contentStore: string; frontend: string; static: string },
      targetGroup?: elbv2.IApplicationTargetGroup,
    ) => {
      const app = new GovukApp(this, id, {
        platform,
        name,
        image: 'router',
        cpu: 1024,
        memoryMiB: 2048,
        healthCheckCommand: noHealthCheck,
        targetGroup,
        environment: {
          ...baseEnvironment,
          GOVUK_APP_NAME: 'router',
          GOVUK_APP_ROOT: '/var/apps/router',
          ROUTER_APIADDR: ':3055',
          ROUTER_BACKEND_HEADER_TIMEOUT: '20s',
          ROUTER_PUBADDR: ':80',
          'BACKEND_URL_content-store': meshUri(backends.contentStore),
          BACKEND_URL_frontend: meshUri(backends.frontend),
          BACKEND_URL_static: meshUri(backends.static),
          ROUTER_MONGO_DB: database,
          ROUTER_MONGO_URL: `${routerMongoUrl}/${database}`,
        },
        secrets: gaUniversalId,
      });
      routerDbSg.addIngressRule(app.securityGroup, ec2.Port.tcp(27017));
      return app;
    };
    const liveRouter = router(
      'Router',
      'router',
      'router',
      { contentStore: 'content-store', frontend: 'frontend', static: 'static' },
      routerTg,
    );
    const draftRouter = router('DraftRouter', 'draft-router', 'draft_router', {
      contentStore: 'draft-content-store',
      frontend: 'draft-frontend',
      static: 'draft-static',
    });
    liveRouter.securityGroup.addIngressRule(
      liveRouterApi.securityGroup,
      ec2.Port.tcp(3055),
      'Router accepts requests from Router API over TCP',
    );
    draftRouter.securityGroup.addIngressRule(
      draftRouterApi.securityGroup,
      ec2.Port.tcp(3055),
      'Draft Router accepts requests from Draft Router API over TCP',
    );

    // Content Store: the published content, live and draft.
    const contentStore = (
      id: string,
      name: string,
      routerApiUri: string,
      database: string,
      oauthApp: string,
      tokens: { pubApi: string; routerApi: string },
      workers: number,
    ) => {
      const app = new GovukApp(this, id, {
        platform,
        name,
        image: 'content-store',
        cpu: 2048,
        memoryMiB: 4096,
        environment: {
          ...baseEnvironment,
          GOVUK_APP_NAME: name,
          PLEK_SERVICE_PUBLISHING_API_URI: meshUri('publishing-api-web'),
          PLEK_SERVICE_SIGNON_URI: signonUri,
          UNICORN_WORKER_PROCESSES: String(workers),
          GOVUK_STATSD_PREFIX: `govuk-ecs.app.${name}`,
          PLEK_SERVICE_ROUTER_API_URI: routerApiUri,
          MONGODB_URI: `${mongoUrl}/${database}`,
        },
      });
      const container = app.service.taskDefinition.defaultContainer!;
      for (const [key, secret] of Object.entries({
        ...gaUniversalId,
        ...oauth(oauthApp),
        PUBLISHING_API_BEARER_TOKEN: bearerToken(tokens.pubApi),
        ROUTER_API_BEARER_TOKEN: bearerToken(tokens.routerApi),
        SECRET_KEY_BASE: ecs.Secret.fromSecretsManager(secretKeyBase(app, oauthApp)),
      })) {
        container.addSecret(key, secret);
      }
      mongoSg.addIngressRule(app.securityGroup, ec2.Port.tcp(27017));
      return app;
    };
    const liveContentStore = contentStore(
      'ContentStore',
      'content-store',
      meshUri('router-api'),
      'content_store_production',
      'content_store',
      { pubApi: 'cs_to_pub_api', routerApi: 'cs_to_router_api' },
      8,
    );
    const draftContentStore = contentStore(
      'DraftContentStore',
      'draft-content-store',
      meshUri('draft-router-api'),
      'draft_content_store_production',
      'draft_content_store',
      { pubApi: 'dcs_to_pub_api', routerApi: 'dcs_to_draft_router_api' },
      12,
    );

    // Frontend: the pages of www.gov.uk.
    const frontendToken = bearerToken('frontend_to_pub_api');
    const frontend = (id: string, name: string, desiredCount: number, overrides: Record<string, string>) => {
      const app = new GovukApp(this, id, {
        platform,
        name,
        image: 'frontend',
        cpu: 1024,
        memoryMiB: 2048,
        desiredCount,
        environment: {
          ...baseEnvironment,
          GOVUK_APP_NAME: 'frontend',
          PLEK_SERVICE_PUBLISHING_API_URI: meshUri('publishing-api-web'),
          PLEK_SERVICE_SIGNON_URI: signonUri,
          UNICORN_WORKER_PROCESSES: '12',
          ASSET_HOST: publicEntryUrl,
          PLEK_SERVICE_CONTENT_STORE_URI: meshUri('content-store'),
          PLEK_SERVICE_STATIC_URI: meshUri('static'),
          GOVUK_ASSET_ROOT: assetRoot,
          ...overrides,
        },
      });
      const container = app.service.taskDefinition.defaultContainer!;
      container.addSecret('GA_UNIVERSAL_ID', gaUniversalId.GA_UNIVERSAL_ID);
      container.addSecret('PUBLISHING_API_BEARER_TOKEN', frontendToken);
      container.addSecret(
        'SECRET_KEY_BASE',
        ecs.Secret.fromSecretsManager(secretKeyBase(app, name.replace(/-/g, '_'))),
      );
      return app;
    };
    const liveFrontend = frontend('Frontend', 'frontend', 3, {});
    const draftFrontend = frontend('DraftFrontend', 'draft-frontend', 1, {
      ASSET_HOST: draftOriginUrl,
      PLEK_SERVICE_CONTENT_STORE_URI: meshUri('draft-content-store'),
      PLEK_SERVICE_STATIC_URI: meshUri('draft-static'),
    });

    // Publishing API: the publishing apps' way into the content stores.
    const schemasPath = '/govuk-content-schemas';
    const schemasVolume: ecs.Volume = { name: 'content_schemas' };
    const schemasMount: ecs.MountPoint = { sourceVolume: 'content_schemas', containerPath: schemasPath, readOnly: false };
    const publishingApiKeyBase = { current: undefined as secretsmanager.ISecret | undefined };
    const publishingApi = (id: string, name: string, process: string, web?: GovukApp) => {
      const app = new GovukApp(this, id, {
        platform,
        name,
        image: 'publishing-api',
        cpu: 512,
        memoryMiB: 1024,
        command: ['foreman', 'run', process],
        healthCheckCommand: web ? noHealthCheck : undefined,
        extraSecurityGroups: web ? [web.securityGroup] : undefined,
        volumes: [schemasVolume],
        mountPoints: [schemasMount],
        sidecars: [
          {
            name: 'content_schemas_downloader',
            condition: ecs.ContainerDependencyCondition.SUCCESS,
            options: {
              containerName: 'content_schemas_downloader',
              image: ecs.ContainerImage.fromRegistry('430354129336.dkr.ecr.eu-west-1.amazonaws.com/govuk/ecs-cli:latest'),
              essential: false,
              command: ['/bin/sh', '-c', `aws s3 cp s3://${contentSchemas.bucketName} $GOVUK_CONTENT_SCHEMAS_PATH --recursive`],
              environment: { GOVUK_CONTENT_SCHEMAS_PATH: schemasPath },
              healthCheck: { command: ['CMD-SHELL', 'ls $GOVUK_CONTENT_SCHEMAS_PATH'], startPeriod: cdk.Duration.seconds(30), retries: 5 },
            },
          },
        ],
        environment: {
          ...baseEnvironment,
          CONTENT_API_PROTOTYPE: 'yes',
          CONTENT_STORE: meshUri('content-store'),
          DRAFT_CONTENT_STORE: meshUri('draft-content-store'),
          EVENT_LOG_AWS_ACCESS_ID: 'AKIAIOSFODNN7EXAMPLE',
          EVENT_LOG_AWS_BUCKETNAME: `govuk-publishing-api-event-log-${env}`,
          EVENT_LOG_AWS_USERNAME: 'govuk-publishing-api-event-log_user',
          GOVUK_APP_NAME: 'publishing-api',
          GOVUK_CONTENT_SCHEMAS_PATH: schemasPath,
          GOVUK_STATSD_PREFIX: 'govuk-ecs.app.publishing-api',
          PLEK_SERVICE_CONTENT_STORE_URI: meshUri('content-store'),
          PLEK_SERVICE_DRAFT_CONTENT_STORE_URI: meshUri('draft-content-store'),
          PLEK_SERVICE_SIGNON_URI: signonUri,
          RABBITMQ_HOSTS: `rabbitmq.${env}.govuk-internal.digital`,
          RABBITMQ_USER: 'publishing_api',
          RABBITMQ_VHOST: '/',
          REDIS_URL: props.shared.redisUrl,
          UNICORN_WORKER_PROCESSES: '8',
        },
      });
      const schemasDownloader = app.service.taskDefinition.findContainer('content_schemas_downloader')!;
      schemasDownloader.addMountPoints(schemasMount);
      if (!publishingApiKeyBase.current) {
        publishingApiKeyBase.current = secretKeyBase(app, 'publishing_api');
      }
      const container = app.service.taskDefinition.defaultContainer!;
      for (const [key, secret] of Object.entries({
        ...gaUniversalId,
        CONTENT_STORE_BEARER_TOKEN: bearerToken('pub_api_to_cs'),
        DATABASE_URL: fromSecret('PublishingApiDatabaseUrl', 'publishing_api_app-DATABASE_URL'),
        DRAFT_CONTENT_STORE_BEARER_TOKEN: bearerToken('pub_api_to_dcs'),
        EVENT_LOG_AWS_SECRET_KEY: fromSecret('PublishingApiEventLogKey', 'publishing_api_app-EVENT_LOG_AWS_SECRET_KEY'),
        ...oauth('publishing_api'),
        RABBITMQ_PASSWORD: fromSecret('PublishingApiRabbitPassword', 'publishing_api_app-RABBITMQ_PASSWORD'),
        ROUTER_API_BEARER_TOKEN: bearerToken('pub_api_to_router_api'),
        SECRET_KEY_BASE: ecs.Secret.fromSecretsManager(publishingApiKeyBase.current),
      })) {
        container.addSecret(key, secret);
      }
      redisSg.addIngressRule(app.securityGroup, ec2.Port.tcp(6379));
      return app;
    };
    const publishingApiWeb = publishingApi('PublishingApiWeb', 'publishing-api-web', 'web');
    const publishingApiWorker = publishingApi('PublishingApiWorker', 'publishing-api-worker', 'worker', publishingApiWeb);
    postgresSg.addIngressRule(
      publishingApiWeb.securityGroup,
      ec2.Port.tcp(5432),
      'Postgres RDS accepts requests from Publishing API',
    );

    // Publisher: mainstream content.
    const publisherKeyBase = { current: undefined as secretsmanager.ISecret | undefined };
    const publisher = (id: string, name: string, process: string, web?: GovukApp) => {
      const app = new GovukApp(this, id, {
        platform,
        name,
        image: 'publisher',
        cpu: 512,
        memoryMiB: 1024,
        command: ['foreman', 'run', process],
        healthCheckCommand: web ? noHealthCheck : undefined,
        extraSecurityGroups: web ? [web.securityGroup] : undefined,
        targetGroup: web ? undefined : publisherTg,
        environment: {
          ...baseEnvironment,
          BASIC_AUTH_USERNAME: 'gds',
          EMAIL_GROUP_BUSINESS: 'test-address@digital.cabinet-office.gov.uk',
          EMAIL_GROUP_CITIZEN: 'test-address@digital.cabinet-office.gov.uk',
          EMAIL_GROUP_DEV: 'test-address@digital.cabinet-office.gov.uk',
          EMAIL_GROUP_FORCE_PUBLISH_ALERTS: 'test-address@digital.cabinet-office.gov.uk',
          FACT_CHECK_SUBJECT_PREFIX: 'dev',
          FACT_CHECK_USERNAME: 'govuk-fact-check-test@digital.cabinet-office.gov.uk',
          GOVUK_APP_DOMAIN_EXTERNAL: externalDomain,
          GOVUK_APP_NAME: 'publisher',
          GOVUK_APP_ROOT: '/app',
          GOVUK_ASSET_ROOT: assetRoot,
          GOVUK_STATSD_PREFIX: 'govuk-ecs.app.publisher',
          PLEK_SERVICE_CONTENT_STORE_URI: meshUri('content-store'),
          PLEK_SERVICE_PUBLISHING_API_URI: meshUri('publishing-api-web'),
          PLEK_SERVICE_SIGNON_URI: signonUri,
          PLEK_SERVICE_STATIC_URI: meshUri('static'),
          PLEK_SERVICE_DRAFT_ORIGIN_URI: draftOriginUrl,
          ASSETS_PREFIX: '/assets/publisher',
          REDIS_URL: props.shared.redisUrl,
          WEBSITE_ROOT: publicEntryUrl,
        },
      });
      if (!publisherKeyBase.current) {
        publisherKeyBase.current = secretKeyBase(app, 'publisher');
      }
      const fromPublisher = (key: string) => fromSecret(`Publisher-${key}`, `publisher_app-${key}`);
      const container = app.service.taskDefinition.defaultContainer!;
      for (const [key, secret] of Object.entries({
        ...gaUniversalId,
        ASSET_MANAGER_BEARER_TOKEN: fromPublisher('ASSET_MANAGER_BEARER_TOKEN'),
        FACT_CHECK_PASSWORD: fromPublisher('FACT_CHECK_PASSWORD'),
        FACT_CHECK_REPLY_TO_ADDRESS: fromPublisher('FACT_CHECK_REPLY_TO_ADDRESS'),
        FACT_CHECK_REPLY_TO_ID: fromPublisher('FACT_CHECK_REPLY_TO_ID'),
        GOVUK_NOTIFY_API_KEY: fromPublisher('GOVUK_NOTIFY_API_KEY'),
        GOVUK_NOTIFY_TEMPLATE_ID: fromPublisher('GOVUK_NOTIFY_TEMPLATE_ID'),
        JWT_AUTH_SECRET: fromPublisher('JWT_AUTH_SECRET'),
        LINK_CHECKER_API_BEARER_TOKEN: fromPublisher('LINK_CHECKER_API_BEARER_TOKEN'),
        LINK_CHECKER_API_SECRET_TOKEN: fromPublisher('LINK_CHECKER_API_SECRET_TOKEN'),
        MONGODB_URI: fromPublisher('MONGODB_URI'),
        ...oauth('publisher'),
        PUBLISHING_API_BEARER_TOKEN: bearerToken('pub_to_pub_api'),
        SECRET_KEY_BASE: ecs.Secret.fromSecretsManager(publisherKeyBase.current),
      })) {
        container.addSecret(key, secret);
      }
      redisSg.addIngressRule(app.securityGroup, ec2.Port.tcp(6379));
      return app;
    };
    const publisherWeb = publisher('PublisherWeb', 'publisher-web', 'web');
    const publisherWorker = publisher('PublisherWorker', 'publisher-worker', 'worker', publisherWeb);
    documentDbSg.addIngressRule(publisherWeb.securityGroup, ec2.Port.tcp(27017));

    // Authenticating proxy: the draft stack behind a Signon login.
    const authProxy = new GovukApp(this, 'AuthProxy', {
      platform,
      name: 'authenticating-proxy',
      image: 'authenticating-proxy',
      cpu: 512,
      memoryMiB: 1024,
      targetGroup: authProxyTg,
      environment: {
        ...baseEnvironment,
        GOVUK_APP_NAME: 'authenticating-proxy',
        PLEK_SERVICE_SIGNON_URI: signonUri,
        GOVUK_UPSTREAM_URI: meshUri('draft-router'),
        MONGODB_URI: `${routerMongoUrl}/authenticating_proxy_production`,
      },
    });
    for (const [key, secret] of Object.entries({
      ...gaUniversalId,
      ...oauth('authenticating_proxy'),
      JWT_AUTH_SECRET: fromSecret('AuthProxyJwtSecret', 'authenticating-proxy_JWT_AUTH_SECRET'),
      SECRET_KEY_BASE: ecs.Secret.fromSecretsManager(secretKeyBase(authProxy, 'authenticating_proxy')),
    })) {
      authProxy.service.taskDefinition.defaultContainer!.addSecret(key, secret);
    }
    routerDbSg.addIngressRule(authProxy.securityGroup, ec2.Port.tcp(27017));
    draftRouter.securityGroup.addIngressRule(
      authProxy.securityGroup,
      ec2.Port.tcp(80),
      'Draft Router accepts requests from Authenticating Proxy over HTTP',
    );

    // --- Who calls whom: mesh backends and security group rules ----------------
    const all = [
      statsd, signon, staticSite, draftStatic, liveRouterApi, draftRouterApi, liveRouter, draftRouter,
      liveContentStore, draftContentStore, liveFrontend, draftFrontend, publishingApiWeb,
      publishingApiWorker, publisherWeb, publisherWorker, authProxy,
    ];
    for (const app of all.filter((a) => a !== statsd && a !== staticSite && a !== draftStatic)) {
      app.callsTo(statsd);
    }
    liveRouterApi.callsTo(signon);
    draftRouterApi.callsTo(signon);
    liveRouter.callsTo(staticSite, liveContentStore, liveFrontend);
    draftRouter.callsTo(draftStatic, draftContentStore, draftFrontend);
    liveContentStore.callsTo(signon, liveRouterApi);
    draftContentStore.callsTo(signon, draftRouterApi);
    liveFrontend.callsTo(staticSite, signon, liveContentStore);
    draftFrontend.callsTo(staticSite, signon, draftContentStore);
    for (const app of [publishingApiWeb, publishingApiWorker, publisherWeb, publisherWorker]) {
      app.callsTo(signon, liveContentStore, draftContentStore);
    }
    authProxy.callsTo(draftRouter, signon);

    const http = ec2.Port.tcp(80);
    liveContentStore.securityGroup.addIngressRule(publishingApiWeb.securityGroup, http, 'Content Store accepts requests from Publishing API over HTTP');
    liveContentStore.securityGroup.addIngressRule(liveFrontend.securityGroup, http, 'Content Store accepts requests from Frontend over HTTP');
    liveContentStore.securityGroup.addIngressRule(liveRouter.securityGroup, http);
    draftContentStore.securityGroup.addIngressRule(publishingApiWeb.securityGroup, http, 'Draft Content Store accepts requests from Publishing API over HTTP');
    draftContentStore.securityGroup.addIngressRule(draftFrontend.securityGroup, http, 'Draft Content Store accepts requests from Draft Frontend over HTTP');
    draftContentStore.securityGroup.addIngressRule(draftRouter.securityGroup, http);
    liveFrontend.securityGroup.addIngressRule(liveRouter.securityGroup, http);
    draftFrontend.securityGroup.addIngressRule(draftRouter.securityGroup, http);
    publishingApiWeb.securityGroup.addIngressRule(publisherWeb.securityGroup, http, 'Publishing API accepts requests from Publisher over HTTP');
    publishingApiWeb.securityGroup.addIngressRule(liveFrontend.securityGroup, http, 'Publishing API accepts requests from Frontend over HTTP');
    liveRouterApi.securityGroup.addIngressRule(liveContentStore.securityGroup, http, 'Router API accepts requests from Content Store over HTTP');
    draftRouterApi.securityGroup.addIngressRule(draftContentStore.securityGroup, http, 'Draft Router API accepts requests from Draft Content Store over HTTP');
    staticSite.securityGroup.addIngressRule(liveFrontend.securityGroup, http, 'Static receives requests from Frontend over HTTP');
    draftStatic.securityGroup.addIngressRule(draftFrontend.securityGroup, http, 'Draft Static receives requests from Draft Frontend over HTTP');
    redisSg.addIngressRule(signon.securityGroup, ec2.Port.tcp(6379));
    redisSg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic(), 'Redis cluster sends requests to anywhere over any protocol');
  }
}
