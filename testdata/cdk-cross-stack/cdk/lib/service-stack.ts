import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface ServiceStackProps extends cdk.StackProps {
  readonly vpc: ec2.IVpc;
  readonly serviceSecurityGroup: ec2.ISecurityGroup;
  readonly table: dynamodb.ITable;
  readonly dbSecret: secretsmanager.ISecret;
}

/** The orders service, built on what the other two stacks export. */
export class ServiceStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc: props.vpc });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDef', {
      family: 'orders',
      cpu: 256,
      memoryLimitMiB: 512,
    });
    taskDefinition.addContainer('orders', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      environment: {
        TABLE_NAME: props.table.tableName,
        TABLE_ARN: props.table.tableArn,
        STAGE: 'prod',
      },
      secrets: {
        DB_PASSWORD: ecs.Secret.fromSecretsManager(props.dbSecret, 'password'),
        DB_USERNAME: ecs.Secret.fromSecretsManager(props.dbSecret, 'username'),
      },
      portMappings: [{ containerPort: 80 }],
    });
    props.table.grantReadWriteData(taskDefinition.taskRole);
    new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition,
      desiredCount: 2,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      assignPublicIp: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [props.serviceSecurityGroup],
    });
  }
}
