variable "name" {
  type = string
}

# Not declared sensitive: the value passed in is, and stays so.
variable "value" {
  type = string
}

resource "aws_ssm_parameter" "this" {
  name  = var.name
  type  = "SecureString"
  value = var.value
}
