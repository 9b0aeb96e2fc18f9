import * as cdk from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

/**
 * A database's credentials written into the template in plain text, as apps
 * that read the password from the environment do, and the places that copy
 * it: a parameter and a container's environment.
 */
export class CredentialsStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    // The fixture's value when the environment gives none (the fixtures are
    // synthesized without it). Not a secret.
    const password = process.env.DB_PASSWORD ?? 'fixture-cdk-password-2';
    const user = 'admin';
    const databaseUrl = `postgres://${user}:${password}@db:5432/app`;

    const secret = new secretsmanager.Secret(this, 'DbCredentials', {
      secretName: 'idp-db-credentials',
      description: 'idp database credentials',
      secretStringValue: cdk.SecretValue.unsafePlainText(
        JSON.stringify({ engine: 'postgres', username: user, password }),
      ),
    });
    cdk.Tags.of(secret).add('Product', 'idp');
    cdk.Tags.of(secret).add('Owner', user);

    new ssm.StringParameter(this, 'DbUrl', {
      parameterName: '/idp/database-url',
      stringValue: databaseUrl,
    });
    new ssm.StringParameter(this, 'Origins', {
      parameterName: '/idp/extra-origins',
      stringValue: '[]',
    });

    const task = new ecs.FargateTaskDefinition(this, 'Api', {
      family: 'idp-api',
      cpu: 256,
      memoryLimitMiB: 512,
    });
    task.addContainer('api', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      essential: true,
      environment: {
        LOG_LEVEL: 'info',
        DATABASE_URL: databaseUrl,
      },
    });
  }
}
