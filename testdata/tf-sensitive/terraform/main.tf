# Sensitive variables flowing into resources: directly, inside a JSON
# document, inside a map, and through a module input that is not itself
# declared sensitive. The defaults are fixture values, not secrets.

variable "db_password" {
  type      = string
  sensitive = true
  default   = "fixture-password"
}

variable "api_keys" {
  type      = map(string)
  sensitive = true
  default = {
    partner = "fixture-partner-key"
  }
}

variable "log_level" {
  type    = string
  default = "info"
}

resource "aws_ssm_parameter" "db_password" {
  name        = "/app/db-password"
  description = "database password"
  type        = "SecureString"
  value       = var.db_password
}

resource "aws_secretsmanager_secret" "api" {
  name = "api"
}

resource "aws_secretsmanager_secret_version" "api" {
  secret_id = aws_secretsmanager_secret.api.id
  secret_string = jsonencode({
    password = var.db_password
    keys     = var.api_keys
  })
}

resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name      = "api"
    image     = "public.ecr.aws/nginx/nginx:1.27"
    essential = true
    environment = [
      { name = "LOG_LEVEL", value = var.log_level },
      { name = "DB_PASSWORD", value = var.db_password },
    ]
  }])
}

resource "aws_ssm_parameter" "log_level" {
  name  = "/app/log-level"
  type  = "String"
  value = var.log_level
  tags = {
    Partner = var.api_keys["partner"]
    Team    = "platform"
  }
}

module "parameter" {
  source = "./modules/parameter"

  name  = "/app/copied-password"
  value = var.db_password
}

output "db_password" {
  value     = var.db_password
  sensitive = true
}

output "db_password_parameter" {
  value = aws_ssm_parameter.db_password.name
}
