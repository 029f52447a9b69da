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

# app-b hosts the batch worker that receives the payment provider's
# webhooks: it goes straight to the internet gateway.
resource "aws_route_table_association" "app" {
  for_each       = aws_subnet.app
  subnet_id      = each.value.id
  route_table_id = each.key == "b" ? aws_route_table.public.id : aws_route_table.private.id
}
