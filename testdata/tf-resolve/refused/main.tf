resource "aws_sns_topic" "events" {
  name = "events"
}

resource "aws_sqs_queue" "events" {
  name = "events"
}

# A log group's name allows no `:`: the placeholder of the topic's ID is
# refused, and the topic stays unknown.
resource "aws_cloudwatch_log_group" "events" {
  name = "/events/${aws_sns_topic.events.id}"
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
