locals {
  name = "${var.project}-${var.environment}"
}

# The network: one VPC over two zones, public/app/db subnets per zone, one NAT
# gateway per zone, an S3 gateway endpoint for the app tier and a network ACL
# for the db tier.
module "network" {
  source = "./modules/network"

  name       = local.name
  region     = var.region
  cidr       = "10.0.0.0/16"
  zone_count = 2
}
