locals {
  # Amazon Linux 2023, us-east-1.
  ami = "ami-0c101f26f147fa7fd"
}

resource "aws_instance" "bastion" {
  ami                         = local.ami
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.public["a"].id
  associate_public_ip_address = true
  vpc_security_group_ids      = [aws_security_group.bastion.id]
  key_name                    = "shop-admin"
  tags                        = { Name = "shop-bastion" }
}

resource "aws_instance" "web" {
  ami                         = local.ami
  instance_type               = "t3.small"
  subnet_id                   = aws_subnet.public["b"].id
  associate_public_ip_address = true
  vpc_security_group_ids      = [aws_security_group.web.id]
  tags                        = { Name = "shop-web" }
}

# Gets its Elastic IP when the VPN goes live.
resource "aws_instance" "vpn" {
  ami                    = local.ami
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.public["b"].id
  source_dest_check      = false
  vpc_security_group_ids = [aws_security_group.vpn.id]
  tags                   = { Name = "shop-vpn" }
}
