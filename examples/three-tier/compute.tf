locals {
  zones = module.network.zones

  # The databases keep fixed addresses: the replicas' replication settings
  # name them.
  databases = {
    primary = { zone = local.zones[0], ip = "10.0.20.45" }
    replica = { zone = local.zones[1], ip = "10.0.21.112" }
  }
}

resource "aws_instance" "bastion" {
  ami                         = var.ami
  instance_type               = "t3.micro"
  subnet_id                   = module.network.public_subnet_ids[local.zones[0]]
  private_ip                  = "10.0.0.57"
  associate_public_ip_address = true
  vpc_security_group_ids      = [aws_security_group.bastion.id]

  tags = { Name = "${local.name}-bastion", Role = "bastion" }
}

# App servers, one per zone; their addresses are assigned by AWS.
resource "aws_instance" "app" {
  count                       = var.app_instance_count
  ami                         = var.ami
  instance_type               = "m6i.large"
  subnet_id                   = module.network.app_subnet_ids[element(local.zones, count.index)]
  associate_public_ip_address = false
  vpc_security_group_ids      = [aws_security_group.app.id]

  tags = { Name = "${local.name}-app-${count.index + 1}", Role = "app" }
}

resource "aws_instance" "db" {
  for_each = local.databases

  ami                         = var.ami
  instance_type               = "r6i.xlarge"
  subnet_id                   = module.network.db_subnet_ids[each.value.zone]
  private_ip                  = each.value.ip
  associate_public_ip_address = false
  vpc_security_group_ids      = [aws_security_group.db.id]

  root_block_device {
    volume_size = 200
  }

  tags = { Name = "db-${each.key}", Role = "postgresql" }
}
