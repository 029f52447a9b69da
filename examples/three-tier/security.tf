# Load balancer and bastion: inline rules.
resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "Public HTTP(S) to the load balancer"
  vpc_id      = module.network.vpc_id

  ingress {
    description = "HTTPS from anywhere"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    description = "HTTP from anywhere (redirected to HTTPS)"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    description     = "To the app servers"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }

  tags = { Name = "${local.name}-alb" }
}

resource "aws_security_group" "bastion" {
  name        = "${local.name}-bastion"
  description = "SSH jump host"
  vpc_id      = module.network.vpc_id

  ingress {
    description = "SSH from the office VPN (TODO restrict)"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "${local.name}-bastion" }
}

# App servers: one resource per rule.
resource "aws_security_group" "app" {
  name        = "${local.name}-app"
  description = "App servers"
  vpc_id      = module.network.vpc_id
  tags        = { Name = "${local.name}-app" }
}

resource "aws_vpc_security_group_ingress_rule" "app_from_alb" {
  security_group_id            = aws_security_group.app.id
  description                  = "From the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_vpc_security_group_ingress_rule" "app_debug" {
  security_group_id = aws_security_group.app.id
  description       = "Temporary: health-check debugging"
  ip_protocol       = "tcp"
  from_port         = 8080
  to_port           = 8080
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "app_ssh_from_bastion" {
  security_group_id            = aws_security_group.app.id
  description                  = "SSH from the bastion"
  ip_protocol                  = "tcp"
  from_port                    = 22
  to_port                      = 22
  referenced_security_group_id = aws_security_group.bastion.id
}

resource "aws_vpc_security_group_egress_rule" "app_https_out" {
  security_group_id = aws_security_group.app.id
  description       = "HTTPS out (package mirrors, S3, APIs)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "app_to_db" {
  security_group_id            = aws_security_group.app.id
  description                  = "PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.db.id
}

# Databases: aws_security_group_rule resources.
resource "aws_security_group" "db" {
  name        = "${local.name}-db"
  description = "PostgreSQL servers"
  vpc_id      = module.network.vpc_id
  tags        = { Name = "${local.name}-db" }
}

resource "aws_security_group_rule" "db_from_app" {
  type                     = "ingress"
  security_group_id        = aws_security_group.db.id
  description              = "PostgreSQL from the app servers"
  protocol                 = "tcp"
  from_port                = 5432
  to_port                  = 5432
  source_security_group_id = aws_security_group.app.id
}

resource "aws_security_group_rule" "db_replication_in" {
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  description       = "Streaming replication"
  protocol          = "tcp"
  from_port         = 5432
  to_port           = 5432
  self              = true
}

resource "aws_security_group_rule" "db_replication_out" {
  type              = "egress"
  security_group_id = aws_security_group.db.id
  description       = "Streaming replication"
  protocol          = "tcp"
  from_port         = 5432
  to_port           = 5432
  self              = true
}

resource "aws_security_group_rule" "db_ssh_from_bastion" {
  type                     = "ingress"
  security_group_id        = aws_security_group.db.id
  description              = "SSH from the bastion"
  protocol                 = "tcp"
  from_port                = 22
  to_port                  = 22
  source_security_group_id = aws_security_group.bastion.id
}
