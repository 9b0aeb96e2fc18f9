resource "aws_secretsmanager_secret" "secret_key_base" {
  name                    = "app-secret-key-base"
  recovery_window_in_days = 0
}

resource "aws_iam_role" "execution" {
  name = "app-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
}

# Only needed to bootstrap the service: deployments register their own
# revisions, so Terraform never updates it.
resource "aws_ecs_task_definition" "bootstrap" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "app"
    image     = "public.ecr.aws/docker/library/busybox:stable"
    essential = true
    secrets   = [{ name = "SECRET_KEY_BASE", valueFrom = aws_secretsmanager_secret.secret_key_base.arn }]
  }])

  lifecycle {
    ignore_changes = all
  }
}

# The image is deployed by CI: Terraform leaves the container definitions alone.
resource "aws_ecs_task_definition" "worker" {
  family                   = "worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "worker"
    image     = "public.ecr.aws/docker/library/busybox:stable"
    essential = true
    secrets   = [{ name = "SECRET_KEY_BASE", valueFrom = aws_secretsmanager_secret.secret_key_base.arn }]
  }])

  lifecycle {
    create_before_destroy = true
    ignore_changes = [
      container_definitions, # deployed by CI
      tags["Revision"],
    ]
  }
}

resource "aws_ecs_cluster" "main" {
  name = "app"
}

resource "aws_ecs_service" "app" {
  name            = "app"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.bootstrap.arn
  desired_count   = 1
  launch_type     = "FARGATE"

  network_configuration {
    subnets = ["subnet-0a11aa11aa11aa111"]
  }
}
