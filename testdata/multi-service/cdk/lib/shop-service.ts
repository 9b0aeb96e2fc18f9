import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { IMAGE_REPOSITORY, ServiceConfig } from './constants';

export interface ShopServiceProps {
  /** Service name: names its resources (shop-<name>) and its container. */
  readonly name: string;
  readonly config: ServiceConfig;
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.ICluster;
  readonly listener: elbv2.IApplicationListener;
  /** Security group of the load balancer, allowed to reach the tasks. */
  readonly albSecurityGroup: ec2.ISecurityGroup;
}

/**
 * One service: its task definition and ECS service, the target group and
 * listener rule that route its paths to it, its roles, logs, settings and
 * (optionally) its webhook signing key.
 */
export class ShopService extends Construct {
  constructor(scope: Construct, id: string, props: ShopServiceProps) {
    super(scope, id);
    const { name, config } = props;
    const fullName = `shop-${name}`;

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/ecs/shop/${name}`,
      retention: logs.RetentionDays.TWO_WEEKS,
    });

    // Settings and secrets.
    const settings = config.settings.map((setting) => ({
      variable: setting.name.toUpperCase().replace(/-/g, '_'),
      parameter: new ssm.StringParameter(this, `${pascalCase(setting.name)}Parameter`, {
        parameterName: `/shop/${name}/${setting.name}`,
        stringValue: setting.value,
      }),
    }));
    const signingKey = config.signsWebhooks
      ? new secretsmanager.Secret(this, 'SigningKey', {
          secretName: `shop/${name}/signing-key`,
          description: `Key the ${name} service signs its webhooks with`,
        })
      : undefined;
    const dbSecret = secretsmanager.Secret.fromSecretCompleteArn(this, 'DbSecret', config.dbSecretArn);

    // Roles. CDK gives the execution role what the container's secrets and
    // logs need by itself.
    const executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: `${fullName}-execution`,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonECSTaskExecutionRolePolicy'),
      ],
    });
    const taskRole = new iam.Role(this, 'TaskRole', {
      roleName: `${fullName}-task`,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AWSXRayDaemonWriteAccess')],
    });
    taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParametersByPath'],
        resources: [
          cdk.Stack.of(this).formatArn({
            service: 'ssm',
            resource: 'parameter',
            resourceName: `shop/${name}`,
          }),
        ],
      }),
    );
    signingKey?.grantRead(taskRole);

    // Task definition and service.
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDef', {
      family: fullName,
      cpu: config.cpu,
      memoryLimitMiB: config.memory,
      executionRole,
      taskRole,
    });
    const secrets: Record<string, ecs.Secret> = {
      DB_PASSWORD: ecs.Secret.fromSecretsManager(dbSecret, 'password'),
    };
    for (const { variable, parameter } of settings) {
      secrets[variable] = ecs.Secret.fromSsmParameter(parameter);
    }
    taskDefinition.addContainer(name, {
      containerName: name,
      image: ecs.ContainerImage.fromRegistry(`${IMAGE_REPOSITORY}:${config.imageTag}`),
      portMappings: [{ containerPort: config.containerPort, protocol: ecs.Protocol.TCP }],
      environment: { ...config.environment, PORT: String(config.containerPort) },
      secrets,
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: name }),
    });

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      securityGroupName: `${fullName}-service`,
      description: `${name} service tasks`,
      allowAllOutbound: true,
    });
    securityGroup.addIngressRule(
      props.albSecurityGroup,
      ec2.Port.tcp(config.containerPort),
      'HTTP from the load balancer',
    );

    const service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      serviceName: fullName,
      taskDefinition,
      desiredCount: config.desiredCount,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [securityGroup],
      assignPublicIp: false,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: cdk.Duration.seconds(60),
      // The AWS provider creates services with rebalancing DISABLED when the
      // configuration does not say; ECS itself defaults to ENABLED.
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.DISABLED,
    });

    // Routing.
    const targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.vpc,
      targetGroupName: fullName,
      port: config.containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: cdk.Duration.seconds(30),
      healthCheck: {
        path: '/health',
        interval: cdk.Duration.seconds(30),
        timeout: cdk.Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
        healthyHttpCodes: '200',
      },
    });
    new elbv2.ApplicationListenerRule(this, 'ListenerRule', {
      listener: props.listener,
      priority: config.priority,
      conditions: [elbv2.ListenerCondition.pathPatterns(config.pathPatterns)],
      targetGroups: [targetGroup],
    });
    targetGroup.addTarget(
      service.loadBalancerTarget({ containerName: name, containerPort: config.containerPort }),
    );
  }
}

/** `UpstreamUrl` for `upstream-url`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}
