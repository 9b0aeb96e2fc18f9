# A parameter per service (`for_each`), whose ARN each service's container
# takes at its own key: the plan's configuration lists
# `aws_ssm_parameter.profile[each.key].arn` as `aws_ssm_parameter.profile`
# alone. An SSM parameter's `arn` is optional and computed.
locals {
  services = toset(["api", "worker"])
}

resource "aws_ssm_parameter" "profile" {
  for_each = local.services

  name  = "/app/${each.key}/profile"
  type  = "String"
  value = "prod"
}

resource "aws_ecs_task_definition" "service" {
  for_each = local.services

  family = each.key
  container_definitions = jsonencode([{
    name      = each.key
    image     = "nginx"
    essential = true
    secrets = [
      { name = "PROFILE", valueFrom = aws_ssm_parameter.profile[each.key].arn },
    ]
  }])
}
