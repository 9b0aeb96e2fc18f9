# A target group as the ALB module declares it: `name`, `name_prefix`,
# `protocol_version`, `ip_address_type` and `preserve_client_ip` left to AWS
# (optional and computed, forcing a replacement when they change); its
# listener forwards to it in a `dynamic` block, from its `id` (which the
# plan's configuration does not show: the provider alone says it wants an
# ARN there).
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_lb_target_group" "app" {
  for_each = { app = 8080 }

  port                              = each.value
  protocol                          = "HTTP"
  target_type                       = "ip"
  vpc_id                            = aws_vpc.main.id
  deregistration_delay              = 5
  load_balancing_cross_zone_enabled = true

  health_check {
    enabled = true
    path    = "/health"
    matcher = "200"
  }
}

resource "aws_ssm_parameter" "target_group" {
  name  = "/app/target-group"
  type  = "String"
  value = aws_lb_target_group.app["app"].arn
}

resource "aws_subnet" "public" {
  for_each = { a = "10.0.0.0/24", b = "10.0.1.0/24" }

  vpc_id            = aws_vpc.main.id
  cidr_block        = each.value
  availability_zone = "eu-west-1${each.key}"
}

resource "aws_lb" "app" {
  name               = "app"
  load_balancer_type = "application"
  subnets            = [for subnet in aws_subnet.public : subnet.id]
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.app.arn
  port              = 80
  protocol          = "HTTP"

  dynamic "default_action" {
    for_each = [{ type = "forward" }]
    content {
      type             = default_action.value.type
      target_group_arn = aws_lb_target_group.app["app"].id
    }
  }
}
