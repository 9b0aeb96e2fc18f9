resource "aws_sns_topic" "events" {
  name = "events"
}

# The built-in resource: its input and output have no fixed type.
resource "terraform_data" "topic" {
  input            = { arn = aws_sns_topic.events.arn, always_run = "yes" }
  triggers_replace = [aws_sns_topic.events.arn]
}

resource "aws_ssm_parameter" "topic" {
  name  = "/events/topic"
  type  = "String"
  value = terraform_data.topic.output.arn
}
