variable "name" {
  type = string
}

variable "secret_arn" {
  type = string
}

resource "aws_iam_role" "task" {
  name = "${var.name}-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "read_secret" {
  name = "read-secret"
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = var.secret_arn
    }]
  })
}

# Only the api service keeps logs.
resource "aws_cloudwatch_log_group" "this" {
  count = var.name == "api" ? 1 : 0

  name              = "/services/${var.name}"
  retention_in_days = 14
}

module "queue" {
  source = "../queue"
  count  = 2

  name     = "${var.name}-${count.index}"
  role_arn = aws_iam_role.task.arn
}

output "role_arn" {
  value = aws_iam_role.task.arn
}

output "queue_urls" {
  value = module.queue[*].url
}
