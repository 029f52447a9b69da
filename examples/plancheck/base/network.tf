# The shop VPC: public, app and db subnets in two zones, one NAT gateway.
# The reporting VPC (network of the analytics team) is peered with it in
# peering.tf.

locals {
  zones = {
    a = "us-east-1a"
    b = "us-east-1b"
  }
}

resource "aws_vpc" "shop" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "shop" }
}

resource "aws_internet_gateway" "shop" {
  vpc_id = aws_vpc.shop.id
  tags   = { Name = "shop-igw" }
}

resource "aws_subnet" "public" {
  for_each          = local.zones
  vpc_id            = aws_vpc.shop.id
  availability_zone = each.value
  cidr_block        = cidrsubnet("10.20.0.0/16", 8, index(keys(local.zones), each.key))
  tags              = { Name = "shop-public-${each.key}", Tier = "public" }
}

resource "aws_subnet" "app" {
  for_each          = local.zones
  vpc_id            = aws_vpc.shop.id
  availability_zone = each.value
  cidr_block        = cidrsubnet("10.20.0.0/16", 8, 10 + index(keys(local.zones), each.key))
  tags              = { Name = "shop-app-${each.key}", Tier = "app" }
}

resource "aws_subnet" "db" {
  for_each          = local.zones
  vpc_id            = aws_vpc.shop.id
  availability_zone = each.value
  cidr_block        = cidrsubnet("10.20.0.0/16", 8, 20 + index(keys(local.zones), each.key))
  tags              = { Name = "shop-db-${each.key}", Tier = "db" }
}

resource "aws_eip" "nat" {
  domain     = "vpc"
  tags       = { Name = "shop-nat" }
  depends_on = [aws_internet_gateway.shop]
}

resource "aws_nat_gateway" "shop" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public["a"].id
  tags          = { Name = "shop-nat" }
}
