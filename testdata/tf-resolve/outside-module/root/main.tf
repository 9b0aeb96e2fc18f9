# A root module that calls a module outside its folder, as a repository
# with `live/` and `modules/` side by side does: the copy that is planned
# must hold the module where `../modules/queue` finds it.
module "queue" {
  source = "../modules/queue"
  name   = "orders"
}

resource "aws_iam_role" "reader" {
  name = "reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "reader" {
  name = "read-orders"
  role = aws_iam_role.reader.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
      Resource = module.queue.arn
    }]
  })
}
