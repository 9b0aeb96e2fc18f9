resource "aws_sns_topic" "events" {
  name = "events"
}

resource "aws_sqs_queue" "events" {
  name = "events"
}

resource "aws_security_group" "events" {
  name = "events"
}

# A CIDR block made from the topic's ID: neither the placeholder nor the
# same spelled as a name is a CIDR block, so terraform refuses both, and
# the topic stays unknown.
resource "aws_security_group_rule" "events" {
  type              = "ingress"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  security_group_id = aws_security_group.events.id
  cidr_blocks       = ["${aws_sns_topic.events.id}/32"]
}

# A log group's name allows no `:`: the placeholder of the role's unique
# ID is refused, and the same spelled as a name is taken.
resource "aws_cloudwatch_log_group" "reader" {
  name = "/reader/${aws_iam_role.reader.unique_id}"
}

resource "aws_sns_topic_subscription" "events" {
  topic_arn = aws_sns_topic.events.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.events.arn
}

resource "aws_iam_role" "reader" {
  name = "reader"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "reader" {
  role = aws_iam_role.reader.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sqs:ReceiveMessage", Resource = aws_sqs_queue.events.arn }]
  })
}
