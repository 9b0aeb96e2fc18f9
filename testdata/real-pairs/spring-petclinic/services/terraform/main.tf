locals {
  region = "us-east-1"
  name   = "petclinic"
  azs    = ["us-east-1a", "us-east-1b"]

  vpc_cidr = "10.20.0.0/16"

  image_repository = "springcommunity"

  # One entry per service of the Spring PetClinic microservices
  # (docker-compose.yml of spring-petclinic-microservices): the key is the
  # compose service name, which the service module uses for the ECS service,
  # the task family, the container and its log group.
  services = {
    config-server = {
      image   = "${local.image_repository}/spring-petclinic-config-server:latest"
      port    = 8888
      cpu     = 512
      memory  = 1024
      health  = "/actuator/health"
      profile = true
    }
    discovery-server = {
      image   = "${local.image_repository}/spring-petclinic-discovery-server:latest"
      port    = 8761
      cpu     = 512
      memory  = 1024
      health  = "/actuator/health"
      profile = true
    }
    customers-service = {
      image   = "${local.image_repository}/spring-petclinic-customers-service:latest"
      port    = 8081
      cpu     = 512
      memory  = 1024
      health  = "/actuator/health"
      profile = true
    }
    visits-service = {
      image         = "${local.image_repository}/spring-petclinic-visits-service:latest"
      port          = 8082
      cpu           = 512
      memory        = 1024
      health        = "/actuator/health"
      profile       = true
      desired_count = 2
    }
    vets-service = {
      image   = "${local.image_repository}/spring-petclinic-vets-service:latest"
      port    = 8083
      cpu     = 512
      memory  = 1024
      health  = "/actuator/health"
      profile = true
    }
    genai-service = {
      image      = "${local.image_repository}/spring-petclinic-genai-service:latest"
      port       = 8084
      cpu        = 512
      memory     = 1024
      health     = "/actuator/health"
      profile    = true
      openai_key = true
    }
    api-gateway = {
      image        = "${local.image_repository}/spring-petclinic-api-gateway:latest"
      port         = 8080
      cpu          = 512
      memory       = 1024
      health       = "/actuator/health"
      profile      = true
      target_group = "api-gateway"
      grace_period = 60
      min_capacity = 2
    }
    admin-server = {
      image        = "${local.image_repository}/spring-petclinic-admin-server:latest"
      port         = 9090
      cpu          = 512
      memory       = 1024
      health       = "/actuator/health"
      profile      = true
      target_group = "admin"
    }
    tracing-server = {
      image        = "openzipkin/zipkin:3"
      port         = 9411
      cpu          = 256
      memory       = 1024
      health       = "/health"
      target_group = "zipkin"
    }
    grafana-server = {
      image        = "grafana/grafana:11.4.0"
      port         = 3000
      cpu          = 256
      memory       = 512
      health       = "/api/health"
      target_group = "grafana"
      efs = {
        access_point = "grafana"
        path         = "/var/lib/grafana"
      }
    }
    prometheus-server = {
      image  = "prom/prometheus:v3.1.0"
      port   = 9090
      cpu    = 256
      memory = 512
      health = "/-/healthy"
      efs = {
        access_point = "prometheus"
        path         = "/prometheus"
      }
    }
  }

  spring_services = { for k, v in local.services : k => v if try(v.profile, false) }
}
