resource "aws_vpc_peering_connection" "app_data" {
  vpc_id      = module.app.vpc_id
  peer_vpc_id = module.data.vpc_id
  auto_accept = true
  tags        = { Name = "orders-app-to-data" }
}

# data -> analytics is requested by data and accepted with a separate
# resource, the way the analytics team's account would (here the same
# account).
resource "aws_vpc_peering_connection" "data_analytics" {
  vpc_id      = module.data.vpc_id
  peer_vpc_id = module.analytics.vpc_id
  tags        = { Name = "orders-data-to-analytics" }
}

resource "aws_vpc_peering_connection_accepter" "data_analytics" {
  vpc_peering_connection_id = aws_vpc_peering_connection.data_analytics.id
  auto_accept               = true
  tags                      = { Name = "orders-data-to-analytics", Side = "accepter" }
}

resource "aws_route" "app_to_data" {
  route_table_id            = module.app.route_table_id
  destination_cidr_block    = var.cidrs.data
  vpc_peering_connection_id = aws_vpc_peering_connection.app_data.id
}

resource "aws_route" "data_to_app" {
  for_each                  = var.app_cidrs_for_data
  route_table_id            = module.data.route_table_id
  destination_cidr_block    = each.key
  vpc_peering_connection_id = aws_vpc_peering_connection.app_data.id
}

resource "aws_route" "data_to_analytics" {
  route_table_id            = module.data.route_table_id
  destination_cidr_block    = var.cidrs.analytics
  vpc_peering_connection_id = aws_vpc_peering_connection.data_analytics.id
}

resource "aws_route" "analytics_to_data" {
  route_table_id            = module.analytics.route_table_id
  destination_cidr_block    = var.cidrs.data
  vpc_peering_connection_id = aws_vpc_peering_connection.data_analytics.id
}

# Someone hoped to reach the order service through data: peering is not
# transitive, AWS drops it.
resource "aws_route" "analytics_to_app" {
  route_table_id            = module.analytics.route_table_id
  destination_cidr_block    = var.cidrs.app
  vpc_peering_connection_id = aws_vpc_peering_connection.data_analytics.id
}

# The reference to the app group crosses the peering (same region, so AWS
# accepts it); it lives in the root module, which knows both groups.
resource "aws_vpc_security_group_ingress_rule" "data_from_app" {
  security_group_id            = module.data.security_group_id
  description                  = "PostgreSQL from the order service (peered VPC)"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = module.app.security_group_id
  depends_on                   = [aws_vpc_peering_connection.app_data]
}
