# One VPC over two zones: public subnets for the internet-facing load
# balancers, the NAT gateway, the RDP jump hosts and the reporting database;
# app subnets for instances, Auto Scaling groups, the Lambda function and the
# SSM endpoint; lb subnets for the internal load balancer; data subnets for
# the orders database.

locals {
  zones = {
    a = "us-east-1a"
    b = "us-east-1b"
  }
}

resource "aws_vpc" "main" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "web-platform" }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "web-platform" }
}

resource "aws_subnet" "public" {
  for_each                = local.zones
  vpc_id                  = aws_vpc.main.id
  availability_zone       = each.value
  cidr_block              = cidrsubnet("10.40.0.0/16", 8, index(keys(local.zones), each.key))
  map_public_ip_on_launch = true
  tags                    = { Name = "web-platform-public-${each.key}", Tier = "public" }
}

resource "aws_subnet" "app" {
  for_each          = local.zones
  vpc_id            = aws_vpc.main.id
  availability_zone = each.value
  cidr_block        = cidrsubnet("10.40.0.0/16", 8, 10 + index(keys(local.zones), each.key))
  tags              = { Name = "web-platform-app-${each.key}", Tier = "app" }
}

resource "aws_subnet" "lb" {
  for_each          = local.zones
  vpc_id            = aws_vpc.main.id
  availability_zone = each.value
  cidr_block        = cidrsubnet("10.40.0.0/16", 8, 30 + index(keys(local.zones), each.key))
  tags              = { Name = "web-platform-lb-${each.key}", Tier = "lb" }
}

resource "aws_subnet" "data" {
  for_each          = local.zones
  vpc_id            = aws_vpc.main.id
  availability_zone = each.value
  cidr_block        = cidrsubnet("10.40.0.0/16", 8, 20 + index(keys(local.zones), each.key))
  tags              = { Name = "web-platform-data-${each.key}", Tier = "data" }
}

resource "aws_eip" "nat" {
  domain     = "vpc"
  tags       = { Name = "web-platform-nat" }
  depends_on = [aws_internet_gateway.main]
}

resource "aws_nat_gateway" "main" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public["a"].id
  tags          = { Name = "web-platform-nat" }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }

  tags = { Name = "web-platform-public" }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "web-platform-private" }
}

resource "aws_route" "private_default" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.main.id
}

resource "aws_route_table" "data" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "web-platform-data" }
}

resource "aws_route_table_association" "public" {
  for_each       = aws_subnet.public
  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "app" {
  for_each       = aws_subnet.app
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "lb" {
  for_each       = aws_subnet.lb
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "data" {
  for_each       = aws_subnet.data
  subnet_id      = each.value.id
  route_table_id = aws_route_table.data.id
}

# The public and lb subnets keep the VPC's default network ACL (allow all).
# The app subnets' ACL admits the application port from inside the VPC,
# syslog from anywhere (the network load balancer passes the clients'
# addresses through) and replies; it never admits the internal load
# balancer's health-check port, 8081.
resource "aws_network_acl" "app" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [for s in aws_subnet.app : s.id]

  ingress {
    rule_no    = 90
    action     = "deny"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "10.40.0.0/16"
    from_port  = 8080
    to_port    = 8080
  }
  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 6514
    to_port    = 6514
  }
  ingress {
    rule_no    = 120
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "10.40.0.0/16"
    from_port  = 80
    to_port    = 80
  }
  ingress {
    rule_no    = 130
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "10.40.0.0/16"
    from_port  = 443
    to_port    = 443
  }
  ingress {
    rule_no    = 140
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 65535
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  tags = { Name = "web-platform-app" }
}

resource "aws_network_acl" "data" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "web-platform-data" }
}

resource "aws_network_acl_association" "data" {
  for_each       = aws_subnet.data
  network_acl_id = aws_network_acl.data.id
  subnet_id      = each.value.id
}

resource "aws_network_acl_rule" "data_in_postgres" {
  network_acl_id = aws_network_acl.data.id
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "10.40.10.0/23"
  from_port      = 5432
  to_port        = 5432
}

resource "aws_network_acl_rule" "data_out_replies" {
  network_acl_id = aws_network_acl.data.id
  rule_number    = 100
  egress         = true
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "10.40.10.0/23"
  from_port      = 1024
  to_port        = 65535
}

# S3 through a gateway endpoint for the app subnets, SSM through an
# interface endpoint.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
  tags              = { Name = "web-platform-s3" }
}

resource "aws_vpc_endpoint" "ssm" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [for s in aws_subnet.app : s.id]
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
  tags                = { Name = "web-platform-ssm" }
}

resource "aws_ec2_managed_prefix_list" "office" {
  name           = "office-egress"
  address_family = "IPv4"
  max_entries    = 5

  entry {
    cidr        = "198.51.100.0/24"
    description = "Head office"
  }
  entry {
    cidr        = "203.0.113.0/24"
    description = "Branch office"
  }

  tags = { Name = "office-egress" }
}
