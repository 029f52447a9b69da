locals {
  # Replies to the spokes' NATed connections leave the NAT gateway's subnet
  # through the hub; spoke traffic for the internet arrives on the
  # attachment interfaces and is handed to the NAT gateway.
  routes = {
    public   = concat([{ cidr = "0.0.0.0/0", igw = true }], [for c in var.internal_cidrs : { cidr = c, tgw = true }])
    services = concat([{ cidr = "0.0.0.0/0", nat = true }], [for c in var.internal_cidrs : { cidr = c, tgw = true }])
    tgw      = [{ cidr = "0.0.0.0/0", nat = true }]
  }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  dynamic "route" {
    for_each = local.routes.public
    content {
      cidr_block         = route.value.cidr
      gateway_id         = try(route.value.igw, false) ? aws_internet_gateway.this.id : null
      transit_gateway_id = try(route.value.tgw, false) ? var.transit_gateway_id : null
    }
  }
  tags = { Name = "${var.name}-public" }
}

resource "aws_route_table" "services" {
  vpc_id = aws_vpc.this.id
  dynamic "route" {
    for_each = local.routes.services
    content {
      cidr_block         = route.value.cidr
      nat_gateway_id     = try(route.value.nat, false) ? aws_nat_gateway.egress.id : null
      transit_gateway_id = try(route.value.tgw, false) ? var.transit_gateway_id : null
    }
  }
  tags = { Name = "${var.name}-services" }
}

resource "aws_route_table" "tgw" {
  vpc_id = aws_vpc.this.id
  dynamic "route" {
    for_each = local.routes.tgw
    content {
      cidr_block     = route.value.cidr
      nat_gateway_id = aws_nat_gateway.egress.id
    }
  }
  tags = { Name = "${var.name}-tgw" }
}

resource "aws_route_table_association" "public" {
  count          = length(var.zones)
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "services" {
  count          = length(var.zones)
  subnet_id      = aws_subnet.services[count.index].id
  route_table_id = aws_route_table.services.id
}

resource "aws_route_table_association" "tgw" {
  count          = length(var.zones)
  subnet_id      = aws_subnet.tgw[count.index].id
  route_table_id = aws_route_table.tgw.id
}
