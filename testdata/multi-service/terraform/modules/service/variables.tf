variable "name" {
  description = "Service name: names its resources (shop-<name>) and its container."
  type        = string
}

variable "image" {
  description = "Container image."
  type        = string
}

variable "container_port" {
  description = "Port the container listens on."
  type        = number
}

variable "cpu" {
  description = "Task CPU units."
  type        = number
}

variable "memory" {
  description = "Task memory, in MiB."
  type        = number
}

variable "desired_count" {
  description = "Number of tasks to keep running."
  type        = number
}

variable "environment" {
  description = "Environment variables of the container (PORT is added)."
  type        = map(string)
}

variable "db_secret_arn" {
  description = "Existing secret holding the database credentials (JSON with a password key)."
  type        = string
}

variable "settings" {
  description = "Settings stored as SSM parameters /shop/<name>/<setting> and given to the container as secrets."
  type        = list(object({ name = string, value = string }))
}

variable "signs_webhooks" {
  description = "Create a signing key secret the service reads at run time."
  type        = bool
}

variable "cluster_arn" {
  description = "ECS cluster the service runs in."
  type        = string
}

variable "listener_arn" {
  description = "Load balancer listener the service's rule is added to."
  type        = string
}

variable "listener_priority" {
  description = "Priority of the service's listener rule."
  type        = number
}

variable "path_patterns" {
  description = "Request paths routed to the service."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer, allowed to reach the tasks."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the target group and security group."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets the tasks run in."
  type        = list(string)
}

variable "account_id" {
  description = "AWS account, for the ARNs of the parameters."
  type        = string
}

variable "region" {
  description = "AWS region, for the ARNs of the parameters and the log driver."
  type        = string
}
