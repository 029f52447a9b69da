# A function in the VPC: AWS gives it interfaces in the app subnets with
# the lambda group.
resource "aws_iam_role" "thumbnails" {
  name = "web-platform-thumbnails"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "thumbnails_vpc" {
  role       = aws_iam_role.thumbnails.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_lambda_function" "thumbnails" {
  function_name = "web-platform-thumbnails"
  role          = aws_iam_role.thumbnails.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  s3_bucket     = "web-platform-artifacts-123456789012"
  s3_key        = "thumbnails/1.4.2.zip"
  memory_size   = 512
  timeout       = 30

  vpc_config {
    subnet_ids         = [for s in aws_subnet.app : s.id]
    security_group_ids = [aws_security_group.lambda.id]
  }

  depends_on = [aws_iam_role_policy_attachment.thumbnails_vpc]
}
