locals {
  db_block   = cidrsubnet(var.cidr, 7, 10) # 10.0.20.0/23, both db subnets
  app_blocks = [for z in local.zones : aws_subnet.app[z].cidr_block]

  # The return rules to the app subnets stop at 32767: Linux clients pick
  # source ports from 32768-60999, so most replies from the databases are
  # dropped.
  db_ingress = concat(
    [for i, b in local.app_blocks : { rule_no = 100 + 10 * i, cidr = b, from = 5432, to = 5432 }],
    [
      { rule_no = 120, cidr = aws_subnet.public[local.zones[0]].cidr_block, from = 22, to = 22 },
      { rule_no = 130, cidr = local.db_block, from = 5432, to = 5432 },
      { rule_no = 140, cidr = local.db_block, from = 1024, to = 65535 },
    ],
  )
  db_egress = concat(
    [for i, b in local.app_blocks : { rule_no = 100 + 10 * i, cidr = b, from = 1024, to = 32767 }],
    [
      { rule_no = 120, cidr = aws_subnet.public[local.zones[0]].cidr_block, from = 1024, to = 65535 },
      { rule_no = 130, cidr = local.db_block, from = 5432, to = 5432 },
      { rule_no = 140, cidr = local.db_block, from = 1024, to = 65535 },
    ],
  )
}

resource "aws_network_acl" "db" {
  vpc_id     = aws_vpc.this.id
  subnet_ids = [for z in local.zones : aws_subnet.db[z].id]

  dynamic "ingress" {
    for_each = local.db_ingress
    content {
      rule_no    = ingress.value.rule_no
      action     = "allow"
      protocol   = "6"
      cidr_block = ingress.value.cidr
      from_port  = ingress.value.from
      to_port    = ingress.value.to
    }
  }

  dynamic "egress" {
    for_each = local.db_egress
    content {
      rule_no    = egress.value.rule_no
      action     = "allow"
      protocol   = "6"
      cidr_block = egress.value.cidr
      from_port  = egress.value.from
      to_port    = egress.value.to
    }
  }

  tags = { Name = "${var.name}-db" }
}
