data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  zones = slice(data.aws_availability_zones.available.names, 0, var.zone_count)

  # Each tier takes /24 blocks from its own offset of the VPC block, one per
  # zone: public 10.0.0.0/24, 10.0.1.0/24; app 10.0.10.0/24…; db 10.0.20.0/24…
  tiers = {
    public = { offset = 0, public = true }
    app    = { offset = 10, public = false }
    db     = { offset = 20, public = false }
  }
  subnets = {
    for pair in setproduct(keys(local.tiers), local.zones) : "${pair[0]}/${pair[1]}" => {
      tier = pair[0]
      zone = pair[1]
      cidr = cidrsubnet(var.cidr, 8, local.tiers[pair[0]].offset + index(local.zones, pair[1]))
    }
  }
  zone_suffix = { for z in local.zones : z => substr(z, -1, 1) }
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = var.name }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-igw" }
}

resource "aws_subnet" "public" {
  for_each                = toset(local.zones)
  vpc_id                  = aws_vpc.this.id
  availability_zone       = each.key
  cidr_block              = local.subnets["public/${each.key}"].cidr
  map_public_ip_on_launch = true
  tags                    = { Name = "${var.name}-public-${local.zone_suffix[each.key]}", Tier = "public" }
}

resource "aws_subnet" "app" {
  for_each          = toset(local.zones)
  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = local.subnets["app/${each.key}"].cidr
  tags              = { Name = "${var.name}-app-${local.zone_suffix[each.key]}", Tier = "app" }
}

resource "aws_subnet" "db" {
  for_each          = toset(local.zones)
  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = local.subnets["db/${each.key}"].cidr
  tags              = { Name = "${var.name}-db-${local.zone_suffix[each.key]}", Tier = "db" }
}

# One NAT gateway per zone, so that losing a zone does not cut the other
# zone's app servers off the internet.
resource "aws_eip" "nat" {
  for_each   = toset(local.zones)
  domain     = "vpc"
  tags       = { Name = "${var.name}-nat-${local.zone_suffix[each.key]}" }
  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  for_each      = toset(local.zones)
  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.public[each.key].id
  tags          = { Name = "${var.name}-nat-${local.zone_suffix[each.key]}" }
}
