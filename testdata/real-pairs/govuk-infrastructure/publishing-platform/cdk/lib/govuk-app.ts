import * as cdk from 'aws-cdk-lib';
import * as appmesh from 'aws-cdk-lib/aws-appmesh';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';

/** Envoy sidecar of every task in the mesh. */
const ENVOY_IMAGE = '840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.16.1.0-prod';
const ENVOY_UID = 1337;

/** Where the apps' container logs go (Splunk HTTP Event Collector). */
export interface SplunkLogging {
  readonly url: secretsmanager.ISecret;
  readonly token: secretsmanager.ISecret;
  readonly index: string;
  readonly sourcetype: string;
}

/** What every app of the platform shares. */
export interface Platform {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.ISubnet[];
  readonly cluster: ecs.ICluster;
  readonly mesh: appmesh.IMesh;
  readonly namespace: servicediscovery.IPrivateDnsNamespace;
  readonly meshSecurityGroup: ec2.ISecurityGroup;
  readonly executionRole: iam.IRole;
  readonly taskRole: iam.IRole;
  readonly registry: string;
  readonly splunk: SplunkLogging;
  /** GOV.UK environment (test, integration, staging, production). */
  readonly environment: string;
  readonly workspace: string;
}

/** A container that runs next to the app (e.g. an init container). */
export interface SidecarContainer {
  readonly name: string;
  readonly options: ecs.ContainerDefinitionOptions;
  /** The app waits for it to reach this state. */
  readonly condition: ecs.ContainerDependencyCondition;
}

export interface GovukAppProps {
  readonly platform: Platform;
  /** Service name: the ECS service, the mesh's virtual node and the Cloud Map name. */
  readonly name: string;
  /** Image name in the registry (several apps run the same image). */
  readonly image: string;
  readonly imageTag?: string;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly desiredCount?: number;
  readonly command?: string[];
  readonly environment: Record<string, string>;
  readonly secrets?: Record<string, ecs.Secret>;
  readonly healthCheckCommand?: string;
  readonly port?: number;
  readonly targetGroup?: elbv2.IApplicationTargetGroup;
  /** Outbound traffic anywhere; when false the group only has the rules added to it. */
  readonly allowAllOutbound?: boolean;
  /** Groups besides the app's own and the mesh's. */
  readonly extraSecurityGroups?: ec2.ISecurityGroup[];
  readonly sidecars?: SidecarContainer[];
  readonly volumes?: ecs.Volume[];
  readonly mountPoints?: ecs.MountPoint[];
}

/**
 * One GOV.UK app on Fargate inside the App Mesh: its security group, task
 * definition (the app and its Envoy proxy), Cloud Map service, virtual node,
 * virtual service and ECS service.
 */
export class GovukApp extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  readonly service: ecs.FargateService;
  readonly virtualNode: appmesh.VirtualNode;
  readonly virtualService: appmesh.VirtualService;

  constructor(scope: Construct, id: string, props: GovukAppProps) {
    super(scope, id);
    const { platform } = props;
    const port = props.port ?? 80;

    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSg', {
      vpc: platform.vpc,
      description: `${props.name} app ECS tasks`,
      allowAllOutbound: props.allowAllOutbound ?? true,
    });

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDef', {
      family: `${props.name}-${platform.workspace}`,
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      executionRole: platform.executionRole,
      taskRole: platform.taskRole,
      volumes: props.volumes,
      proxyConfiguration: new ecs.AppMeshProxyConfiguration({
        containerName: 'envoy',
        properties: {
          appPorts: [port],
          egressIgnoredIPs: ['169.254.170.2', '169.254.169.254'],
          ignoredUID: ENVOY_UID,
          proxyEgressPort: 15001,
          proxyIngressPort: 15000,
        },
      }),
    });

    const logging = splunkLogDriver(platform.splunk);
    const app = taskDefinition.addContainer('App', {
      containerName: 'app',
      image: ecs.ContainerImage.fromRegistry(`${platform.registry}/${props.image}:${props.imageTag ?? 'latest'}`),
      essential: true,
      command: props.command,
      environment: props.environment,
      secrets: props.secrets,
      portMappings: [{ containerPort: port, hostPort: port, protocol: ecs.Protocol.TCP }],
      healthCheck: {
        command: ['CMD-SHELL', props.healthCheckCommand ?? 'curl -f http://localhost:80/healthcheck/live || exit 1'],
        startPeriod: cdk.Duration.seconds(30),
        retries: 5,
      },
      linuxParameters: new ecs.LinuxParameters(this, 'AppLinux', { initProcessEnabled: true }),
      logging,
    });
    if (props.mountPoints) {
      app.addMountPoints(...props.mountPoints);
    }

    const envoy = taskDefinition.addContainer('Envoy', {
      containerName: 'envoy',
      image: ecs.ContainerImage.fromRegistry(ENVOY_IMAGE),
      essential: true,
      user: String(ENVOY_UID),
      environment: {
        APPMESH_RESOURCE_ARN: `mesh/${platform.mesh.meshName}/virtualNode/${props.name}`,
      },
      healthCheck: {
        command: ['CMD-SHELL', 'curl -f http://localhost:9901/ready || exit 1'],
        startPeriod: cdk.Duration.seconds(30),
        retries: 5,
      },
      linuxParameters: new ecs.LinuxParameters(this, 'EnvoyLinux', { initProcessEnabled: true }),
      logging,
    });
    app.addContainerDependencies({ container: envoy, condition: ecs.ContainerDependencyCondition.HEALTHY });

    for (const sidecar of props.sidecars ?? []) {
      const container = taskDefinition.addContainer(sidecar.name, { ...sidecar.options, logging });
      app.addContainerDependencies({ container, condition: sidecar.condition });
    }

    const discovery = new servicediscovery.Service(this, 'Discovery', {
      namespace: platform.namespace,
      name: props.name,
      dnsRecordType: servicediscovery.DnsRecordType.A,
      dnsTtl: cdk.Duration.seconds(10),
      routingPolicy: servicediscovery.RoutingPolicy.WEIGHTED,
    });

    this.virtualNode = new appmesh.VirtualNode(this, 'Node', {
      mesh: platform.mesh,
      virtualNodeName: props.name,
      serviceDiscovery: appmesh.ServiceDiscovery.cloudMap(discovery),
      listeners: [appmesh.VirtualNodeListener.http({ port })],
      accessLog: appmesh.AccessLog.fromFilePath('/dev/stdout'),
    });
    this.virtualService = new appmesh.VirtualService(this, 'VirtualService', {
      virtualServiceName: `${props.name}.${platform.namespace.namespaceName}`,
      virtualServiceProvider: appmesh.VirtualServiceProvider.virtualNode(this.virtualNode),
    });

    this.service = new ecs.FargateService(this, 'Service', {
      serviceName: props.name,
      cluster: platform.cluster,
      taskDefinition,
      desiredCount: props.desiredCount ?? 1,
      enableExecuteCommand: true,
      securityGroups: [this.securityGroup, ...(props.extraSecurityGroups ?? []), platform.meshSecurityGroup],
      vpcSubnets: { subnets: platform.subnets },
      minHealthyPercent: 100,
    });
    this.service.associateCloudMapService({ service: discovery, container: app });
    if (props.targetGroup) {
      this.service.attachToApplicationTargetGroup(props.targetGroup);
    }
    cdk.Tags.of(this).add('Name', `${props.name}-${platform.environment}-${platform.workspace}`);
  }

  /** The apps this one calls through the mesh. */
  callsTo(...apps: GovukApp[]): void {
    for (const app of apps) {
      this.virtualNode.addBackend(appmesh.Backend.virtualService(app.virtualService));
    }
  }
}

function splunkLogDriver(splunk: SplunkLogging): ecs.LogDriver {
  return new ecs.GenericLogDriver({
    logDriver: 'splunk',
    options: {
      env: 'GOVUK_APP_NAME,GOVUK_ENVIRONMENT,GOVUK_WORKSPACE',
      tag: 'image_name={{.ImageName}} container_name={{.Name}} container_id={{.FullID}}',
      'splunk-sourcetype': splunk.sourcetype,
      'splunk-index': splunk.index,
      'splunk-format': 'json',
    },
    secretOptions: {
      'splunk-token': ecs.Secret.fromSecretsManager(splunk.token),
      'splunk-url': ecs.Secret.fromSecretsManager(splunk.url),
    },
  });
}
