# Defaults must match ../cdk/lib/constants.ts.

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

variable "api_token_initial_value" {
  description = "Value the API token parameter is created with, until the real token replaces it."
  type        = string
  sensitive   = true
  default     = "change-me"
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
