import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

/** What differs from one PetClinic service to the next. */
export interface ServiceSpec {
  /** Construct id. */
  readonly id: string;
  /** Short name: the ECS service (petclinic-<name>), container, logs and Service Connect name. */
  readonly name: string;
  readonly image: string;
  readonly port: number;
  readonly healthPath: string;
  readonly cpu: number;
  readonly memoryMiB: number;
  /** A Spring Boot service: profiles from SSM, config and discovery servers. */
  readonly spring?: boolean;
  readonly secrets?: Record<string, ecs.Secret>;
  readonly minCapacity?: number;
  readonly maxCapacity?: number;
  readonly gracePeriod?: cdk.Duration;
  readonly circuitBreaker?: boolean;
  readonly deregistrationDelay?: cdk.Duration;
  /** Behind the load balancer: no priority for the listener's default. */
  readonly route?: { readonly priority?: number; readonly paths: string[] };
  /** Data kept on EFS. */
  readonly data?: { readonly accessPoint: efs.IAccessPoint; readonly containerPath: string };
}

export interface PetclinicServiceProps {
  readonly spec: ServiceSpec;
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.ICluster;
  readonly namespace: servicediscovery.INamespace;
  readonly fileSystem: efs.IFileSystem;
  readonly listener: elbv2.ApplicationListener;
}

/** One PetClinic service on Fargate: task definition, service, logs, scaling, routing. */
export class PetclinicService extends Construct {
  constructor(scope: Construct, id: string, props: PetclinicServiceProps) {
    super(scope, id);
    const { spec, vpc } = props;

    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/ecs/petclinic/${spec.name}`,
      retention: logs.RetentionDays.TWO_WEEKS,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDef', {
      cpu: spec.cpu,
      memoryLimitMiB: spec.memoryMiB,
    });

    const environment: Record<string, string> = { SERVICE_NAME: spec.name };
    const secrets: Record<string, ecs.Secret> = { ...(spec.secrets ?? {}) };
    if (spec.spring) {
      environment.CONFIG_SERVER_URL = 'http://config:8888';
      environment.DISCOVERY_SERVER_URL = 'http://discovery:8761/eureka';
      const profiles = new ssm.StringParameter(this, 'ProfilesParam', {
        parameterName: `/petclinic/${spec.name}/spring.profiles.active`,
        stringValue: 'docker,aws',
      });
      secrets.SPRING_PROFILES_ACTIVE = ecs.Secret.fromSsmParameter(profiles);
    }

    const container = taskDefinition.addContainer(spec.name, {
      image: ecs.ContainerImage.fromRegistry(spec.image),
      cpu: spec.cpu,
      memoryLimitMiB: spec.memoryMiB,
      essential: true,
      portMappings: [{ name: spec.name, containerPort: spec.port }],
      environment,
      secrets,
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'ecs' }),
    });

    if (spec.data) {
      taskDefinition.addVolume({
        name: 'data',
        efsVolumeConfiguration: {
          fileSystemId: props.fileSystem.fileSystemId,
          transitEncryption: 'ENABLED',
          authorizationConfig: { accessPointId: spec.data.accessPoint.accessPointId, iam: 'ENABLED' },
        },
      });
      container.addMountPoints({ sourceVolume: 'data', containerPath: spec.data.containerPath, readOnly: false });
      props.fileSystem.grant(taskDefinition.taskRole, 'elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite');
    }

    const securityGroup = new ec2.SecurityGroup(this, 'Sg', { vpc, allowAllOutbound: true });
    securityGroup.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(spec.port), 'Service port from the VPC');

    const service = new ecs.FargateService(this, 'Service', {
      serviceName: `petclinic-${spec.name}`,
      cluster: props.cluster,
      taskDefinition,
      desiredCount: 1,
      minHealthyPercent: 100,
      enableExecuteCommand: true,
      securityGroups: [securityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      healthCheckGracePeriod: spec.gracePeriod,
      circuitBreaker: spec.circuitBreaker ? { rollback: true } : undefined,
      serviceConnectConfiguration: {
        namespace: props.namespace.namespaceArn,
        services: [{ portMappingName: spec.name, dnsName: spec.name, discoveryName: spec.name, port: spec.port }],
      },
    });

    const scaling = service.autoScaleTaskCount({
      minCapacity: spec.minCapacity ?? 1,
      maxCapacity: spec.maxCapacity ?? 4,
    });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 75 });
    scaling.scaleOnMemoryUtilization('Memory', { targetUtilizationPercent: 75 });

    if (spec.route) {
      props.listener.addTargets(id, {
        priority: spec.route.priority,
        conditions: spec.route.paths.length > 0 ? [elbv2.ListenerCondition.pathPatterns(spec.route.paths)] : undefined,
        port: spec.port,
        protocol: elbv2.ApplicationProtocol.HTTP,
        targets: [service.loadBalancerTarget({ containerName: spec.name, containerPort: spec.port })],
        deregistrationDelay: spec.deregistrationDelay ?? cdk.Duration.seconds(30),
        healthCheck: {
          path: spec.healthPath,
          healthyHttpCodes: '200',
          interval: cdk.Duration.seconds(30),
          timeout: cdk.Duration.seconds(5),
          healthyThresholdCount: 3,
          unhealthyThresholdCount: 3,
        },
      });
    }
  }
}
