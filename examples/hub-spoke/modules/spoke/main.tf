locals {
  letter = [for z in var.zones : substr(z, -1, 1)]
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = var.name, Environment = var.environment }
}

# App subnets take the first /24 blocks; a /28 per zone at the top of the
# block holds the attachment interfaces.
resource "aws_subnet" "app" {
  count             = length(var.zones)
  vpc_id            = aws_vpc.this.id
  availability_zone = var.zones[count.index]
  cidr_block        = cidrsubnet(var.cidr, 8, count.index)
  tags              = { Name = "${var.name}-app-${local.letter[count.index]}", Environment = var.environment, Tier = "app" }
}

resource "aws_subnet" "tgw" {
  count             = length(var.zones)
  vpc_id            = aws_vpc.this.id
  availability_zone = var.zones[count.index]
  cidr_block        = cidrsubnet(var.cidr, 12, 4080 + count.index)
  tags              = { Name = "${var.name}-tgw-${local.letter[count.index]}", Environment = var.environment, Tier = "transit" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "this" {
  transit_gateway_id = var.transit_gateway_id
  vpc_id             = aws_vpc.this.id
  subnet_ids         = slice(aws_subnet.tgw[*].id, 0, var.attachment_az_count)

  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false

  tags = { Name = var.name }
}

# Everything that is not local goes to the hub; its route tables decide where
# it may go.
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-app" }
}

resource "aws_route" "default_to_hub" {
  route_table_id         = aws_route_table.app.id
  destination_cidr_block = "0.0.0.0/0"
  transit_gateway_id     = var.transit_gateway_id
  depends_on             = [aws_ec2_transit_gateway_vpc_attachment.this]
}

resource "aws_route_table" "tgw" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-tgw" }
}

resource "aws_route_table_association" "app" {
  count          = length(var.zones)
  subnet_id      = aws_subnet.app[count.index].id
  route_table_id = aws_route_table.app.id
}

resource "aws_route_table_association" "tgw" {
  count          = length(var.zones)
  subnet_id      = aws_subnet.tgw[count.index].id
  route_table_id = aws_route_table.tgw.id
}

resource "aws_security_group" "app" {
  name        = "${var.name}-app"
  description = "App servers of ${var.environment}"
  vpc_id      = aws_vpc.this.id

  ingress {
    description = "HTTPS from internal networks"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.internal_cidrs
  }
  ingress {
    description = "SSH from shared-services jump hosts"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.100.0.0/16"]
  }
  ingress {
    description = "ICMP from internal networks"
    from_port   = -1
    to_port     = -1
    protocol    = "icmp"
    cidr_blocks = var.internal_cidrs
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "${var.name}-app" }
}

resource "aws_instance" "app" {
  count                  = length(var.zones)
  ami                    = "ami-0ae8f15ae66fe8cda"
  instance_type          = var.instance_type
  subnet_id              = aws_subnet.app[count.index].id
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = { Name = "${var.environment}-app-${count.index + 1}", Environment = var.environment }
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "attachment_id" {
  value = aws_ec2_transit_gateway_vpc_attachment.this.id
}
