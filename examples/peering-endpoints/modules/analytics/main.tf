# Reporting workers, peered with the data VPC only.
variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

variable "zone" {
  type = string
}

variable "data_cidr" {
  type = string
}

variable "app_cidr" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = var.name }
}

resource "aws_subnet" "main" {
  vpc_id            = aws_vpc.this.id
  availability_zone = var.zone
  cidr_block        = cidrsubnet(var.cidr, 8, 0)
  tags              = { Name = "${var.name}-${substr(var.zone, -1, 1)}" }
}

resource "aws_route_table" "main" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = var.name }
}

resource "aws_route_table_association" "main" {
  subnet_id      = aws_subnet.main.id
  route_table_id = aws_route_table.main.id
}

resource "aws_security_group" "worker" {
  name        = "${var.name}-worker"
  description = "Reporting workers"
  vpc_id      = aws_vpc.this.id

  egress {
    description = "Orders database"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.data_cidr]
  }
  egress {
    description = "Order service API"
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = [var.app_cidr]
  }

  tags = { Name = "${var.name}-worker" }
}

resource "aws_instance" "worker" {
  ami                    = "ami-0ae8f15ae66fe8cda"
  instance_type          = "m6i.xlarge"
  subnet_id              = aws_subnet.main.id
  vpc_security_group_ids = [aws_security_group.worker.id]
  tags                   = { Name = "orders-report-1", Role = "reporting" }
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "route_table_id" {
  value = aws_route_table.main.id
}
