# What the shop estate of examples/plancheck must hold, for the plan gate's
# tests: SSH only from inside the shop VPC, and the reporting VPC never
# reaches the app tier.
only "ssh-from-inside" {
  description = "SSH reaches the shop only from the shop VPC"
  to          = vpc("aws_vpc.shop")
  traffic     = ["tcp/22"]
  from        = cidr("10.20.0.0/16")
  severity    = "high"
}

deny "reporting-not-to-app" {
  description = "The reporting VPC does not reach the app tier"
  from        = vpc("aws_vpc.reporting")
  to          = security_group("aws_security_group.app")
  severity    = "medium"
}
