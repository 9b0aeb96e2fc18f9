import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { PetclinicService, ServiceSpec } from './petclinic-service';

export interface ServicesStackProps extends cdk.StackProps {
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.ICluster;
  readonly namespace: servicediscovery.INamespace;
  readonly fileSystem: efs.IFileSystem;
  readonly accessPoints: Record<'grafana' | 'prometheus', efs.IAccessPoint>;
}

const REPO = 'springcommunity';
const SPRING = { spring: true, healthPath: '/actuator/health', cpu: 512, memoryMiB: 1024 };

/** The PetClinic services behind one load balancer. */
export class ServicesStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: ServicesStackProps) {
    super(scope, id, props);
    const { vpc } = props;

    const albSg = new ec2.SecurityGroup(this, 'AlbSg', {
      vpc,
      description: 'Security group for petclinic application load balancer',
      allowAllOutbound: false,
    });
    albSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80));
    albSg.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.allTraffic());
    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      loadBalancerName: 'petclinic-alb',
      vpc,
      internetFacing: true,
      securityGroup: albSg,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    });
    const listener = alb.addListener('Http', { port: 80, open: false });

    const openAiKey = new secretsmanager.Secret(this, 'OpenAiApiKey', {
      secretName: 'petclinic/genai/openai-api-key',
      description: 'OpenAI API key of the genai service',
    });

    const specs: ServiceSpec[] = [
      { id: 'ConfigServer', name: 'config', image: `${REPO}/spring-petclinic-config-server:latest`, port: 8888, ...SPRING },
      { id: 'DiscoveryServer', name: 'discovery', image: `${REPO}/spring-petclinic-discovery-server:latest`, port: 8761, ...SPRING },
      { id: 'Customers', name: 'customers', image: `${REPO}/spring-petclinic-customers-service:latest`, port: 8081, ...SPRING, memoryMiB: 2048 },
      { id: 'Visits', name: 'visits', image: `${REPO}/spring-petclinic-visits-service:latest`, port: 8082, ...SPRING },
      { id: 'Vets', name: 'vets', image: `${REPO}/spring-petclinic-vets-service:latest`, port: 8083, ...SPRING },
      {
        id: 'GenAi', name: 'genai', image: `${REPO}/spring-petclinic-genai-service:latest`, port: 8084, ...SPRING,
        maxCapacity: 6,
        secrets: { OPENAI_API_KEY: ecs.Secret.fromSecretsManager(openAiKey) },
      },
      {
        id: 'ApiGateway', name: 'api-gateway', image: `${REPO}/spring-petclinic-api-gateway:latest`, port: 8080, ...SPRING,
        minCapacity: 2, gracePeriod: cdk.Duration.seconds(120),
        route: { priority: undefined, paths: [] },
      },
      {
        id: 'AdminServer', name: 'admin', image: `${REPO}/spring-petclinic-admin-server:latest`, port: 9090, ...SPRING,
        circuitBreaker: true, deregistrationDelay: cdk.Duration.seconds(300),
        route: { priority: 10, paths: ['/admin', '/admin/*'] },
      },
      {
        id: 'Zipkin', name: 'zipkin', image: 'openzipkin/zipkin:latest', port: 9411, healthPath: '/health', cpu: 256, memoryMiB: 1024,
        route: { priority: 20, paths: ['/zipkin', '/zipkin/*'] },
      },
      {
        id: 'Grafana', name: 'grafana', image: 'grafana/grafana:11.4.0', port: 3000, healthPath: '/api/health', cpu: 256, memoryMiB: 512,
        route: { priority: 30, paths: ['/grafana', '/grafana/*'] },
        data: { accessPoint: props.accessPoints.grafana, containerPath: '/var/lib/grafana' },
      },
      {
        id: 'Prometheus', name: 'prometheus', image: 'prom/prometheus:v3.1.0', port: 9090, healthPath: '/-/healthy', cpu: 256, memoryMiB: 512,
        data: { accessPoint: props.accessPoints.prometheus, containerPath: '/prometheus' },
      },
    ];

    for (const spec of specs) {
      new PetclinicService(this, spec.id, {
        spec,
        vpc,
        cluster: props.cluster,
        namespace: props.namespace,
        fileSystem: props.fileSystem,
        listener,
      });
    }
  }
}
