resource "aws_iam_role" "fn" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}
resource "aws_lambda_function" "fn" {
  function_name    = "fn"
  role             = aws_iam_role.fn.arn
  handler          = "index.handler"
  runtime          = "nodejs20.x"
  filename         = "${path.module}/.terraform/build/handler.zip"
  source_code_hash = filebase64sha256("${path.module}/.terraform/build/handler.zip")
}
