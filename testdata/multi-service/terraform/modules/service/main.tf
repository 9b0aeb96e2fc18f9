# One service: its task definition and ECS service, the target group and
# listener rule that route its paths to it, its roles, logs, settings and
# (optionally) its webhook signing key.

locals {
  full_name = "shop-${var.name}"

  # Parameter ARNs are built from their names so that the container
  # definitions are known at plan time.
  parameter_arn_prefix = "arn:aws:ssm:${var.region}:${var.account_id}:parameter"
  parameter_path       = "/shop/${var.name}"

  # SETTING_NAME for the setting "setting-name".
  setting_variables = [for s in var.settings : upper(replace(s.name, "-", "_"))]
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/shop/${var.name}"
  retention_in_days = 14
}

# --- Settings and secrets ---------------------------------------------------

resource "aws_ssm_parameter" "setting" {
  count = length(var.settings)

  name  = "${local.parameter_path}/${var.settings[count.index].name}"
  type  = "String"
  value = var.settings[count.index].value
}

resource "aws_secretsmanager_secret" "signing_key" {
  count = var.signs_webhooks ? 1 : 0

  name        = "shop/${var.name}/signing-key"
  description = "Key the ${var.name} service signs its webhooks with"
}

# --- Roles ------------------------------------------------------------------

# Pulls the image and the secrets into the container, and writes its logs.
module "execution_role" {
  source = "../ecs-role"

  name                = "${local.full_name}-execution"
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Action = [
          "logs:CreateLogStream",
          "logs:PutLogEvents",
        ]
        Effect   = "Allow"
        Resource = "${aws_cloudwatch_log_group.this.arn}:*"
      },
      {
        Action = [
          "secretsmanager:DescribeSecret",
          "secretsmanager:GetSecretValue",
        ]
        Effect   = "Allow"
        Resource = var.db_secret_arn
      },
      {
        Action = [
          "ssm:DescribeParameters",
          "ssm:GetParameter",
          "ssm:GetParameterHistory",
          "ssm:GetParameters",
        ]
        Effect   = "Allow"
        Resource = aws_ssm_parameter.setting[*].arn
      },
    ]
  })
}

# What the application itself may do: read its settings again at run time,
# its signing key if it has one, and send traces.
module "task_role" {
  source = "../ecs-role"

  name                = "${local.full_name}-task"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Action   = "ssm:GetParametersByPath"
          Effect   = "Allow"
          Resource = "${local.parameter_arn_prefix}${local.parameter_path}"
        },
      ],
      [
        for secret in aws_secretsmanager_secret.signing_key : {
          Action = [
            "secretsmanager:DescribeSecret",
            "secretsmanager:GetSecretValue",
          ]
          Effect   = "Allow"
          Resource = secret.arn
        }
      ],
    )
  })
}

# --- Task definition and service ----------------------------------------------

resource "aws_ecs_task_definition" "this" {
  family                   = local.full_name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.cpu)
  memory                   = tostring(var.memory)
  execution_role_arn       = module.execution_role.arn
  task_role_arn            = module.task_role.arn

  container_definitions = jsonencode([
    {
      name      = var.name
      image     = var.image
      essential = true

      portMappings = [
        {
          containerPort = var.container_port
          protocol      = "tcp"
        },
      ]

      environment = [
        for name, value in merge(var.environment, { PORT = tostring(var.container_port) }) :
        { name = name, value = value }
      ]

      secrets = concat(
        [{ name = "DB_PASSWORD", valueFrom = "${var.db_secret_arn}:password::" }],
        [
          for i, parameter in aws_ssm_parameter.setting :
          { name = local.setting_variables[i], valueFrom = "${local.parameter_arn_prefix}${parameter.name}" }
        ],
      )

      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.this.name
          "awslogs-stream-prefix" = var.name
          "awslogs-region"        = var.region
        }
      }
    },
  ])
}

resource "aws_security_group" "service" {
  name        = "${local.full_name}-service"
  description = "${var.name} service tasks"
  vpc_id      = var.vpc_id

  egress {
    description = "Allow all outbound traffic by default"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_alb" {
  security_group_id            = aws_security_group.service.id
  description                  = "HTTP from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = var.alb_security_group_id
}

resource "aws_ecs_service" "this" {
  name            = local.full_name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 60
  enable_ecs_managed_tags            = false

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.service.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = var.name
    container_port   = var.container_port
  }

  # The target group must be attached to the load balancer first.
  depends_on = [aws_lb_listener_rule.this]
}

# --- Routing ------------------------------------------------------------------

resource "aws_lb_target_group" "this" {
  name                 = local.full_name
  port                 = var.container_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = "30"

  health_check {
    path                = "/health"
    interval            = 30
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
    matcher             = "200"
  }
}

resource "aws_lb_listener_rule" "this" {
  listener_arn = var.listener_arn
  priority     = var.listener_priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  condition {
    path_pattern {
      values = var.path_patterns
    }
  }
}
