locals {
  letter = [for z in var.zones : substr(z, -1, 1)]
  tiers = {
    public   = { netnum = 0, newbits = 8, public = true }
    services = { netnum = 10, newbits = 8, public = false }
    tgw      = { netnum = 4080, newbits = 12, public = false }
  }
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = var.name, Environment = "shared" }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-igw" }
}

resource "aws_subnet" "public" {
  count                   = length(var.zones)
  vpc_id                  = aws_vpc.this.id
  availability_zone       = var.zones[count.index]
  cidr_block              = cidrsubnet(var.cidr, local.tiers.public.newbits, local.tiers.public.netnum + count.index)
  map_public_ip_on_launch = true
  tags                    = { Name = "${var.name}-public-${local.letter[count.index]}", Tier = "public" }
}

resource "aws_subnet" "services" {
  count             = length(var.zones)
  vpc_id            = aws_vpc.this.id
  availability_zone = var.zones[count.index]
  cidr_block        = cidrsubnet(var.cidr, local.tiers.services.newbits, local.tiers.services.netnum + count.index)
  tags              = { Name = "${var.name}-services-${local.letter[count.index]}", Tier = "services" }
}

resource "aws_subnet" "tgw" {
  count             = length(var.zones)
  vpc_id            = aws_vpc.this.id
  availability_zone = var.zones[count.index]
  cidr_block        = cidrsubnet(var.cidr, local.tiers.tgw.newbits, local.tiers.tgw.netnum + count.index)
  tags              = { Name = "${var.name}-tgw-${local.letter[count.index]}", Tier = "tgw" }
}

resource "aws_eip" "nat" {
  domain     = "vpc"
  tags       = { Name = "${var.name}-nat" }
  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "egress" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public[0].id
  tags          = { Name = "${var.name}-nat" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "this" {
  transit_gateway_id     = var.transit_gateway_id
  vpc_id                 = aws_vpc.this.id
  subnet_ids             = aws_subnet.tgw[*].id
  appliance_mode_support = "enable"

  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false

  tags = { Name = var.name }
}
