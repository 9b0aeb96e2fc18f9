import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { AVAILABILITY_ZONES, PRIVATE_SUBNET_IDS, PUBLIC_SUBNET_IDS, VPC_ID } from './constants';

/** What every service shares: the network, the cluster and the load balancer. */
export class SharedStack extends cdk.Stack {
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.ICluster;
  readonly albSecurityGroup: ec2.ISecurityGroup;
  readonly listener: elbv2.IApplicationListener;

  constructor(scope: Construct, id: string, props: cdk.StackProps) {
    super(scope, id, props);

    // Existing network, imported without lookups.
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: VPC_ID,
      availabilityZones: AVAILABILITY_ZONES,
      privateSubnetIds: PRIVATE_SUBNET_IDS,
      publicSubnetIds: PUBLIC_SUBNET_IDS,
    });
    // The imported subnets carry no route table ids; nothing here needs them.
    cdk.Annotations.of(this.vpc).acknowledgeWarning('@aws-cdk/aws-ec2:noSubnetRouteTableId');

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: 'shop-cluster',
      vpc: this.vpc,
    });

    const albSecurityGroup = new ec2.SecurityGroup(this, 'AlbSecurityGroup', {
      vpc: this.vpc,
      securityGroupName: 'shop-alb',
      description: 'shop load balancer',
      allowAllOutbound: true,
    });
    albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from anywhere');
    this.albSecurityGroup = albSecurityGroup;

    const loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      internetFacing: true,
      loadBalancerName: 'shop-alb',
      securityGroup: albSecurityGroup,
    });

    // Each service adds a rule for its paths; anything else is not found.
    this.listener = loadBalancer.addListener('HttpListener', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, {
        contentType: 'text/plain',
        messageBody: 'not found',
      }),
    });
  }
}
