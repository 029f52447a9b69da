output "app_vpc_id" {
  value = module.app.vpc_id
}

output "data_vpc_id" {
  value = module.data.vpc_id
}

output "analytics_vpc_id" {
  value = module.analytics.vpc_id
}

output "ssm_endpoint_ips" {
  value = module.app.ssm_endpoint_ips
}
