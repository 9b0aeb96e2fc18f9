import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';

/** Public images of the sample application. */
const IMAGE_REPOSITORY = 'public.ecr.aws/aws-containers';
const IMAGE_TAG = '1.6.2';
const APP_PORT = 8080;

export interface StoreServiceProps {
  /** Service name: the ECS service, the Service Connect name and the container's prefix. */
  readonly name: string;
  /** Image name without the `retail-store-sample-` prefix. */
  readonly image: string;
  readonly healthPath?: string;
  readonly environment?: Record<string, string>;
  readonly secrets?: Record<string, ecs.Secret>;
  /** Managed policies the application's own calls need. */
  readonly taskPolicies?: iam.IManagedPolicy[];
  readonly desiredCount?: number;
  readonly cpu?: number;
  readonly memoryMiB?: number;
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.ICluster;
  readonly namespace: servicediscovery.INamespace;
  readonly logGroup: logs.ILogGroup;
  /** Registers the service's tasks with this target group. */
  readonly targetGroup?: elbv2.IApplicationTargetGroup;
}

/** One component of the store on Fargate: roles, task definition, security group, service. */
export class StoreService extends Construct {
  readonly service: ecs.FargateService;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: StoreServiceProps) {
    super(scope, id);
    const containerName = `${props.name}-service`;
    const stack = cdk.Stack.of(this);

    const executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonECSTaskExecutionRolePolicy')],
    });
    const taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      managedPolicies: props.taskPolicies,
    });
    taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'logs:PutLogEvents',
          'logs:CreateLogStream',
          'logs:CreateLogGroup',
          'logs:DescribeLogStreams',
          'logs:DescribeLogGroups',
        ],
        resources: [
          `${props.logGroup.logGroupArn}`,
          `arn:aws:logs:${stack.region}:${stack.account}:log-group:/aws/ecs/containerinsights/retail-store-ecs*:*`,
        ],
      }),
    );

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDef', {
      family: `retail-${props.name}`,
      cpu: props.cpu ?? 1024,
      memoryLimitMiB: props.memoryMiB ?? 2048,
      executionRole,
      taskRole,
    });
    taskDefinition.addContainer('App', {
      containerName,
      image: ecs.ContainerImage.fromRegistry(`${IMAGE_REPOSITORY}/retail-store-sample-${props.image}:${IMAGE_TAG}`),
      essential: true,
      readonlyRootFilesystem: false,
      portMappings: [{ name: containerName, containerPort: APP_PORT, protocol: ecs.Protocol.TCP }],
      environment: props.environment,
      secrets: props.secrets,
      healthCheck: {
        command: ['CMD-SHELL', `curl -f http://localhost:${APP_PORT}${props.healthPath ?? '/health'} || exit 1`],
        interval: cdk.Duration.seconds(10),
        startPeriod: cdk.Duration.seconds(60),
        retries: 3,
        timeout: cdk.Duration.seconds(5),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: containerName }),
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSg', {
      vpc: props.vpc,
      description: `Tasks of the ${props.name} service`,
      allowAllOutbound: true,
    });
    this.securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(APP_PORT), 'Application port');

    this.service = new ecs.FargateService(this, 'Service', {
      serviceName: props.name,
      cluster: props.cluster,
      taskDefinition,
      desiredCount: props.desiredCount ?? 1,
      minHealthyPercent: 100,
      enableExecuteCommand: true,
      assignPublicIp: false,
      securityGroups: [this.securityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      serviceConnectConfiguration: {
        namespace: props.namespace.namespaceArn,
        services: [{ portMappingName: containerName, discoveryName: props.name, dnsName: props.name, port: 80 }],
      },
    });
    if (props.targetGroup) {
      this.service.attachToApplicationTargetGroup(props.targetGroup);
    }
  }
}
