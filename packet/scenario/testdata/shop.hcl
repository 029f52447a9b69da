# written by the test
start    = "2024-06-03T09:00:00Z"
duration = "15m"
seed     = 7

traffic "shoppers" {
  from     = "internet"
  to       = "aws_instance.web"
  protocol = "tcp"
  port     = 443
  rate     = "5/s"
  clients  = 200
  request  = 900
  response = 48000
}

traffic "app to db" {
  from     = ["10.0.10.0/24", "aws_instance.app"]
  to       = "10.0.20.45"
  protocol = "tcp"
  port     = 5432
  rate     = "30/m"
  clients  = 10
  teardown = "rst"
  start    = "1m"
  end      = "14m"
}

traffic "dns" {
  from     = "aws_instance.app"
  to       = "10.0.0.2"
  protocol = "udp"
  port     = 53
  rate     = "1/s"
  clients  = 10
  count    = 2
}

traffic "monitoring" {
  from     = "198.51.100.10"
  to       = ["aws_instance.web", "aws_instance.bastion"]
  protocol = "icmp"
  rate     = "1/m"
  clients  = 10
  count    = 3
}

scan "recon" {
  from     = "203.0.113.66"
  to       = "aws_instance.web"
  protocol = "tcp"
  ports    = ["1-1024", "3389", "8080"]
  rate     = "50/s"
  start    = "5m"
}
