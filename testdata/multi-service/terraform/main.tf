# Two services of a shop on ECS Fargate, each behind its own path on one shared
# load balancer, in an existing VPC. The shared pieces are here; each service is
# one instance of ./modules/service. ../cdk describes the same infrastructure in
# two stacks.

resource "aws_ecs_cluster" "main" {
  name = "shop-cluster"
}

# --- Load balancer ----------------------------------------------------------

resource "aws_security_group" "alb" {
  name        = "shop-alb"
  description = "shop load balancer"
  vpc_id      = var.vpc_id

  ingress {
    description = "HTTP from anywhere"
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "Allow all outbound traffic by default"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "main" {
  name                       = "shop-alb"
  internal                   = false
  load_balancer_type         = "application"
  security_groups            = [aws_security_group.alb.id]
  subnets                    = var.public_subnet_ids
  enable_deletion_protection = false
}

# Each service adds a rule for its paths; anything else is not found.
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.main.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "not found"
      status_code  = "404"
    }
  }
}

# --- Services ---------------------------------------------------------------

module "service" {
  source   = "./modules/service"
  for_each = var.services

  name           = each.key
  image          = "${var.image_repository}:${each.value.image_tag}"
  container_port = each.value.container_port
  cpu            = each.value.cpu
  memory         = each.value.memory
  desired_count  = each.value.desired_count
  environment    = each.value.environment
  db_secret_arn  = each.value.db_secret_arn
  settings       = each.value.settings
  signs_webhooks = each.value.signs_webhooks

  cluster_arn           = aws_ecs_cluster.main.arn
  listener_arn          = aws_lb_listener.http.arn
  listener_priority     = each.value.priority
  path_patterns         = each.value.path_patterns
  alb_security_group_id = aws_security_group.alb.id
  vpc_id                = var.vpc_id
  subnet_ids            = var.private_subnet_ids

  account_id = var.account_id
  region     = var.region
}
