# Database subnets: inline rules. The public tier must never talk to the
# databases directly (rule 50), the rest of the VPC may.
resource "aws_network_acl" "db" {
  vpc_id     = aws_vpc.shop.id
  subnet_ids = [for s in aws_subnet.db : s.id]

  ingress {
    rule_no    = 50
    action     = "deny"
    protocol   = "tcp"
    cidr_block = "10.20.0.0/23"
    from_port  = 5432
    to_port    = 5432
  }
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "10.20.0.0/16"
    from_port  = 5432
    to_port    = 5432
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "10.20.0.0/16"
    from_port  = 1024
    to_port    = 65535
  }

  tags = { Name = "shop-db" }
}
