provider "aws" { region = "eu-west-1" }
resource "aws_vpc" "v" {
  cidr_block        = "10.0.0.0/16"
  ipv6_cidr_block   = "2600:1f18:1234:5600::/56"
  ipv6_ipam_pool_id = "ipam-pool-0123456789abcdef0"
}
resource "aws_subnet" "s" {
  vpc_id                          = aws_vpc.v.id
  ipv6_native                     = true
  ipv6_cidr_block                 = "2600:1f18:1234:5601::/64"
  assign_ipv6_address_on_creation = true
}
