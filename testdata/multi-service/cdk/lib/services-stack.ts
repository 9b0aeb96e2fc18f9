import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { ServiceConfig } from './constants';
import { ShopService, pascalCase } from './shop-service';

export interface ServicesStackProps extends cdk.StackProps {
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.ICluster;
  readonly albSecurityGroup: ec2.ISecurityGroup;
  readonly listener: elbv2.IApplicationListener;
  /** The services, by name. */
  readonly services: Record<string, ServiceConfig>;
}

/** The services, each a ShopService, on the shared stack's cluster and load balancer. */
export class ServicesStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: ServicesStackProps) {
    super(scope, id, props);

    // Exports and Fn::ImportValue: the shared stack cannot be deleted, nor
    // what the services use changed, while the services stack uses it.
    cdk.CrossStackReferences.of(this).consume(cdk.ReferenceStrength.STRONG);

    // The load balancer's security group and listener, seen from this stack:
    // the rules that let the load balancer reach the tasks are then created
    // here, next to the tasks' security groups, and the shared stack does not
    // come to depend on this one.
    const albSecurityGroup = ec2.SecurityGroup.fromSecurityGroupId(
      this,
      'AlbSecurityGroup',
      props.albSecurityGroup.securityGroupId,
      { mutable: false },
    );
    const listener = elbv2.ApplicationListener.fromApplicationListenerAttributes(this, 'HttpListener', {
      listenerArn: props.listener.listenerArn,
      securityGroup: albSecurityGroup,
    });

    for (const [name, config] of Object.entries(props.services)) {
      new ShopService(this, pascalCase(name), {
        name,
        config,
        vpc: props.vpc,
        cluster: props.cluster,
        listener,
        albSecurityGroup,
      });
    }
  }
}
