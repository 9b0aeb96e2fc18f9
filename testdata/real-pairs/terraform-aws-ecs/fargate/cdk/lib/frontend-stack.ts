import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

export interface FrontendStackProps extends cdk.StackProps {
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.ICluster;
  readonly namespace: servicediscovery.INamespace;
}

const CONTAINER_NAME = 'ecsdemo-frontend';
const CONTAINER_PORT = 3000;

/**
 * The ecsdemo frontend behind a public load balancer, logging through a
 * Fluent Bit sidecar, and a standalone task definition run on demand.
 */
export class FrontendStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: FrontendStackProps) {
    super(scope, id, props);
    const { vpc, cluster } = props;

    // Load balancer: HTTP 80 from anywhere, out to the VPC only.
    const albSg = new ec2.SecurityGroup(this, 'AlbSecurityGroup', {
      vpc,
      description: 'Security group for ex-fargate application load balancer',
      allowAllOutbound: false,
    });
    albSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80));
    albSg.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.allTraffic());

    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      loadBalancerName: 'ex-fargate',
      vpc,
      internetFacing: true,
      securityGroup: albSg,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
    });

    const targetGroup = new elbv2.ApplicationTargetGroup(this, 'EcsTargetGroup', {
      vpc,
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: cdk.Duration.seconds(5),
      crossZoneEnabled: true,
      healthCheck: {
        enabled: true,
        path: '/',
        healthyHttpCodes: '200',
        interval: cdk.Duration.seconds(30),
        timeout: cdk.Duration.seconds(5),
        healthyThresholdCount: 5,
        unhealthyThresholdCount: 2,
      },
    });

    alb.addListener('HttpListener', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultTargetGroups: [targetGroup],
    });

    // Task definition: the frontend and its log router.
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDef', {
      family: 'ex-fargate',
      cpu: 1024,
      memoryLimitMiB: 4096,
    });

    const fluentBitLogs = new logs.LogGroup(this, 'FluentBitLogGroup', {
      logGroupName: '/aws/ecs/ex-fargate/fluent-bit',
      retention: logs.RetentionDays.TWO_WEEKS,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });
    const fluentBitImage = ssm.StringParameter.valueForStringParameter(
      this,
      '/aws/service/aws-for-fluent-bit/stable',
    );
    taskDefinition.addFirelensLogRouter('fluent-bit', {
      image: ecs.ContainerImage.fromRegistry(fluentBitImage),
      cpu: 512,
      memoryLimitMiB: 1024,
      memoryReservationMiB: 50,
      essential: true,
      user: '0',
      firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
      logging: ecs.LogDrivers.awsLogs({ logGroup: fluentBitLogs, streamPrefix: 'ecs' }),
    });

    const frontend = taskDefinition.addContainer(CONTAINER_NAME, {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-containers/ecsdemo-frontend:776fd50'),
      cpu: 512,
      memoryLimitMiB: 1024,
      memoryReservationMiB: 100,
      essential: true,
      readonlyRootFilesystem: false,
      portMappings: [{ name: CONTAINER_NAME, containerPort: CONTAINER_PORT, protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.firelens({
        options: {
          Name: 'firehose',
          region: this.region,
          delivery_stream: 'my-stream',
          'log-driver-buffer-limit': '2097152',
        },
      }),
      linuxParameters: new ecs.LinuxParameters(this, 'FrontendLinuxParameters', {
        initProcessEnabled: true,
      }),
    });
    frontend.linuxParameters?.dropCapabilities(ecs.Capability.NET_RAW);
    frontend.addVolumesFrom({ sourceContainer: 'fluent-bit', readOnly: false });

    // Service: private subnets, reachable from the load balancer only.
    const serviceSg = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc,
      allowAllOutbound: true,
    });
    serviceSg.addIngressRule(albSg, ec2.Port.tcp(CONTAINER_PORT), 'Service port');

    const service = new ecs.FargateService(this, 'Service', {
      serviceName: 'ex-fargate',
      cluster,
      taskDefinition,
      desiredCount: 1,
      minHealthyPercent: 66,
      maxHealthyPercent: 200,
      enableExecuteCommand: true,
      enableECSManagedTags: true,
      securityGroups: [serviceSg],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      serviceConnectConfiguration: {
        namespace: props.namespace.namespaceArn,
        services: [
          { portMappingName: CONTAINER_NAME, dnsName: CONTAINER_NAME, discoveryName: CONTAINER_NAME, port: CONTAINER_PORT },
        ],
      },
    });
    cdk.Tags.of(service).add('ServiceTag', 'Tag on service level');
    targetGroup.addTarget(
      service.loadBalancerTarget({ containerName: CONTAINER_NAME, containerPort: CONTAINER_PORT }),
    );

    const scaling = service.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 10 });
    scaling.scaleOnCpuUtilization('CpuScaling', {
      targetUtilizationPercent: 75,
      scaleInCooldown: cdk.Duration.seconds(300),
      scaleOutCooldown: cdk.Duration.seconds(60),
    });
    scaling.scaleOnMemoryUtilization('MemoryScaling', {
      targetUtilizationPercent: 75,
      scaleInCooldown: cdk.Duration.seconds(300),
      scaleOutCooldown: cdk.Duration.seconds(60),
    });

    // Standalone task definition (no service), run on demand.
    const standalone = new ecs.FargateTaskDefinition(this, 'StandaloneTaskDef', {
      family: 'ex-fargate-standalone',
      cpu: 1024,
      memoryLimitMiB: 2048,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
      volumes: [{ name: 'ex-vol' }],
    });
    const standaloneLogs = new logs.LogGroup(this, 'StandaloneLogGroup', {
      logGroupName: '/aws/ecs/ex-fargate-standalone/al2023',
      retention: logs.RetentionDays.TWO_WEEKS,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });
    const al2023 = standalone.addContainer('al2023', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/amazonlinux/amazonlinux:2023-minimal'),
      command: ['echo hello world'],
      entryPoint: ['/usr/bin/sh', '-c'],
      readonlyRootFilesystem: true,
      user: '0',
      logging: ecs.LogDrivers.awsLogs({ logGroup: standaloneLogs, streamPrefix: 'ecs' }),
    });
    al2023.addMountPoints({ sourceVolume: 'ex-vol', containerPath: '/var/www/ex-vol', readOnly: false });
  }
}
