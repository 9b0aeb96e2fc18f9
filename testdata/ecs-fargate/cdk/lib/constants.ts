// Values shared with ../terraform/variables.tf (the defaults there must match).

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export const VPC_ID = 'vpc-0a1b2c3d4e5f60718';
export const AVAILABILITY_ZONES = ['us-east-1a', 'us-east-1b'];
export const PRIVATE_SUBNET_IDS = ['subnet-0a1a1a1a1a1a1a1a1', 'subnet-0b2b2b2b2b2b2b2b2'];
export const PUBLIC_SUBNET_IDS = ['subnet-0c3c3c3c3c3c3c3c3', 'subnet-0d4d4d4d4d4d4d4d4'];

export const DB_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api/db-AbCdEf';
export const API_TOKEN_PARAMETER_NAME = '/api/token';
export const DOCUMENTDB_SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:api/documentdb-GhIjKl';

// Where the api keeps its data: 'file' (the EFS volume) or 'documentdb'.
export const STORAGE_BACKEND: string = 'file';
export const AUTH_DOMAIN = 'auth.example.com';

export const IMAGE = 'public.ecr.aws/nginx/nginx:1.27';
export const CONTAINER_PORT = 8080;
