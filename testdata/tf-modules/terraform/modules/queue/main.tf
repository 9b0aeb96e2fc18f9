variable "name" {
  type = string
}

variable "role_arn" {
  type = string
}

resource "aws_sqs_queue" "this" {
  name = var.name
}

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sqs:SendMessage"
      Principal = { AWS = var.role_arn }
      Resource  = aws_sqs_queue.this.arn
    }]
  })
}

# One parameter per key: for_each over a map whose values are unknown.
resource "aws_ssm_parameter" "queue" {
  for_each = {
    url = aws_sqs_queue.this.url
    arn = aws_sqs_queue.this.arn
  }

  name  = "/queues/${var.name}/${each.key}"
  type  = "String"
  value = each.value
}

output "url" {
  value = aws_sqs_queue.this.url
}
