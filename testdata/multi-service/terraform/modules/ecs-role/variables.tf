variable "name" {
  description = "Name of the role and of its inline policy."
  type        = string
}

variable "policy" {
  description = "Inline policy document (JSON)."
  type        = string
}

variable "managed_policy_arns" {
  description = "Managed policies attached to the role."
  type        = list(string)
  default     = []
}
