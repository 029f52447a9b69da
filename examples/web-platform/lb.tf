# Internet-facing ALB: HTTPS 443 to the web servers on 8080, the API host
# to the Auto Scaling group; HTTP 80 redirects to HTTPS.
resource "aws_lb" "web" {
  name               = "web-platform-web"
  load_balancer_type = "application"
  internal           = false
  security_groups    = [aws_security_group.alb_web.id]
  subnets            = [for s in aws_subnet.public : s.id]
  tags               = { Name = "web-platform-web" }
}

resource "aws_lb_target_group" "web" {
  name     = "web-platform-web"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id

  health_check {
    path    = "/healthz"
    matcher = "200"
  }
}

resource "aws_lb_target_group_attachment" "web" {
  for_each         = aws_instance.web
  target_group_arn = aws_lb_target_group.web.arn
  target_id        = each.value.id
  port             = 8080
}

resource "aws_lb_target_group" "api" {
  name     = "web-platform-api"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id

  health_check {
    path = "/health"
  }
}

resource "aws_lb_listener" "web_https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = "arn:aws:acm:us-east-1:123456789012:certificate/3f1c2a4e-7b7d-4c55-9d0e-2f6b8c1a9e31"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

resource "aws_lb_listener_rule" "api" {
  listener_arn = aws_lb_listener.web_https.arn
  priority     = 10

  condition {
    host_header {
      values = ["api.example.com"]
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_lb_listener" "web_http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

# Internet-facing NLB without security groups: syslog over TLS passed
# through to the collector, client addresses preserved (the default for
# instance targets).
resource "aws_lb" "ingest" {
  name               = "web-platform-ingest"
  load_balancer_type = "network"
  internal           = false
  subnets            = [for s in aws_subnet.public : s.id]
  tags               = { Name = "web-platform-ingest" }
}

resource "aws_lb_target_group" "ingest" {
  name     = "web-platform-ingest"
  port     = 6514
  protocol = "TCP"
  vpc_id   = aws_vpc.main.id
}

resource "aws_lb_target_group_attachment" "ingest" {
  target_group_arn = aws_lb_target_group.ingest.arn
  target_id        = aws_instance.ingest.id
  port             = 6514
}

resource "aws_lb_listener" "ingest" {
  load_balancer_arn = aws_lb.ingest.arn
  port              = 6514
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ingest.arn
  }
}

# Internal ALB of the orders service, in the lb subnets. Its health checks
# go to port 8081, which the app subnets' network ACL does not admit: the
# targets are unhealthy.
resource "aws_lb" "internal" {
  name               = "web-platform-orders"
  load_balancer_type = "application"
  internal           = true
  security_groups    = [aws_security_group.internal_alb.id]
  subnets            = [for s in aws_subnet.lb : s.id]
  tags               = { Name = "web-platform-orders" }
}

resource "aws_lb_target_group" "orders" {
  name     = "web-platform-orders"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id

  health_check {
    path = "/ready"
    port = "8081"
  }
}

resource "aws_lb_target_group_attachment" "orders" {
  for_each         = aws_instance.orders
  target_group_arn = aws_lb_target_group.orders.arn
  target_id        = each.value.id
}

resource "aws_lb_listener" "internal" {
  load_balancer_arn = aws_lb.internal.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.orders.arn
  }
}

# Classic ELB of the legacy storefront.
resource "aws_elb" "legacy" {
  name            = "web-platform-legacy"
  subnets         = [for s in aws_subnet.public : s.id]
  security_groups = [aws_security_group.legacy_elb.id]
  instances       = [aws_instance.legacy.id]

  listener {
    lb_port           = 80
    lb_protocol       = "http"
    instance_port     = 8080
    instance_protocol = "http"
  }

  health_check {
    target              = "HTTP:8080/status"
    interval            = 30
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }

  cross_zone_load_balancing = true
  tags                      = { Name = "web-platform-legacy" }
}
