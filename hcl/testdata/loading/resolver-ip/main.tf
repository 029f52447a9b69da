provider "aws" { region = "eu-west-1" }
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_security_group" "dns" { vpc_id = aws_vpc.v.id }
resource "aws_route53_resolver_endpoint" "in" {
  direction          = "INBOUND"
  security_group_ids = [aws_security_group.dns.id]
  ip_address { subnet_id = aws_subnet.a.id }
  ip_address { subnet_id = aws_subnet.a.id }
}
resource "aws_security_group" "app" {
  vpc_id = aws_vpc.v.id
  egress {
    protocol    = "udp"
    from_port   = 53
    to_port     = 53
    cidr_blocks = [for ip in aws_route53_resolver_endpoint.in.ip_address[*].ip : "${ip}/32"]
  }
}
