# The application VPC, IPv4 and IPv6, with no IPv4 internet path at all.
resource "aws_vpc" "this" {
  cidr_block                       = var.cidr
  assign_generated_ipv6_cidr_block = true
  enable_dns_support               = true
  enable_dns_hostnames             = true
  tags                             = { Name = var.name }
}

resource "aws_subnet" "private" {
  count                           = length(var.zones)
  vpc_id                          = aws_vpc.this.id
  availability_zone               = var.zones[count.index]
  cidr_block                      = cidrsubnet(var.cidr, 8, count.index)
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.this.ipv6_cidr_block, 8, count.index)
  assign_ipv6_address_on_creation = true
  tags                            = { Name = "${var.name}-private-${substr(var.zones[count.index], -1, 1)}" }
}

resource "aws_egress_only_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-eigw" }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-private" }
}

# The IPv6 default route is a standalone aws_route like the peering routes:
# mixing inline routes with aws_route on one table makes Terraform fight
# itself.
resource "aws_route" "ipv6_egress" {
  route_table_id              = aws_route_table.private.id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.this.id
}

resource "aws_route_table_association" "private" {
  count          = length(var.zones)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "app" {
  name        = var.name
  description = "Order service"
  vpc_id      = aws_vpc.this.id

  ingress {
    description = "Internal API"
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = [var.cidr, var.analytics_cidr]
  }
  egress {
    description      = "HTTPS out (S3, SSM, IPv6 APIs)"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
  egress {
    description = "Orders database over the peering"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.data_cidr]
  }
  egress {
    description = "Internal API"
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }

  tags = { Name = var.name }
}

resource "aws_instance" "app" {
  count                  = length(var.zones)
  ami                    = "ami-0ae8f15ae66fe8cda"
  instance_type          = "c6i.large"
  subnet_id              = aws_subnet.private[count.index].id
  ipv6_address_count     = 1
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = { Name = "${var.name}-${count.index + 1}", Role = "orders-api" }
}
