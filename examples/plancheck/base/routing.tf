# Public subnets go to the internet gateway (inline route); db subnets have
# only the local route. The app subnets' table is in routing_app.tf.

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.shop.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.shop.id
  }

  tags = { Name = "shop-public" }
}

resource "aws_route_table_association" "public" {
  for_each       = aws_subnet.public
  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table" "db" {
  vpc_id = aws_vpc.shop.id
  tags   = { Name = "shop-db" }
}

resource "aws_route_table_association" "db" {
  for_each       = aws_subnet.db
  subnet_id      = each.value.id
  route_table_id = aws_route_table.db.id
}
