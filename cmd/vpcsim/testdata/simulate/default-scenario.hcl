# vpcsim traffic scenario derived from examples/three-tier/terraform.tfstate (embedded)
start    = "2024-06-03T09:00:00Z"
duration = "10m"

traffic "internet to aws_instance.bastion tcp/22" {
  from     = "internet"
  to       = "aws_instance.bastion"
  protocol = "tcp"
  port     = 22
  rate     = "6/m"
  clients  = 25
  request  = 3000
  response = 4000
}

traffic "internet to aws_lb.web tcp/80" {
  from     = "internet"
  to       = "aws_lb.web"
  protocol = "tcp"
  port     = 80
  rate     = "2/s"
  clients  = 25
  request  = 800
  response = 24000
}

traffic "aws_instance.bastion to aws_instance.app[0] tcp/22" {
  from     = "aws_instance.bastion"
  to       = "10.0.10.71"
  protocol = "tcp"
  port     = 22
  rate     = "6/m"
  clients  = 1
  request  = 3000
  response = 4000
}

traffic "aws_instance.app[0] to aws_instance.db[\"primary\"] tcp/5432" {
  from     = "aws_instance.app[0]"
  to       = "10.0.20.45"
  protocol = "tcp"
  port     = 5432
  rate     = "30/m"
  clients  = 1
  request  = 400
  response = 2000
}

traffic "aws_instance.db[\"primary\"] to aws_instance.db[\"replica\"] tcp/5432" {
  from     = "aws_instance.db[\"primary\"]"
  to       = "10.0.21.112"
  protocol = "tcp"
  port     = 5432
  rate     = "30/m"
  clients  = 1
  request  = 400
  response = 2000
}

traffic "aws_instance.bastion to aws_instance.db[\"primary\"] tcp/22" {
  from     = "aws_instance.bastion"
  to       = "10.0.20.45"
  protocol = "tcp"
  port     = 22
  rate     = "6/m"
  clients  = 1
  request  = 3000
  response = 4000
}

scan "port scan from the internet" {
  from     = "203.0.113.66"
  to       = ["aws_instance.bastion", "aws_lb.web"]
  protocol = "tcp"
  ports    = "1-1024"
  rate     = "20/s"
  start    = "1m"
}

scan "lateral scan from aws_instance.app[0]" {
  from     = "aws_instance.app[0]"
  to       = "10.0.0.57"
  protocol = "tcp"
  ports    = ["22", "23", "25", "135-139", "445", "1433", "3306", "3389", "5432", "5900", "6379", "8080", "9200", "27017"]
  rate     = "5/s"
  start    = "2m"
}
