import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';

/** Network, cluster, Service Connect namespace and the monitoring file system. */
export class InfraStack extends cdk.Stack {
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
  readonly namespace: servicediscovery.HttpNamespace;
  readonly fileSystem: efs.FileSystem;
  readonly accessPoints: Record<'grafana' | 'prometheus', efs.AccessPoint>;

  // Two zones, named here rather than looked up.
  override get availabilityZones(): string[] {
    return ['us-east-1a', 'us-east-1b'];
  }

  constructor(scope: Construct, id: string, props: cdk.StackProps) {
    super(scope, id, props);

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: 'petclinic-vpc',
      ipAddresses: ec2.IpAddresses.cidr('10.20.0.0/16'),
      maxAzs: 2,
      natGateways: 1,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'edge', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      ],
    });

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: 'petclinic-cluster',
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      enableFargateCapacityProviders: true,
    });
    this.cluster.addDefaultCapacityProviderStrategy([{ capacityProvider: 'FARGATE', weight: 100 }]);

    this.namespace = new servicediscovery.HttpNamespace(this, 'Namespace', {
      name: 'petclinic.local',
      description: 'Service Connect namespace of the PetClinic services',
    });

    // Grafana and Prometheus keep their data on EFS, one access point each.
    const fsSecurityGroup = new ec2.SecurityGroup(this, 'MonitoringFsSg', {
      vpc: this.vpc,
      description: 'EFS of the PetClinic monitoring services',
      allowAllOutbound: false,
    });
    for (const subnet of this.vpc.privateSubnets) {
      fsSecurityGroup.addIngressRule(
        ec2.Peer.ipv4(subnet.ipv4CidrBlock),
        ec2.Port.tcp(2049),
        'NFS from the private subnets',
      );
    }
    this.fileSystem = new efs.FileSystem(this, 'MonitoringFs', {
      fileSystemName: 'petclinic-monitoring',
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroup: fsSecurityGroup,
      encrypted: true,
      lifecyclePolicy: efs.LifecyclePolicy.AFTER_30_DAYS,
      enableAutomaticBackups: true,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });
    this.accessPoints = {
      grafana: this.fileSystem.addAccessPoint('GrafanaAp', {
        path: '/grafana',
        posixUser: { uid: '472', gid: '472' },
        createAcl: { ownerUid: '472', ownerGid: '472', permissions: '755' },
      }),
      prometheus: this.fileSystem.addAccessPoint('PrometheusAp', {
        path: '/prometheus-data',
        posixUser: { uid: '65534', gid: '65534' },
        createAcl: { ownerUid: '65534', ownerGid: '65534', permissions: '755' },
      }),
    };
  }
}
