import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';

/** The VPC, the cluster and the Cloud Map namespace the services share. */
export class NetworkStack extends cdk.Stack {
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
  readonly namespace: servicediscovery.HttpNamespace;

  // The zones the Terraform configuration names, without a context lookup.
  override get availabilityZones(): string[] {
    return ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
  }

  constructor(scope: Construct, id: string, props: cdk.StackProps) {
    super(scope, id, props);

    // Private /20s first, then public /24s, one NAT gateway: the same layout
    // as the Terraform VPC module call.
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: 'ex-fargate',
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
      maxAzs: 3,
      natGateways: 1,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      ],
    });

    const execLogs = new logs.LogGroup(this, 'ClusterLogGroup', {
      logGroupName: '/aws/ecs/ex-fargate',
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: 'ex-fargate',
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      enableFargateCapacityProviders: true,
      executeCommandConfiguration: { logging: ecs.ExecuteCommandLogging.DEFAULT },
    });
    this.cluster.addDefaultCapacityProviderStrategy([
      { capacityProvider: 'FARGATE', weight: 50, base: 20 },
      { capacityProvider: 'FARGATE_SPOT', weight: 50 },
    ]);
    this.cluster.node.addDependency(execLogs);

    this.namespace = new servicediscovery.HttpNamespace(this, 'Namespace', {
      name: 'ex-fargate',
      description: 'CloudMap namespace for ex-fargate',
    });
  }
}
