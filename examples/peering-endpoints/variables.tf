variable "region" {
  type    = string
  default = "us-east-1"
}

variable "zones" {
  type    = list(string)
  default = ["us-east-1a", "us-east-1b"]
}

variable "cidrs" {
  description = "The VPC blocks."
  type        = map(string)
  default = {
    app       = "10.10.0.0/16"
    data      = "10.20.0.0/16"
    analytics = "10.30.0.0/16"
  }
}

variable "app_cidrs_for_data" {
  description = "App subnets the data VPC routes back to over the peering."
  type        = set(string)
  # Only the first app subnet: the zone-b app server's replies have no way
  # back.
  default = ["10.10.0.0/24"]
}
