# Defaults must match ../cdk/lib/constants.ts.

variable "account_id" {
  description = "AWS account the stack is deployed to."
  type        = string
  default     = "123456789012"
}

variable "region" {
  description = "AWS region the stack is deployed to."
  type        = string
  default     = "us-east-1"
}

variable "vpc_id" {
  description = "Existing VPC."
  type        = string
  default     = "vpc-0a1b2c3d4e5f60718"
}

variable "availability_zones" {
  description = "Availability zones of the subnets below, in the same order."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]
}

variable "private_subnet_ids" {
  description = "Existing private subnets, one per availability zone."
  type        = list(string)
  default     = ["subnet-0a1a1a1a1a1a1a1a1", "subnet-0b2b2b2b2b2b2b2b2"]
}

variable "public_subnet_ids" {
  description = "Existing public subnets, one per availability zone."
  type        = list(string)
  default     = ["subnet-0c3c3c3c3c3c3c3c3", "subnet-0d4d4d4d4d4d4d4d4"]
}

variable "db_secret_arn" {
  description = "Existing Secrets Manager secret holding the database credentials (JSON)."
  type        = string
  default     = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api/db-AbCdEf"
}

variable "api_token_parameter_name" {
  description = "Existing SecureString SSM parameter holding the API token."
  type        = string
  default     = "/api/token"
}

variable "image" {
  description = "Container image of the api service."
  type        = string
  default     = "public.ecr.aws/nginx/nginx:1.27"
}

variable "container_port" {
  description = "Port the api container listens on."
  type        = number
  default     = 8080
}

variable "storage_backend" {
  description = "Where the api keeps its data: \"file\" (the EFS volume) or \"documentdb\"."
  type        = string
  default     = "file"
}

variable "documentdb_secret_arn" {
  description = "Existing Secrets Manager secret holding the DocumentDB credentials (JSON)."
  type        = string
  default     = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api/documentdb-GhIjKl"
}

variable "auth_domain" {
  description = "Domain of the Keycloak server the api authenticates against."
  type        = string
  default     = "auth.example.com"
}
