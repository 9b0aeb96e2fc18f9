variable "name" {
  type = string
}

variable "image" {
  type = string
}

variable "execution_role_arn" {
  type = string
}

variable "secrets_from_arns" {
  type    = map(string)
  default = {}
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = var.execution_role_arn
  container_definitions = jsonencode([{
    name      = var.name
    image     = var.image
    essential = true
    secrets   = [for key, arn in var.secrets_from_arns : { name = key, valueFrom = arn }]
  }])
}

output "task_definition_arn" {
  value = aws_ecs_task_definition.this.arn
}

# The secrets' ARNs without a version or a JSON key: the first seven fields.
output "required_secrets" {
  value = [for arn in values(var.secrets_from_arns) : join(":", slice(split(":", arn), 0, 7))]
}
