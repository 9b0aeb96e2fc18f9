resource "aws_secretsmanager_secret" "db" {
  name = "worker-db-password"
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "worker-api-key"
}

resource "aws_iam_role" "execution" {
  name = "worker-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
}

module "worker" {
  source             = "./modules/service"
  name               = "worker"
  image              = "public.ecr.aws/docker/library/busybox:stable"
  execution_role_arn = aws_iam_role.execution.arn
  secrets_from_arns = {
    DB_PASSWORD = "${aws_secretsmanager_secret.db.arn}:password::"
    API_KEY     = aws_secretsmanager_secret.api_key.arn
  }
}

# Where the deployment pipeline finds the task definition to start from.
resource "aws_ssm_parameter" "task_definition" {
  name  = "/worker/task-definition"
  type  = "String"
  value = module.worker.task_definition_arn
}

# The secret's name as AWS spells it in its ARN (the sixth field).
output "db_secret_name" {
  value = split(":", aws_secretsmanager_secret.db.arn)[6]
}
