# A database's credentials kept in Secrets Manager, a parameter holding the
# connection URL and a service that connects with it. The password is a
# sensitive variable; so are the product's name and the database user, as a
# careful-by-default configuration declares them. The defaults are fixture
# values, not secrets.

variable "db_password" {
  type      = string
  sensitive = true
  default   = "fixture-tf-password-1"
}

variable "product" {
  type      = string
  sensitive = true
  default   = "idp"
}

variable "db_user" {
  type      = string
  sensitive = true
  default   = "admin"
}

variable "extra_origins" {
  type      = string
  sensitive = true
  default   = ""
}

resource "aws_secretsmanager_secret" "db" {
  name        = "${var.product}-db-credentials"
  description = "${var.product} database credentials (managed by Terraform)"
  tags = {
    Product = var.product
    Owner   = var.db_user
  }
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({
    engine   = "postgres"
    username = var.db_user
    password = var.db_password
  })
}

resource "aws_ssm_parameter" "db_url" {
  name  = "/${var.product}/database-url"
  type  = "String"
  value = "postgres://${var.db_user}:${var.db_password}@db.internal:5432/app"
}

resource "aws_ssm_parameter" "origins" {
  name  = "/${var.product}/extra-origins"
  type  = "String"
  value = "[${var.extra_origins}]"
}

resource "aws_ecs_task_definition" "api" {
  family                   = "${var.product}-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name      = "api"
    image     = "public.ecr.aws/nginx/nginx:1.27"
    essential = true
    environment = [
      { name = "LOG_LEVEL", value = "info" },
      { name = "DATABASE_URL", value = "postgres://${var.db_user}:${var.db_password}@db.internal:5432/app" },
    ]
  }])
}
