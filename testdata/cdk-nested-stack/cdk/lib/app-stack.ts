import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

interface MessagingProps extends cdk.NestedStackProps {
  /** A bucket of the parent stack: it reaches the nested stack as a parameter. */
  readonly archive: s3.IBucket;
}

/** A nested stack: a topic fanned out to a queue. */
class Messaging extends cdk.NestedStack {
  readonly queue: sqs.Queue;
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id, props);
    const deadLetters = new sqs.Queue(this, 'DeadLetters', {
      retentionPeriod: cdk.Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      visibilityTimeout: cdk.Duration.seconds(90),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
    });
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Ingest events' });
    this.topic.addSubscription(new subscriptions.SqsSubscription(this.queue));
    new ssm.StringParameter(this, 'ArchiveBucket', {
      parameterName: '/ingest/archive-bucket',
      stringValue: props.archive.bucketName,
    });
  }
}

/** The parent stack: it reads the nested stack's queue and topic. */
export class AppStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const archive = new s3.Bucket(this, 'Archive', {
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });
    const messaging = new Messaging(this, 'Messaging', { archive });
    const worker = new iam.Role(this, 'Worker', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    messaging.queue.grantConsumeMessages(worker);
    archive.grantWrite(worker);
    new ssm.StringParameter(this, 'QueueUrl', {
      parameterName: '/ingest/queue-url',
      stringValue: messaging.queue.queueUrl,
    });
    new ssm.StringParameter(this, 'TopicArn', {
      parameterName: '/ingest/topic-arn',
      stringValue: messaging.topic.topicArn,
    });
  }
}
