import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { StoreService } from './store-service';

/**
 * The data stores (Aurora MySQL and PostgreSQL, OpenSearch, DynamoDB,
 * ElastiCache, Amazon MQ) are deployed apart from the application; these are
 * their endpoints and credentials.
 */
const DATA_STORES = {
  catalogDb: {
    host: 'retail-store-ecs-catalog.cluster-cx1y2z3a4b5c.eu-west-1.rds.amazonaws.com:3306',
    name: 'catalog',
    username: 'root',
    password: 'example-catalog-db-password',
  },
  catalogSearch: {
    endpoint: 'https://vpc-retail-store-ecs-catalog-abc123def456.eu-west-1.es.amazonaws.com',
    username: 'admin',
    password: 'example-opensearch-password',
  },
  cartsTable: 'retail-store-ecs-carts',
  cartsTablePolicyArn: 'arn:aws:iam::123456789012:policy/retail-store-ecs-carts-dynamo',
  checkoutRedisUrl: 'redis://master.retail-store-ecs-checkout.abcdef.euw1.cache.amazonaws.com:6379',
  ordersDb: {
    host: 'retail-store-ecs-orders.cluster-cx1y2z3a4b5c.eu-west-1.rds.amazonaws.com:5432',
    name: 'orders',
    username: 'root',
    password: 'example-orders-db-password',
  },
  broker: {
    host: 'amqps://b-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d.mq.eu-west-1.amazonaws.com:5671',
    username: 'default_mq_user',
    password: 'example-mq-password',
  },
};

export interface StoreStackProps extends cdk.StackProps {
  readonly vpc: ec2.IVpc;
}

function credentials(id: string, scope: Construct, name: string, fields: Record<string, string>, key?: kms.IKey) {
  const value: Record<string, cdk.SecretValue> = {};
  for (const [field, text] of Object.entries(fields)) {
    value[field] = cdk.SecretValue.unsafePlainText(text);
  }
  return new secretsmanager.Secret(scope, id, {
    secretName: name,
    encryptionKey: key,
    secretObjectValue: value,
    removalPolicy: cdk.RemovalPolicy.DESTROY,
  });
}

/** The retail store on ECS: cluster, shared resources, the load balancer and the five services. */
export class StoreStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: StoreStackProps) {
    super(scope, id, props);
    const { vpc } = props;

    const cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: 'retail-store-ecs-cluster',
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
    });
    const logGroup = new logs.LogGroup(this, 'TaskLogs', {
      logGroupName: 'retail-store-ecs-tasks',
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });
    const namespace = new servicediscovery.PrivateDnsNamespace(this, 'Namespace', {
      name: 'retailstore.local',
      description: 'Service discovery namespace',
      vpc,
    });
    const key = new kms.Key(this, 'Cmk', {
      description: 'retail-store-ecs CMK',
      pendingWindow: cdk.Duration.days(7),
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });

    // Credentials of the data stores, read by the tasks at start.
    const catalogDb = credentials('CatalogDbSecret', this, 'retail-store-ecs-catalog-db', {
      username: DATA_STORES.catalogDb.username,
      password: DATA_STORES.catalogDb.password,
      host: DATA_STORES.catalogDb.host,
    }, key);
    const catalogSearch = credentials('CatalogSearchSecret', this, 'retail-store-ecs-catalog-opensearch', {
      username: DATA_STORES.catalogSearch.username,
      password: DATA_STORES.catalogSearch.password,
    }, key);
    const ordersDb = credentials('OrdersDbSecret', this, 'retail-store-ecs-orders-db', {
      username: DATA_STORES.ordersDb.username,
      password: DATA_STORES.ordersDb.password,
      host: DATA_STORES.ordersDb.host,
    });
    const broker = credentials('BrokerSecret', this, 'retail-store-ecs-mq', {
      username: DATA_STORES.broker.username,
      password: DATA_STORES.broker.password,
      host: DATA_STORES.broker.host,
    });
    const cartsTablePolicy = iam.ManagedPolicy.fromManagedPolicyArn(this, 'CartsTablePolicy', DATA_STORES.cartsTablePolicyArn);

    // The public entry point: the UI behind an internet-facing load balancer.
    const albSg = new ec2.SecurityGroup(this, 'AlbSg', {
      vpc,
      description: 'UI ALB security group',
      allowAllOutbound: true,
    });
    albSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP');
    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      loadBalancerName: 'retail-store-ecs-ui',
      vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: albSg,
    });
    const uiTargetGroup = new elbv2.ApplicationTargetGroup(this, 'UiTargetGroup', {
      targetGroupName: 'ui-application',
      vpc,
      port: 8080,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: cdk.Duration.seconds(30),
      healthCheck: {
        enabled: true,
        path: '/actuator/health',
        port: 'traffic-port',
        protocol: elbv2.Protocol.HTTP,
        interval: cdk.Duration.seconds(30),
        timeout: cdk.Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    alb.addListener('Http', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultTargetGroups: [uiTargetGroup],
    });

    const shared = { vpc, cluster, namespace, logGroup };

    new StoreService(this, 'CatalogSvc', {
      ...shared,
      name: 'catalog',
      image: 'catalog',
      environment: {
        RETAIL_CATALOG_PERSISTENCE_PROVIDER: 'mysql',
        RETAIL_CATALOG_PERSISTENCE_DB_NAME: DATA_STORES.catalogDb.name,
        RETAIL_CATALOG_SEARCH_ENABLED: 'true',
        RETAIL_CATALOG_SEARCH_OS_INDEX: 'products',
        RETAIL_CATALOG_SEARCH_OS_ENDPOINT: DATA_STORES.catalogSearch.endpoint,
      },
      secrets: {
        RETAIL_CATALOG_PERSISTENCE_ENDPOINT: ecs.Secret.fromSecretsManager(catalogDb, 'host'),
        RETAIL_CATALOG_PERSISTENCE_USER: ecs.Secret.fromSecretsManager(catalogDb, 'username'),
        RETAIL_CATALOG_PERSISTENCE_PASSWORD: ecs.Secret.fromSecretsManager(catalogDb, 'password'),
        RETAIL_CATALOG_SEARCH_OS_USERNAME: ecs.Secret.fromSecretsManager(catalogSearch, 'username'),
        RETAIL_CATALOG_SEARCH_OS_PASSWORD: ecs.Secret.fromSecretsManager(catalogSearch, 'password'),
      },
    });

    new StoreService(this, 'CartSvc', {
      ...shared,
      name: 'carts',
      image: 'cart',
      healthPath: '/actuator/health',
      environment: {
        RETAIL_CART_PERSISTENCE_PROVIDER: 'dynamodb',
        RETAIL_CART_PERSISTENCE_DYNAMODB_TABLE_NAME: DATA_STORES.cartsTable,
      },
      taskPolicies: [cartsTablePolicy],
    });

    new StoreService(this, 'OrderSvc', {
      ...shared,
      name: 'orders',
      image: 'orders',
      healthPath: '/actuator/health',
      memoryMiB: 4096,
      environment: {
        RETAIL_ORDERS_MESSAGING_PROVIDER: 'rabbitmq',
        RETAIL_ORDERS_PERSISTENCE_PROVIDER: 'postgres',
        RETAIL_ORDERS_PERSISTENCE_NAME: DATA_STORES.ordersDb.name,
      },
      secrets: {
        RETAIL_ORDERS_MESSAGING_RABBITMQ_ADDRESSES: ecs.Secret.fromSecretsManager(broker, 'host'),
        RETAIL_ORDERS_MESSAGING_RABBITMQ_USERNAME: ecs.Secret.fromSecretsManager(broker, 'username'),
        RETAIL_ORDERS_MESSAGING_RABBITMQ_PASSWORD: ecs.Secret.fromSecretsManager(broker, 'password'),
        RETAIL_ORDERS_PERSISTENCE_ENDPOINT: ecs.Secret.fromSecretsManager(ordersDb, 'host'),
        RETAIL_ORDERS_PERSISTENCE_USERNAME: ecs.Secret.fromSecretsManager(ordersDb, 'username'),
        RETAIL_ORDERS_PERSISTENCE_PASSWORD: ecs.Secret.fromSecretsManager(ordersDb, 'password'),
      },
    });

    new StoreService(this, 'CheckoutSvc', {
      ...shared,
      name: 'checkout',
      image: 'checkout',
      environment: {
        RETAIL_CHECKOUT_PERSISTENCE_PROVIDER: 'redis',
        RETAIL_CHECKOUT_PERSISTENCE_REDIS_URL: DATA_STORES.checkoutRedisUrl,
        RETAIL_CHECKOUT_ENDPOINTS_ORDERS: 'http://orders',
      },
      taskPolicies: [cartsTablePolicy],
    });

    new StoreService(this, 'UiSvc', {
      ...shared,
      name: 'ui',
      image: 'ui',
      healthPath: '/actuator/health',
      desiredCount: 2,
      targetGroup: uiTargetGroup,
      environment: {
        RETAIL_UI_ENDPOINTS_CATALOG: 'http://catalog',
        RETAIL_UI_ENDPOINTS_CARTS: 'http://carts',
        RETAIL_UI_ENDPOINTS_CHECKOUT: 'http://checkout',
        RETAIL_UI_ENDPOINTS_ORDERS: 'http://orders',
        RETAIL_UI_SEARCH_ENABLED: 'true',
      },
    });

    new cdk.CfnOutput(this, 'UiUrl', { value: `http://${alb.loadBalancerDnsName}` });
  }
}
