# The app subnets go out through the NAT gateway (a separate aws_route).

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.shop.id
  tags   = { Name = "shop-private" }
}

resource "aws_route" "private_default" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.shop.id
}

# The app servers answer (and push reports to) the reporting VPC.
resource "aws_route" "private_reporting" {
  route_table_id            = aws_route_table.private.id
  destination_cidr_block    = "10.30.0.0/16"
  vpc_peering_connection_id = aws_vpc_peering_connection.shop_reporting.id
}

resource "aws_route_table_association" "app" {
  for_each       = aws_subnet.app
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}
