# A target group as the ALB module declares it: `name`, `name_prefix`,
# `protocol_version` and `ip_address_type` left to AWS (optional and
# computed, forcing a replacement when they change).
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
