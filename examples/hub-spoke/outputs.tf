output "transit_gateway_id" {
  value = aws_ec2_transit_gateway.hub.id
}

output "vpn_tunnel_addresses" {
  value = [aws_vpn_connection.onprem.tunnel1_address, aws_vpn_connection.onprem.tunnel2_address]
}

output "directory_dns_servers" {
  value = module.shared.directory_ips
}
