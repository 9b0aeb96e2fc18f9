# Defaults must match ../cdk/lib/constants.ts.

variable "account_id" {
  description = "AWS account the services are deployed to."
  type        = string
  default     = "123456789012"
}

variable "region" {
  description = "AWS region the services are deployed to."
  type        = string
  default     = "us-east-1"
}

variable "vpc_id" {
  description = "Existing VPC."
  type        = string
  default     = "vpc-0f1e2d3c4b5a69788"
}

variable "private_subnet_ids" {
  description = "Existing private subnets, where the tasks run."
  type        = list(string)
  default     = ["subnet-0e5e5e5e5e5e5e5e5", "subnet-0f6f6f6f6f6f6f6f6"]
}

variable "public_subnet_ids" {
  description = "Existing public subnets, where the load balancer listens."
  type        = list(string)
  default     = ["subnet-0a7a7a7a7a7a7a7a7", "subnet-0b8b8b8b8b8b8b8b8"]
}

variable "image_repository" {
  description = "Registry and repository of the service images; each service runs its own tag."
  type        = string
  default     = "public.ecr.aws/nginx/nginx"
}

variable "services" {
  description = "The services behind the shared load balancer, by name."
  type = map(object({
    # Requests whose path matches one of these go to the service.
    path_patterns = list(string)
    # Listener rule priority: unique per listener.
    priority       = number
    image_tag      = string
    container_port = number
    cpu            = number
    memory         = number
    desired_count  = number
    environment    = map(string)
    # Existing secret holding the service's database credentials (JSON).
    db_secret_arn = string
    # Settings kept in SSM parameters (/shop/<service>/<name>), read by the
    # container as secrets named after them.
    settings = list(object({ name = string, value = string }))
    # Whether the service signs webhooks, with a key of its own.
    signs_webhooks = bool
  }))
  default = {
    orders = {
      path_patterns  = ["/orders", "/orders/*"]
      priority       = 10
      image_tag      = "1.27"
      container_port = 8080
      cpu            = 256
      memory         = 512
      desired_count  = 2
      environment = {
        APP_ENV   = "production"
        LOG_LEVEL = "info"
      }
      db_secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/orders/db-Or8dEr"
      settings = [
        { name = "upstream-url", value = "https://inventory.internal.example.com" },
        { name = "feature-flags", value = "fast-checkout,gift-wrap" },
      ]
      signs_webhooks = false
    }
    billing = {
      path_patterns  = ["/billing", "/billing/*"]
      priority       = 20
      image_tag      = "1.27"
      container_port = 8080
      cpu            = 512
      memory         = 1024
      desired_count  = 1
      environment = {
        APP_ENV   = "production"
        LOG_LEVEL = "warn"
        CURRENCY  = "EUR"
      }
      db_secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/billing/db-B1lL1n"
      settings = [
        { name = "invoice-prefix", value = "SHOP-" },
      ]
      signs_webhooks = true
    }
  }
}
