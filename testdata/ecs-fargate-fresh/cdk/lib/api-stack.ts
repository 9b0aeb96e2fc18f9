import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import {
  API_TOKEN_INITIAL_VALUE,
  AVAILABILITY_ZONES,
  CONTAINER_PORT,
  IMAGE,
  PRIVATE_SUBNET_IDS,
  PUBLIC_SUBNET_IDS,
  VPC_ID,
} from './constants';

export interface ApiStackProps extends cdk.StackProps {
  /** Render the stack exactly as ../terraform describes it. */
  readonly inSync: boolean;
}

export class ApiStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { inSync } = props;

    // Existing network, imported without lookups.
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: VPC_ID,
      availabilityZones: AVAILABILITY_ZONES,
      privateSubnetIds: PRIVATE_SUBNET_IDS,
      publicSubnetIds: PUBLIC_SUBNET_IDS,
    });
    // The imported subnets carry no route table ids; nothing here needs them.
    cdk.Annotations.of(vpc).acknowledgeWarning('@aws-cdk/aws-ec2:noSubnetRouteTableId');
    const privateSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const publicSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PUBLIC };

    // The secrets, created here too. The database credentials (JSON:
    // username, password) are set out of band.
    const dbSecret = new secretsmanager.Secret(this, 'DbSecret', {
      secretName: 'api/db',
      description: 'api database credentials',
    });
    // CloudFormation cannot create a SecureString parameter: this one is a
    // String, until the real token replaces it out of band.
    const apiToken = new ssm.StringParameter(this, 'ApiToken', {
      parameterName: '/api/token',
      stringValue: API_TOKEN_INITIAL_VALUE,
    });

    const cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: 'api-cluster',
      vpc,
    });

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: '/ecs/api',
      retention: logs.RetentionDays.ONE_MONTH,
    });

    // Security groups.
    const albSecurityGroup = new ec2.SecurityGroup(this, 'AlbSecurityGroup', {
      vpc,
      securityGroupName: 'api-alb',
      description: 'api load balancer',
      allowAllOutbound: true,
    });
    albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from anywhere');

    const serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc,
      securityGroupName: 'api-service',
      description: 'api service tasks',
      allowAllOutbound: true,
    });
    serviceSecurityGroup.addIngressRule(albSecurityGroup, ec2.Port.tcp(CONTAINER_PORT), 'HTTP from the load balancer');

    const efsSecurityGroup = new ec2.SecurityGroup(this, 'EfsSecurityGroup', {
      vpc,
      securityGroupName: 'api-efs',
      description: 'api file system mount targets',
      allowAllOutbound: true,
    });
    efsSecurityGroup.addIngressRule(serviceSecurityGroup, ec2.Port.tcp(2049), 'NFS from the service');

    // Shared file system.
    const fileSystem = new efs.FileSystem(this, 'FileSystem', {
      vpc,
      vpcSubnets: privateSubnets,
      securityGroup: efsSecurityGroup,
      fileSystemName: 'api-data',
      encrypted: true,
      performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
      throughputMode: efs.ThroughputMode.BURSTING,
      lifecyclePolicy: efs.LifecyclePolicy.AFTER_30_DAYS,
    });
    const accessPoint = fileSystem.addAccessPoint('AccessPoint', {
      path: '/data',
      createAcl: { ownerUid: '1000', ownerGid: '1000', permissions: '755' },
      posixUser: { uid: '1000', gid: '1000' },
    });
    // The access point would otherwise be tagged with its construct path.
    cdk.Tags.of(accessPoint).add('Name', 'api-data');

    // Roles.
    const executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: 'api-execution',
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonECSTaskExecutionRolePolicy'),
      ],
    });

    const taskRole = new iam.Role(this, 'TaskRole', {
      roleName: 'api-task',
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    const efsActions = ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'];
    if (!inSync) {
      efsActions.push('elasticfilesystem:ClientRootAccess');
    }
    taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: efsActions,
        resources: [fileSystem.fileSystemArn],
        conditions: {
          StringEquals: { 'elasticfilesystem:AccessPointArn': accessPoint.accessPointArn },
        },
      }),
    );

    // Task definition.
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDef', {
      family: 'api',
      cpu: 512,
      memoryLimitMiB: 1024,
      executionRole,
      taskRole,
      volumes: [
        {
          name: 'data',
          efsVolumeConfiguration: {
            fileSystemId: fileSystem.fileSystemId,
            transitEncryption: 'ENABLED',
            authorizationConfig: {
              accessPointId: accessPoint.accessPointId,
              iam: 'ENABLED',
            },
          },
        },
      ],
    });

    const environment: Record<string, string> = {
      APP_ENV: 'production',
      LOG_LEVEL: inSync ? 'info' : 'debug',
      PORT: String(CONTAINER_PORT),
      DATA_DIR: '/mnt/data',
      CACHE_TTL_SECONDS: '300',
      ...(inSync ? { FEATURE_SEARCH: 'enabled' } : {}),
      ALLOWED_ORIGINS: 'https://app.example.com',
      ...(inSync ? {} : { HOME: '/tmp' }),
    };

    const container = taskDefinition.addContainer('api', {
      containerName: 'api',
      image: ecs.ContainerImage.fromRegistry(IMAGE),
      portMappings: [{ containerPort: CONTAINER_PORT, protocol: ecs.Protocol.TCP }],
      environment,
      secrets: {
        DB_USERNAME: ecs.Secret.fromSecretsManager(dbSecret, inSync ? 'username' : 'password'),
        API_TOKEN: ecs.Secret.fromSsmParameter(apiToken),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'api' }),
    });
    container.addMountPoints({ sourceVolume: 'data', containerPath: '/mnt/data', readOnly: !inSync });

    // Load balancer.
    const loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      vpcSubnets: publicSubnets,
      internetFacing: true,
      loadBalancerName: 'api-alb',
      securityGroup: albSecurityGroup,
    });
    const targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc,
      targetGroupName: 'api-tg',
      port: CONTAINER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: cdk.Duration.seconds(60),
      healthCheck: {
        path: inSync ? '/health' : '/healthz',
        interval: cdk.Duration.seconds(30),
        timeout: cdk.Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
        healthyHttpCodes: '200',
      },
    });
    loadBalancer.addListener('HttpListener', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultTargetGroups: [targetGroup],
    });

    // Service.
    const service = new ecs.FargateService(this, 'Service', {
      cluster,
      serviceName: 'api',
      taskDefinition,
      desiredCount: 2,
      vpcSubnets: privateSubnets,
      securityGroups: [serviceSecurityGroup],
      assignPublicIp: false,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: cdk.Duration.seconds(60),
      // The AWS provider creates services with rebalancing DISABLED when the
      // configuration does not say; ECS itself defaults to ENABLED.
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.DISABLED,
    });
    targetGroup.addTarget(
      service.loadBalancerTarget({ containerName: 'api', containerPort: CONTAINER_PORT }),
    );
  }
}
