# The app servers' group: aws_security_group_rule resources.

resource "aws_security_group" "app" {
  name        = "shop-app"
  description = "Application servers"
  vpc_id      = aws_vpc.shop.id
  tags        = { Name = "shop-app" }
}

resource "aws_security_group_rule" "app_from_web" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  description              = "App port from the web servers"
  protocol                 = "tcp"
  from_port                = 8080
  to_port                  = 8080
  source_security_group_id = aws_security_group.web.id
}

resource "aws_security_group_rule" "app_from_reporting" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  description       = "App port from the reporting VPC"
  protocol          = "tcp"
  from_port         = 8080
  to_port           = 8080
  cidr_blocks       = ["10.30.0.0/16"]
}

resource "aws_security_group_rule" "app_ssh_from_bastion" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  description              = "SSH from the bastion"
  protocol                 = "tcp"
  from_port                = 22
  to_port                  = 22
  source_security_group_id = aws_security_group.bastion.id
}

resource "aws_security_group_rule" "app_egress" {
  type              = "egress"
  security_group_id = aws_security_group.app.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}
