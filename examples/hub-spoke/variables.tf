variable "region" {
  type    = string
  default = "us-east-1"
}

variable "zones" {
  type    = list(string)
  default = ["us-east-1a", "us-east-1b"]
}

variable "onprem_cidr" {
  description = "The on-premises network behind the VPN."
  type        = string
  default     = "192.168.0.0/16"
}

variable "spokes" {
  description = "Spoke VPCs by environment. attachment_az_count is how many zones the transit gateway attachment serves."
  type = map(object({
    cidr                = string
    attachment_az_count = optional(number, 2)
  }))
  default = {
    prod = { cidr = "10.1.0.0/16" }
    # Cost-saving leftover: one zone only, so dev's zone-b app subnet has no
    # way into the hub.
    dev = { cidr = "10.2.0.0/16", attachment_az_count = 1 }
  }
}
