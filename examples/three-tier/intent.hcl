# What the web shop's network must and must not allow, checked with
#   vpcsim check --in examples/three-tier/terraform.tfstate --intent examples/three-tier/intent.hcl
# Each block is one expectation: deny (never), allow (always) or only (from
# nowhere else). docs/intent.md describes the language.

deny "db-not-from-internet" {
  description = "Nothing in the database subnets is reachable from the internet"
  from        = internet
  to          = subnet("module.network.aws_subnet.db")
}

allow "app-reaches-db" {
  description = "The app tier must reach the database on 5432"
  from        = security_group("aws_security_group.app")
  to          = security_group("aws_security_group.db")
  services    = ["tcp/5432"]
}

only "app-port-only-from-load-balancer" {
  description = "Only the load balancer may reach the app servers' port 8080"
  to          = resource("aws_instance.app")
  traffic     = ["tcp/8080"]
  from        = security_group("aws_security_group.alb")
}

only "ssh-only-from-bastion" {
  description = "No SSH from anywhere but the bastion"
  severity    = "critical"
  to          = all
  traffic     = ["tcp/22"]
  from        = resource("aws_instance.bastion")
}
