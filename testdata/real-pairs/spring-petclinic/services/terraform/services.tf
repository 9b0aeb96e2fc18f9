resource "aws_secretsmanager_secret" "openai_api_key" {
  name        = "${local.name}/openai-api-key"
  description = "OpenAI API key of the genai service"
}

resource "aws_ssm_parameter" "spring_profiles" {
  for_each = local.spring_services

  name  = "/${local.name}/${each.key}/spring-profiles-active"
  type  = "String"
  value = "docker,aws"
}

module "service" {
  source   = "./modules/ecs/modules/service"
  for_each = local.services

  name        = "${local.name}-${each.key}"
  cluster_arn = module.ecs_cluster.arn

  cpu    = each.value.cpu
  memory = each.value.memory

  desired_count                     = try(each.value.desired_count, 1)
  autoscaling_min_capacity          = try(each.value.min_capacity, 1)
  autoscaling_max_capacity          = 4
  health_check_grace_period_seconds = try(each.value.grace_period, null)
  enable_execute_command            = true

  container_definitions = {
    (each.key) = {
      cpu       = each.value.cpu
      memory    = each.value.memory
      essential = true
      image     = each.value.image

      port_mappings = [{
        name          = each.key
        containerPort = each.value.port
        hostPort      = each.value.port
        protocol      = "tcp"
      }]

      readonly_root_filesystem = false

      environment = concat(
        [{ name = "SERVICE_NAME", value = each.key }],
        try(each.value.profile, false) ? [
          { name = "CONFIG_SERVER_URL", value = "http://config-server:8888" },
          { name = "DISCOVERY_SERVER_URL", value = "http://discovery-server:8761/eureka" },
        ] : [],
      )

      secrets = concat(
        try(each.value.profile, false) ? [
          { name = "SPRING_PROFILES_ACTIVE", valueFrom = aws_ssm_parameter.spring_profiles[each.key].arn },
        ] : [],
        try(each.value.openai_key, false) ? [
          { name = "OPENAI_API_KEY", valueFrom = aws_secretsmanager_secret.openai_api_key.arn },
        ] : [],
      )

      mount_points = try(each.value.efs, null) != null ? [{
        sourceVolume  = "data"
        containerPath = each.value.efs.path
        readOnly      = false
      }] : []

      cloudwatch_log_group_retention_in_days = 14
    }
  }

  volume = try(each.value.efs, null) != null ? {
    data = {
      efs_volume_configuration = {
        file_system_id     = module.efs.id
        transit_encryption = "ENABLED"
        authorization_config = {
          access_point_id = module.efs.access_points[each.value.efs.access_point].id
          iam             = "ENABLED"
        }
      }
    }
  } : {}

  service_connect_configuration = {
    namespace = aws_service_discovery_http_namespace.this.arn
    service = {
      client_alias = {
        port     = each.value.port
        dns_name = each.key
      }
      port_name      = each.key
      discovery_name = each.key
    }
  }

  load_balancer = try(each.value.target_group, null) != null ? {
    service = {
      target_group_arn = module.alb.target_groups[each.value.target_group].arn
      container_name   = each.key
      container_port   = each.value.port
    }
  } : {}

  subnet_ids = module.vpc.private_subnets
  vpc_id     = module.vpc.vpc_id

  security_group_rules = merge(
    {
      vpc_ingress = {
        type        = "ingress"
        from_port   = each.value.port
        to_port     = each.value.port
        protocol    = "tcp"
        description = "Service port from the VPC"
        cidr_blocks = [local.vpc_cidr]
      }
      egress_all = {
        type        = "egress"
        from_port   = 0
        to_port     = 0
        protocol    = "-1"
        cidr_blocks = ["0.0.0.0/0"]
      }
    },
  )

  tasks_iam_role_statements = try(each.value.efs, null) != null ? [{
    actions   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
    resources = [module.efs.arn]
  }] : []

  tags = {
    service = each.key
  }
}
