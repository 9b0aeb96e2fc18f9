// Values shared with ../terraform/variables.tf (the defaults there must match).

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export const VPC_ID = 'vpc-0f1e2d3c4b5a69788';
// The zones of the subnets below: CDK needs them to import the VPC, Terraform does not.
export const AVAILABILITY_ZONES = ['us-east-1a', 'us-east-1b'];
export const PRIVATE_SUBNET_IDS = ['subnet-0e5e5e5e5e5e5e5e5', 'subnet-0f6f6f6f6f6f6f6f6'];
export const PUBLIC_SUBNET_IDS = ['subnet-0a7a7a7a7a7a7a7a7', 'subnet-0b8b8b8b8b8b8b8b8'];

export const IMAGE_REPOSITORY = 'public.ecr.aws/nginx/nginx';

/** A setting kept in the SSM parameter /shop/<service>/<name>. */
export interface Setting {
  readonly name: string;
  readonly value: string;
}

/** One service behind the shared load balancer. */
export interface ServiceConfig {
  /** Requests whose path matches one of these go to the service. */
  readonly pathPatterns: string[];
  /** Listener rule priority: unique per listener. */
  readonly priority: number;
  readonly imageTag: string;
  readonly containerPort: number;
  readonly cpu: number;
  readonly memory: number;
  readonly desiredCount: number;
  readonly environment: Record<string, string>;
  /** Existing secret holding the service's database credentials (JSON). */
  readonly dbSecretArn: string;
  /** Read by the container as secrets named after them. */
  readonly settings: Setting[];
  /** Whether the service signs webhooks, with a key of its own. */
  readonly signsWebhooks: boolean;
}

export const SERVICES: Record<string, ServiceConfig> = {
  orders: {
    pathPatterns: ['/orders', '/orders/*'],
    priority: 10,
    imageTag: '1.27',
    containerPort: 8080,
    cpu: 256,
    memory: 512,
    desiredCount: 2,
    environment: {
      APP_ENV: 'production',
      LOG_LEVEL: 'info',
    },
    dbSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/orders/db-Or8dEr',
    settings: [
      { name: 'upstream-url', value: 'https://inventory.internal.example.com' },
      { name: 'feature-flags', value: 'fast-checkout,gift-wrap' },
    ],
    signsWebhooks: false,
  },
  billing: {
    pathPatterns: ['/billing', '/billing/*'],
    priority: 20,
    imageTag: '1.27',
    containerPort: 8080,
    cpu: 512,
    memory: 1024,
    desiredCount: 1,
    environment: {
      APP_ENV: 'production',
      LOG_LEVEL: 'warn',
      CURRENCY: 'EUR',
    },
    dbSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/billing/db-B1lL1n',
    settings: [{ name: 'invoice-prefix', value: 'SHOP-' }],
    signsWebhooks: true,
  },
};
