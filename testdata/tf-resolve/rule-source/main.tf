# A security group rule whose source is another group's ID, unknown in the
# plain plan. The provider compares which source argument (`cidr_ipv4`,
# `referenced_security_group_id`, …) the state and the plan set: a state
# that leaves the source unset has the rule planned as a replacement at an
# attribute path that does not exist, and terraform refuses the plan.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "alb" {
  name   = "alb"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "service" {
  name   = "service"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "service_from_alb" {
  security_group_id            = aws_security_group.service.id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.alb.id
}
