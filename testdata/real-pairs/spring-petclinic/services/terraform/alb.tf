module "alb" {
  source = "./modules/alb"

  name               = local.name
  load_balancer_type = "application"
  vpc_id             = module.vpc.vpc_id
  subnets            = module.vpc.public_subnets

  enable_deletion_protection = false

  security_group_ingress_rules = {
    http = {
      from_port   = 80
      to_port     = 80
      ip_protocol = "tcp"
      cidr_ipv4   = "0.0.0.0/0"
    }
  }
  security_group_egress_rules = {
    vpc = {
      ip_protocol = "-1"
      cidr_ipv4   = module.vpc.vpc_cidr_block
    }
  }

  listeners = {
    http = {
      port     = 80
      protocol = "HTTP"

      forward = {
        target_group_key = "api-gateway"
      }

      rules = {
        admin = {
          priority = 10
          actions  = [{ type = "forward", target_group_key = "admin" }]
          conditions = [{
            path_pattern = { values = ["/admin", "/admin/*"] }
          }]
        }
        zipkin = {
          priority = 20
          actions  = [{ type = "forward", target_group_key = "zipkin" }]
          conditions = [{
            path_pattern = { values = ["/zipkin", "/zipkin/*"] }
          }]
        }
        grafana = {
          priority = 30
          actions  = [{ type = "forward", target_group_key = "grafana" }]
          conditions = [{
            path_pattern = { values = ["/grafana", "/grafana/*"] }
          }]
        }
      }
    }
  }

  target_groups = {
    for service, config in local.services : config.target_group => {
      name_prefix          = "pc-"
      backend_protocol     = "HTTP"
      backend_port         = config.port
      target_type          = "ip"
      deregistration_delay = 30
      create_attachment    = false

      health_check = {
        enabled             = true
        path                = config.health
        port                = "traffic-port"
        protocol            = "HTTP"
        matcher             = "200"
        interval            = 30
        timeout             = 5
        healthy_threshold   = 3
        unhealthy_threshold = 3
      }
    } if try(config.target_group, null) != null
  }
}
