locals {
  # Amazon Linux 2023 and Windows Server 2022 Base, us-east-1.
  linux_ami   = "ami-0c101f26f147fa7fd"
  windows_ami = "ami-0f496107db66676ff"
}

# Targets of the internet-facing ALB.
resource "aws_instance" "web" {
  for_each               = aws_subnet.app
  ami                    = local.linux_ami
  instance_type          = "t3.small"
  subnet_id              = each.value.id
  vpc_security_group_ids = [aws_security_group.web.id]
  tags                   = { Name = "web-platform-web-${each.key}" }
}

# Target of the NLB.
resource "aws_instance" "ingest" {
  ami                    = local.linux_ami
  instance_type          = "t3.medium"
  subnet_id              = aws_subnet.app["a"].id
  vpc_security_group_ids = [aws_security_group.ingest.id]
  tags                   = { Name = "web-platform-ingest" }
}

# Targets of the internal ALB.
resource "aws_instance" "orders" {
  for_each               = aws_subnet.app
  ami                    = local.linux_ami
  instance_type          = "t3.medium"
  subnet_id              = each.value.id
  vpc_security_group_ids = [aws_security_group.orders.id]
  tags                   = { Name = "web-platform-orders-${each.key}" }
}

# Behind the Classic ELB.
resource "aws_instance" "legacy" {
  ami                    = local.linux_ami
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.app["b"].id
  vpc_security_group_ids = [aws_security_group.legacy.id]
  tags                   = { Name = "web-platform-legacy" }
}

# The API runs in an Auto Scaling group registered with the ALB's api
# target group; its instances have no public address.
resource "aws_launch_template" "api" {
  name                   = "web-platform-api"
  image_id               = local.linux_ami
  instance_type          = "t3.small"
  vpc_security_group_ids = [aws_security_group.api.id]

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "web-platform-api" }
  }
}

resource "aws_autoscaling_group" "api" {
  name                = "web-platform-api"
  min_size            = 2
  max_size            = 6
  desired_capacity    = 2
  vpc_zone_identifier = [for s in aws_subnet.app : s.id]
  target_group_arns   = [aws_lb_target_group.api.arn]
  health_check_type   = "ELB"

  launch_template {
    id      = aws_launch_template.api.id
    version = "$Latest"
  }
}

# The support team's Windows jump hosts: an Auto Scaling group of one in
# the public subnets, with a public address and RDP open to the world.
resource "aws_launch_template" "rdp" {
  name          = "web-platform-rdp"
  image_id      = local.windows_ami
  instance_type = "t3.medium"

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = true
    security_groups             = [aws_security_group.rdp.id]
    delete_on_termination       = true
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "web-platform-rdp" }
  }
}

resource "aws_autoscaling_group" "rdp" {
  name                = "web-platform-rdp"
  min_size            = 1
  max_size            = 1
  desired_capacity    = 1
  vpc_zone_identifier = [for s in aws_subnet.public : s.id]

  launch_template {
    id      = aws_launch_template.rdp.id
    version = "$Latest"
  }
}
