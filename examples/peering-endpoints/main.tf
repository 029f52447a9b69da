# The S3 prefix list, read once and handed to the modules that need it.
data "aws_prefix_list" "s3" {
  name = "com.amazonaws.${var.region}.s3"
}

module "app" {
  source = "./modules/app"

  name           = "orders-app"
  cidr           = var.cidrs.app
  zones          = var.zones
  region         = var.region
  data_cidr      = var.cidrs.data
  analytics_cidr = var.cidrs.analytics
}

module "data" {
  source = "./modules/data"

  name           = "orders-data"
  cidr           = var.cidrs.data
  zones          = var.zones
  s3_prefix_list = data.aws_prefix_list.s3.id
  analytics_cidr = var.cidrs.analytics
}

module "analytics" {
  source = "./modules/analytics"

  name      = "orders-analytics"
  cidr      = var.cidrs.analytics
  zone      = var.zones[0]
  data_cidr = var.cidrs.data
  app_cidr  = var.cidrs.app
}
