# Load balancer groups and the groups of their targets reference each other,
# so their rules are separate resources (inline rules would make a cycle).

resource "aws_security_group" "alb_web" {
  name        = "web-platform-alb-web"
  description = "Internet-facing ALB"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "web-platform-alb-web" }
}

resource "aws_vpc_security_group_ingress_rule" "alb_web_https" {
  security_group_id = aws_security_group.alb_web.id
  description       = "HTTPS from anywhere"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "alb_web_http" {
  security_group_id = aws_security_group.alb_web.id
  description       = "HTTP from anywhere (redirected to HTTPS)"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "alb_web_to_web" {
  security_group_id            = aws_security_group.alb_web.id
  description                  = "To the web servers"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.web.id
}

resource "aws_vpc_security_group_egress_rule" "alb_web_to_api" {
  security_group_id            = aws_security_group.alb_web.id
  description                  = "To the API instances"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.api.id
}

resource "aws_security_group" "web" {
  name        = "web-platform-web"
  description = "Web servers behind the internet-facing ALB"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "web-platform-web" }
}

resource "aws_vpc_security_group_ingress_rule" "web_from_alb" {
  security_group_id            = aws_security_group.web.id
  description                  = "App port from the ALB only"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.alb_web.id
}

resource "aws_vpc_security_group_egress_rule" "web_all" {
  security_group_id = aws_security_group.web.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "api" {
  name        = "web-platform-api"
  description = "API instances (Auto Scaling)"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "web-platform-api" }
}

resource "aws_vpc_security_group_ingress_rule" "api_from_alb" {
  security_group_id            = aws_security_group.api.id
  description                  = "App port from the ALB only"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.alb_web.id
}

resource "aws_vpc_security_group_egress_rule" "api_all" {
  security_group_id = aws_security_group.api.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# The NLB keeps the clients' addresses: the targets' group must admit the
# clients themselves (the office ranges), and the NLB's own addresses for
# its health checks (the VPC block).
resource "aws_security_group" "ingest" {
  name        = "web-platform-ingest"
  description = "Syslog collectors behind the NLB"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "web-platform-ingest" }
}

resource "aws_vpc_security_group_ingress_rule" "ingest_from_offices" {
  security_group_id = aws_security_group.ingest.id
  description       = "Syslog over TLS from the offices"
  ip_protocol       = "tcp"
  from_port         = 6514
  to_port           = 6514
  prefix_list_id    = aws_ec2_managed_prefix_list.office.id
}

resource "aws_vpc_security_group_ingress_rule" "ingest_health" {
  security_group_id = aws_security_group.ingest.id
  description       = "NLB health checks"
  ip_protocol       = "tcp"
  from_port         = 6514
  to_port           = 6514
  cidr_ipv4         = "10.40.0.0/16"
}

resource "aws_vpc_security_group_egress_rule" "ingest_all" {
  security_group_id = aws_security_group.ingest.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "internal_alb" {
  name        = "web-platform-internal-alb"
  description = "Internal ALB of the orders service"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "web-platform-internal-alb" }
}

resource "aws_vpc_security_group_ingress_rule" "internal_alb_http" {
  security_group_id = aws_security_group.internal_alb.id
  description       = "HTTP from the VPC"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "10.40.0.0/16"
}

resource "aws_vpc_security_group_egress_rule" "internal_alb_to_orders" {
  security_group_id            = aws_security_group.internal_alb.id
  description                  = "Traffic and health checks to the orders servers"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8081
  referenced_security_group_id = aws_security_group.orders.id
}

resource "aws_security_group" "orders" {
  name        = "web-platform-orders"
  description = "Orders servers behind the internal ALB"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "web-platform-orders" }
}

resource "aws_vpc_security_group_ingress_rule" "orders_from_alb" {
  security_group_id            = aws_security_group.orders.id
  description                  = "Traffic and health checks from the internal ALB"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8081
  referenced_security_group_id = aws_security_group.internal_alb.id
}

resource "aws_vpc_security_group_egress_rule" "orders_all" {
  security_group_id = aws_security_group.orders.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# Classic ELB and its instance: inline rules.
resource "aws_security_group" "legacy_elb" {
  name        = "web-platform-legacy-elb"
  description = "Classic ELB of the legacy storefront"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTP from anywhere"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "web-platform-legacy-elb" }
}

resource "aws_security_group" "legacy" {
  name        = "web-platform-legacy"
  description = "Legacy storefront server"
  vpc_id      = aws_vpc.main.id

  ingress {
    description     = "App port from the Classic ELB"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.legacy_elb.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "web-platform-legacy" }
}

# The Windows jump hosts of the support team: RDP open to the world.
resource "aws_security_group" "rdp" {
  name        = "web-platform-rdp"
  description = "Windows jump hosts"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "RDP"
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

  tags = { Name = "web-platform-rdp" }
}

resource "aws_security_group" "db" {
  name        = "web-platform-db"
  description = "Orders database"
  vpc_id      = aws_vpc.main.id

  ingress {
    description     = "PostgreSQL from the orders servers, the API and the Lambda function"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.orders.id, aws_security_group.api.id, aws_security_group.lambda.id]
  }

  tags = { Name = "web-platform-db" }
}

resource "aws_security_group" "reports_db" {
  name        = "web-platform-reports-db"
  description = "Reporting database"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "MySQL (temporary: BI vendor)"
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "web-platform-reports-db" }
}

resource "aws_security_group" "lambda" {
  name        = "web-platform-lambda"
  description = "Thumbnail function"
  vpc_id      = aws_vpc.main.id

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "web-platform-lambda" }
}

resource "aws_security_group" "endpoints" {
  name        = "web-platform-endpoints"
  description = "Interface endpoints"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.40.0.0/16"]
  }

  tags = { Name = "web-platform-endpoints" }
}
