resource "aws_security_group" "batch" {
  name        = "shop-batch"
  description = "Batch workers"
  vpc_id      = aws_vpc.shop.id

  ingress {
    description = "Payment provider webhooks"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "shop-batch" }
}
