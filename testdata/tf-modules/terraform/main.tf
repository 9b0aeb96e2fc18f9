# Two services from one module (for_each), each with two queues from a
# nested module (count): addresses with string keys and indexes, references
# through module inputs and outputs.

resource "aws_secretsmanager_secret" "shared" {
  name = "shared"
}

module "service" {
  source   = "./modules/service"
  for_each = toset(["api", "worker"])

  name       = each.key
  secret_arn = aws_secretsmanager_secret.shared.arn
}

output "api_role_arn" {
  value = module.service["api"].role_arn
}

output "queue_urls" {
  value = { for name, service in module.service : name => service.queue_urls }
}
