output "vpc_id" {
  value = aws_vpc.this.id
}

output "zones" {
  value = local.zones
}

output "public_subnet_ids" {
  value = { for z, s in aws_subnet.public : z => s.id }
}

output "app_subnet_ids" {
  value = { for z, s in aws_subnet.app : z => s.id }
}

output "db_subnet_ids" {
  value = { for z, s in aws_subnet.db : z => s.id }
}
