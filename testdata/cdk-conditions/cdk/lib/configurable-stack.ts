import * as cdk from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * A stack configured at deploy time: parameters, conditions and a mapping
 * decide what exists and with which values.
 */
export class ConfigurableStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const stage = new cdk.CfnParameter(this, 'Stage', {
      type: 'String',
      allowedValues: ['dev', 'prod'],
      default: 'dev',
    });
    const alarmEmail = new cdk.CfnParameter(this, 'AlarmEmail', {
      type: 'String',
      description: 'Where alarms go; empty for none',
    });
    const replicas = new cdk.CfnParameter(this, 'Replicas', { type: 'Number', default: 1 });
    const apiKey = new cdk.CfnParameter(this, 'ApiKey', {
      type: 'String',
      noEcho: true,
      default: 'not-a-real-key',
    });
    const subnets = new cdk.CfnParameter(this, 'Subnets', {
      type: 'List<AWS::EC2::Subnet::Id>',
      default: 'subnet-0aaa,subnet-0bbb',
    });

    const isProd = new cdk.CfnCondition(this, 'IsProd', {
      expression: cdk.Fn.conditionEquals(stage.valueAsString, 'prod'),
    });
    const hasAlarmEmail = new cdk.CfnCondition(this, 'HasAlarmEmail', {
      expression: cdk.Fn.conditionNot(cdk.Fn.conditionEquals(alarmEmail.valueAsString, '')),
    });
    const prodAlarms = new cdk.CfnCondition(this, 'ProdAlarms', {
      expression: cdk.Fn.conditionAnd(isProd, hasAlarmEmail),
    });

    const sizes = new cdk.CfnMapping(this, 'Sizes', {
      mapping: {
        dev: { cpu: '256', memory: '512' },
        prod: { cpu: '1024', memory: '2048' },
      },
    });

    const queue = new sqs.Queue(this, 'Jobs');
    const cfnQueue = queue.node.defaultChild as sqs.CfnQueue;
    cfnQueue.visibilityTimeout = cdk.Token.asNumber(cdk.Fn.conditionIf(isProd.logicalId, 300, 30));

    const alarms = new sns.Topic(this, 'Alarms');
    (alarms.node.defaultChild as sns.CfnTopic).cfnOptions.condition = prodAlarms;
    const subscription = new sns.CfnSubscription(this, 'AlarmSubscription', {
      topicArn: alarms.topicArn,
      protocol: 'email',
      endpoint: alarmEmail.valueAsString,
    });
    subscription.cfnOptions.condition = prodAlarms;

    const debugQueue = new sqs.Queue(this, 'Debug');
    (debugQueue.node.defaultChild as sqs.CfnQueue).cfnOptions.condition = new cdk.CfnCondition(
      this,
      'IsDev',
      { expression: cdk.Fn.conditionNot(isProd) },
    );

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDef', {
      family: cdk.Fn.join('-', ['worker', stage.valueAsString]),
      cpu: cdk.Token.asNumber(sizes.findInMap(stage.valueAsString, 'cpu')),
      memoryLimitMiB: cdk.Token.asNumber(sizes.findInMap(stage.valueAsString, 'memory')),
    });
    taskDefinition.addContainer('worker', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:1.37'),
      environment: {
        STAGE: stage.valueAsString,
        REPLICAS: replicas.valueAsString,
        QUEUE_URL: queue.queueUrl,
        FIRST_SUBNET: cdk.Fn.select(0, subnets.valueAsList),
        API_URL: `https://api.example.com/?key=${apiKey.valueAsString}`,
        LOG_LEVEL: cdk.Fn.conditionIf(isProd.logicalId, 'warn', 'debug').toString(),
        ALARM_TOPIC: cdk.Fn.conditionIf(prodAlarms.logicalId, alarms.topicArn, cdk.Aws.NO_VALUE).toString(),
        REGION: cdk.Aws.REGION,
      },
    });
  }
}
