# Every selector and expectation kind, for the parser's tests and fuzzing.
deny "internet-to-db" {
  description = "Nothing in the database subnets is reachable from the internet"
  severity    = "critical"
  from        = internet
  to          = [subnet("module.network.aws_subnet.db"), tag("Tier", "db")]
}

allow "app-to-db" {
  from     = security_group("aws_security_group.app")
  to       = resource("aws_instance.db")
  services = ["tcp/5432", "icmp/8"]
}

only "ssh" {
  to      = all
  traffic = ["tcp/22"]
  from    = [cidr("10.8.0.0/16"), on_premises, vpc("vpc-0abc"), type("aws_instance")]
}

deny "prod-dev" {
  from = vpc("module.spoke[\"prod\"].aws_vpc.this")
  to   = vpc("module.spoke[\"dev\"].*")
}

only "anything" {
  to       = anywhere
  from     = tag("Environment")
  services = ["all"]
}
