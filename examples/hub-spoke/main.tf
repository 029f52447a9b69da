locals {
  region_short = "use1"
  internal     = ["10.0.0.0/8", var.onprem_cidr]
}

module "spoke" {
  source   = "./modules/spoke"
  for_each = var.spokes

  name                = "${each.key}-${local.region_short}"
  environment         = each.key
  cidr                = each.value.cidr
  zones               = var.zones
  attachment_az_count = each.value.attachment_az_count
  transit_gateway_id  = aws_ec2_transit_gateway.hub.id
  internal_cidrs      = local.internal
}

# Shared services: directory servers, and the egress path of the whole estate
# (attachment subnets -> NAT gateway -> internet gateway).
module "shared" {
  source = "./modules/shared"

  name               = "shared-${local.region_short}"
  cidr               = "10.100.0.0/16"
  zones              = var.zones
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  internal_cidrs     = local.internal
}
