# What the web platform's network must and must not allow, checked with
#   vpcsim check --in examples/web-platform/terraform.tfstate --intent examples/web-platform/intent.hcl
# docs/intent.md describes the language.

deny "no-rdp-from-internet" {
  description = "Nothing answers RDP from the internet"
  severity    = "critical"
  from        = internet
  to          = all
  services    = ["tcp/3389"]
}

deny "databases-not-from-internet" {
  description = "No database is reachable from the internet"
  from        = internet
  to          = security_group("aws_security_group.reports_db")
}

deny "web-servers-no-admin-from-internet" {
  description = "No SSH or RDP from the internet to the web servers"
  from        = internet
  to          = resource("aws_instance.web")
  services    = ["tcp/22", "tcp/3389"]
}
