# The reporting VPC of the analytics team, peered with the shop VPC. Its
# route table sends the shop's app subnets (10.20.10.0/23) through the
# peering; the shop's side is in routing_app.tf.

resource "aws_vpc" "reporting" {
  cidr_block           = "10.30.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "reporting" }
}

resource "aws_subnet" "reporting" {
  vpc_id            = aws_vpc.reporting.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.30.1.0/24"
  tags              = { Name = "reporting-a" }
}

resource "aws_vpc_peering_connection" "shop_reporting" {
  vpc_id      = aws_vpc.shop.id
  peer_vpc_id = aws_vpc.reporting.id
  auto_accept = true
  tags        = { Name = "shop-reporting" }
}

resource "aws_route_table" "reporting" {
  vpc_id = aws_vpc.reporting.id

  route {
    cidr_block                = "10.20.10.0/23"
    vpc_peering_connection_id = aws_vpc_peering_connection.shop_reporting.id
  }

  tags = { Name = "reporting" }
}

resource "aws_route_table_association" "reporting" {
  subnet_id      = aws_subnet.reporting.id
  route_table_id = aws_route_table.reporting.id
}

resource "aws_security_group" "reporting" {
  name        = "reporting"
  description = "Report collector"
  vpc_id      = aws_vpc.reporting.id

  ingress {
    description = "Reports pushed by the shop app servers"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.20.10.0/23"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "reporting" }
}

resource "aws_instance" "reporting" {
  ami                    = local.ami
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.reporting.id
  vpc_security_group_ids = [aws_security_group.reporting.id]
  tags                   = { Name = "reporting" }
}
