# The site-to-site VPN, static routing, terminated on the hub.
resource "aws_customer_gateway" "onprem" {
  bgp_asn     = 65010
  ip_address  = "203.0.113.12"
  type        = "ipsec.1"
  device_name = "edge-fw-01"
  tags        = { Name = "onprem-dc1" }
}

resource "aws_vpn_connection" "onprem" {
  customer_gateway_id      = aws_customer_gateway.onprem.id
  transit_gateway_id       = aws_ec2_transit_gateway.hub.id
  type                     = "ipsec.1"
  static_routes_only       = true
  local_ipv4_network_cidr  = "10.0.0.0/8"
  remote_ipv4_network_cidr = var.onprem_cidr
  tags                     = { Name = "onprem-dc1" }
}
