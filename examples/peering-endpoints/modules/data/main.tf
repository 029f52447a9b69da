# The orders database, reachable only over peerings.
variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

variable "zones" {
  type = list(string)
}

variable "s3_prefix_list" {
  description = "The S3 prefix list, for backups."
  type        = string
}

variable "analytics_cidr" {
  type = string
}


resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = var.name }
}

resource "aws_subnet" "db" {
  count             = length(var.zones)
  vpc_id            = aws_vpc.this.id
  availability_zone = var.zones[count.index]
  cidr_block        = cidrsubnet(var.cidr, 8, count.index)
  tags              = { Name = "${var.name}-db-${substr(var.zones[count.index], -1, 1)}" }
}

resource "aws_route_table" "db" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-db" }
}

resource "aws_route_table_association" "db" {
  count          = length(var.zones)
  subnet_id      = aws_subnet.db[count.index].id
  route_table_id = aws_route_table.db.id
}

resource "aws_security_group" "db" {
  name        = "${var.name}-db"
  description = "Orders PostgreSQL"
  vpc_id      = aws_vpc.this.id
  tags        = { Name = "${var.name}-db" }
}

resource "aws_vpc_security_group_ingress_rule" "analytics" {
  security_group_id = aws_security_group.db.id
  description       = "PostgreSQL from analytics"
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = var.analytics_cidr
}

resource "aws_vpc_security_group_ingress_rule" "replication_in" {
  security_group_id            = aws_security_group.db.id
  description                  = "Replication"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.db.id
}

resource "aws_vpc_security_group_egress_rule" "replication_out" {
  security_group_id            = aws_security_group.db.id
  description                  = "Replication"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.db.id
}

resource "aws_vpc_security_group_egress_rule" "backups" {
  security_group_id = aws_security_group.db.id
  description       = "Backups to S3"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = var.s3_prefix_list
}

resource "aws_instance" "db" {
  count                  = length(var.zones)
  ami                    = "ami-0ae8f15ae66fe8cda"
  instance_type          = "r6i.large"
  subnet_id              = aws_subnet.db[count.index].id
  private_ip             = cidrhost(aws_subnet.db[count.index].cidr_block, [55, 140][count.index])
  vpc_security_group_ids = [aws_security_group.db.id]

  root_block_device {
    volume_size = 500
  }

  tags = { Name = "orders-db-${count.index + 1}", Role = "postgresql" }
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "route_table_id" {
  value = aws_route_table.db.id
}

output "security_group_id" {
  value = aws_security_group.db.id
}
