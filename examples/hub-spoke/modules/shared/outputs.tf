output "vpc_id" {
  value = aws_vpc.this.id
}

output "attachment_id" {
  value = aws_ec2_transit_gateway_vpc_attachment.this.id
}

output "directory_ips" {
  value = aws_instance.directory[*].private_ip
}
