resource "aws_security_group" "bastion" {
  name        = "shop-bastion"
  description = "SSH and RDP jump host"
  vpc_id      = aws_vpc.shop.id

  ingress {
    description = "SSH (TODO: office only)"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    description = "RDP for the Windows admins"
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "shop-bastion" }
}
