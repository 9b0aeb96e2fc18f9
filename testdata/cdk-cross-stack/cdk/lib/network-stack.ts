import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { AVAILABILITY_ZONES } from './constants';

/**
 * The network the service runs in: a VPC with two isolated subnets, built
 * from its CloudFormation resources (an `ec2.Vpc` would ask for the region's
 * availability zones), and the service's security group.
 */
export class NetworkStack extends cdk.Stack {
  readonly vpc: ec2.IVpc;
  readonly serviceSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const vpc = new ec2.CfnVPC(this, 'Vpc', {
      cidrBlock: '10.20.0.0/16',
      enableDnsHostnames: true,
      enableDnsSupport: true,
    });
    const subnets = AVAILABILITY_ZONES.map(
      (_zone, i) =>
        new ec2.CfnSubnet(this, `Isolated${i + 1}`, {
          vpcId: vpc.ref,
          availabilityZone: cdk.Fn.select(i, cdk.Fn.getAzs()),
          cidrBlock: cdk.Fn.select(i, cdk.Fn.cidr(vpc.attrCidrBlock, 4, '8')),
        }),
    );
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Network', {
      vpcId: vpc.ref,
      vpcCidrBlock: vpc.attrCidrBlock,
      availabilityZones: AVAILABILITY_ZONES,
      isolatedSubnetIds: subnets.map((subnet) => subnet.ref),
    });
    // The subnets keep the VPC's main route table; nothing here needs its id.
    cdk.Annotations.of(this.vpc).acknowledgeWarning('@aws-cdk/aws-ec2:noSubnetRouteTableId');
    this.serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: this.vpc,
      description: 'The orders service',
      allowAllOutbound: true,
    });
  }
}
