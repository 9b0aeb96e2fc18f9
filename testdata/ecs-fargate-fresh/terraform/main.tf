# API service on ECS Fargate behind an ALB, with an EFS volume, in an existing VPC:
# the ecs-fargate workload, except that this configuration creates the secrets
# it passes to the container too. Nothing it references exists yet, so a plain
# plan knows neither the container definitions nor the IAM policies.
# ../cdk describes the same stack (`cdk synth -c inSync=true` matches this file).

locals {
  # Private subnets keyed by availability zone.
  private_subnets = zipmap(var.availability_zones, var.private_subnet_ids)
}

# --- Secrets ----------------------------------------------------------------

# The database credentials (JSON: username, password); the value is set out
# of band.
resource "aws_secretsmanager_secret" "db" {
  name        = "api/db"
  description = "api database credentials"
}

# The API token; the value is set out of band, over this one.
resource "aws_ssm_parameter" "api_token" {
  name  = "/api/token"
  type  = "SecureString"
  value = var.api_token_initial_value

  lifecycle {
    ignore_changes = [value]
  }
}

# --- Cluster and logs -------------------------------------------------------

resource "aws_ecs_cluster" "api" {
  name = "api-cluster"
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/ecs/api"
  retention_in_days = 30
}

# --- Security groups --------------------------------------------------------

resource "aws_security_group" "alb" {
  name        = "api-alb"
  description = "api load balancer"
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

resource "aws_security_group" "service" {
  name        = "api-service"
  description = "api service tasks"
  vpc_id      = var.vpc_id

  egress {
    description = "Allow all outbound traffic by default"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "service_from_alb" {
  security_group_id            = aws_security_group.service.id
  description                  = "HTTP from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_security_group" "efs" {
  name        = "api-efs"
  description = "api file system mount targets"
  vpc_id      = var.vpc_id

  egress {
    description = "Allow all outbound traffic by default"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "efs_from_service" {
  security_group_id            = aws_security_group.efs.id
  description                  = "NFS from the service"
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
  referenced_security_group_id = aws_security_group.service.id
}

# --- File system ------------------------------------------------------------

resource "aws_efs_file_system" "data" {
  encrypted        = true
  performance_mode = "generalPurpose"
  throughput_mode  = "bursting"

  lifecycle_policy {
    transition_to_ia = "AFTER_30_DAYS"
  }

  tags = {
    Name = "api-data"
  }
}

# Deny anonymous access: clients must mount through a mount target.
resource "aws_efs_file_system_policy" "data" {
  file_system_id = aws_efs_file_system.data.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action = [
          "elasticfilesystem:ClientRootAccess",
          "elasticfilesystem:ClientWrite",
        ]
        Condition = {
          Bool = { "elasticfilesystem:AccessedViaMountTarget" = "true" }
        }
      },
    ]
  })
}

resource "aws_efs_mount_target" "data" {
  for_each = local.private_subnets

  file_system_id  = aws_efs_file_system.data.id
  subnet_id       = each.value
  security_groups = [aws_security_group.efs.id]
}

resource "aws_efs_access_point" "data" {
  file_system_id = aws_efs_file_system.data.id

  posix_user {
    uid = 1000
    gid = 1000
  }

  root_directory {
    path = "/data"

    creation_info {
      owner_uid   = 1000
      owner_gid   = 1000
      permissions = "755"
    }
  }

  tags = {
    Name = "api-data"
  }
}

# --- IAM --------------------------------------------------------------------

resource "aws_iam_role" "execution" {
  name = "api-execution"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Action    = "sts:AssumeRole"
        Effect    = "Allow"
        Principal = { Service = "ecs-tasks.amazonaws.com" }
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

# Pull the secrets into the container and write its logs.
resource "aws_iam_role_policy" "execution" {
  name = "api-execution"
  role = aws_iam_role.execution.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Action = [
          "logs:CreateLogStream",
          "logs:PutLogEvents",
        ]
        Effect   = "Allow"
        Resource = "${aws_cloudwatch_log_group.api.arn}:*"
      },
      {
        Action = [
          "secretsmanager:DescribeSecret",
          "secretsmanager:GetSecretValue",
        ]
        Effect   = "Allow"
        Resource = aws_secretsmanager_secret.db.arn
      },
      {
        Action = [
          "ssm:DescribeParameters",
          "ssm:GetParameter",
          "ssm:GetParameterHistory",
          "ssm:GetParameters",
        ]
        Effect   = "Allow"
        Resource = aws_ssm_parameter.api_token.arn
      },
    ]
  })
}

resource "aws_iam_role" "task" {
  name = "api-task"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Action    = "sts:AssumeRole"
        Effect    = "Allow"
        Principal = { Service = "ecs-tasks.amazonaws.com" }
      },
    ]
  })
}

# Mount the file system read-write, through the access point only.
resource "aws_iam_role_policy" "task" {
  name = "api-task"
  role = aws_iam_role.task.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Action = [
          "elasticfilesystem:ClientMount",
          "elasticfilesystem:ClientWrite",
        ]
        Condition = {
          StringEquals = { "elasticfilesystem:AccessPointArn" = aws_efs_access_point.data.arn }
        }
        Effect   = "Allow"
        Resource = aws_efs_file_system.data.arn
      },
    ]
  })
}

# --- Task definition --------------------------------------------------------

resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  volume {
    name = "data"

    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.data.id
      transit_encryption = "ENABLED"

      authorization_config {
        access_point_id = aws_efs_access_point.data.id
        iam             = "ENABLED"
      }
    }
  }

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = var.image
      essential = true

      portMappings = [
        {
          containerPort = var.container_port
          protocol      = "tcp"
        },
      ]

      environment = [
        { name = "APP_ENV", value = "production" },
        { name = "LOG_LEVEL", value = "info" },
        { name = "PORT", value = tostring(var.container_port) },
        { name = "DATA_DIR", value = "/mnt/data" },
        { name = "CACHE_TTL_SECONDS", value = "300" },
        { name = "FEATURE_SEARCH", value = "enabled" },
        { name = "ALLOWED_ORIGINS", value = "https://app.example.com" },
      ]

      secrets = [
        { name = "DB_USERNAME", valueFrom = "${aws_secretsmanager_secret.db.arn}:username::" },
        { name = "API_TOKEN", valueFrom = aws_ssm_parameter.api_token.arn },
      ]

      mountPoints = [
        {
          sourceVolume  = "data"
          containerPath = "/mnt/data"
          readOnly      = false
        },
      ]

      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.api.name
          "awslogs-stream-prefix" = "api"
          "awslogs-region"        = var.region
        }
      }
    },
  ])
}

# --- Load balancer ----------------------------------------------------------

resource "aws_lb" "api" {
  name                       = "api-alb"
  internal                   = false
  load_balancer_type         = "application"
  security_groups            = [aws_security_group.alb.id]
  subnets                    = var.public_subnet_ids
  enable_deletion_protection = false
}

resource "aws_lb_target_group" "api" {
  name                 = "api-tg"
  port                 = var.container_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = "60"

  health_check {
    path                = "/health"
    interval            = 30
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
    matcher             = "200"
  }

  stickiness {
    type    = "lb_cookie"
    enabled = false
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.api.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

# --- Service ----------------------------------------------------------------

resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = aws_ecs_cluster.api.id
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 2
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
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.service.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = "api"
    container_port   = var.container_port
  }

  # The target group must be attached to the load balancer first.
  depends_on = [aws_lb_listener.http]
}
