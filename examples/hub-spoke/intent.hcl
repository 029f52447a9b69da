# What the platform team's hub and spokes must and must not allow, checked with
#   vpcsim check --in examples/hub-spoke/terraform.tfstate --intent examples/hub-spoke/intent.hcl
# docs/intent.md describes the language.

deny "prod-never-reaches-dev" {
  description = "Prod never reaches dev"
  from        = vpc("module.spoke[\"prod\"].aws_vpc.this")
  to          = vpc("module.spoke[\"dev\"].aws_vpc.this")
}

deny "dev-never-reaches-prod" {
  description = "Dev never reaches prod"
  from        = vpc("module.spoke[\"dev\"].aws_vpc.this")
  to          = vpc("module.spoke[\"prod\"].aws_vpc.this")
}

allow "spokes-reach-directory" {
  description = "Every spoke instance reaches the domain controllers for DNS and LDAP"
  from        = resource("module.spoke.aws_instance.app")
  to          = resource("module.shared.aws_instance.directory")
  services    = ["udp/53", "tcp/389"]
}

allow "on-premises-reaches-spokes" {
  description = "On-premises hosts reach every spoke instance on HTTPS"
  from        = on_premises
  to          = resource("module.spoke.aws_instance.app")
  services    = ["tcp/443"]
}

deny "nothing-from-internet" {
  description = "The internet reaches nothing"
  from        = internet
  to          = all
}
