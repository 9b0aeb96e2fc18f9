# A task definition and IAM policies whose ARNs are not known before apply:
# `jsonencode` makes the whole container definitions and policy documents
# unknown, and the plan's configuration says which resources they wait for.

resource "aws_secretsmanager_secret" "db" {
  name = "db"
}

resource "aws_ssm_parameter" "api_token" {
  name  = "/api/token"
  type  = "SecureString"
  value = "fixture-token"
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/ecs/api"
  retention_in_days = 30
}

resource "aws_iam_role" "execution" {
  name = "api-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "execution" {
  name = "read-secrets"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [aws_secretsmanager_secret.db.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["ssm:GetParameters"]
        Resource = [aws_ssm_parameter.api_token.arn]
      },
    ]
  })
}

# A policy document data source reads nothing from AWS; its input is unknown,
# so it is read during apply.
data "aws_iam_policy_document" "logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.api.arn}:*"]
  }
}

resource "aws_iam_policy" "logs" {
  name   = "api-logs"
  policy = data.aws_iam_policy_document.logs.json
}

resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "api"
    image     = "public.ecr.aws/nginx/nginx:1.27"
    essential = true
    secrets = [
      { name = "DB_USERNAME", valueFrom = "${aws_secretsmanager_secret.db.arn}:username::" },
      { name = "API_TOKEN", valueFrom = aws_ssm_parameter.api_token.arn },
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.api.name
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "api"
      }
    }
  }])
}
