# No egress block: Terraform removes the allow-all egress rule AWS adds.
resource "aws_security_group" "db" {
  name        = "shop-db"
  description = "PostgreSQL"
  vpc_id      = aws_vpc.shop.id

  ingress {
    description     = "PostgreSQL from the app servers"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }

  tags = { Name = "shop-db" }
}
