# What the order-processing network must and must not allow, checked with
#   vpcsim check --in examples/peering-endpoints/terraform.tfstate --intent examples/peering-endpoints/intent.hcl
# docs/intent.md describes the language.

allow "order-service-reaches-database" {
  description = "The order service must reach its database on 5432"
  from        = security_group("module.app.aws_security_group.app")
  to          = security_group("module.data.aws_security_group.db")
  services    = ["tcp/5432"]
}

allow "reports-reach-order-api" {
  description = "The reporting worker must reach the order API on 8443"
  from        = resource("module.analytics.aws_instance.worker")
  to          = resource("module.app.aws_instance.app")
  services    = ["tcp/8443"]
}

only "database-clients" {
  description = "Only the order service, the reporting VPC and the database itself reach the database"
  to          = security_group("module.data.aws_security_group.db")
  from        = [security_group("module.app.aws_security_group.app"), vpc("module.analytics.aws_vpc.this"), security_group("module.data.aws_security_group.db")]
  services    = ["tcp/5432"]
}

deny "nothing-from-internet" {
  description = "Nothing is reachable from the internet, over IPv4 or IPv6"
  from        = internet
  to          = all
}
