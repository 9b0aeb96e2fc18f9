// Values shared with ../terraform/variables.tf (the defaults there must match).

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export const VPC_ID = 'vpc-0a1b2c3d4e5f60718';
export const AVAILABILITY_ZONES = ['us-east-1a', 'us-east-1b'];
export const PRIVATE_SUBNET_IDS = ['subnet-0a1a1a1a1a1a1a1a1', 'subnet-0b2b2b2b2b2b2b2b2'];
export const PUBLIC_SUBNET_IDS = ['subnet-0c3c3c3c3c3c3c3c3', 'subnet-0d4d4d4d4d4d4d4d4'];

// The value the API token parameter is created with, until the real token
// replaces it.
export const API_TOKEN_INITIAL_VALUE = 'change-me';

export const IMAGE = 'public.ecr.aws/nginx/nginx:1.27';
export const CONTAINER_PORT = 8080;
