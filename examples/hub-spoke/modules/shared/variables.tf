variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

variable "zones" {
  type = list(string)
}

variable "transit_gateway_id" {
  type = string
}

variable "internal_cidrs" {
  description = "The estate and on-premises: reached through the hub, allowed to the directory."
  type        = list(string)
}

variable "directory_ips" {
  description = "Fixed addresses of the domain controllers, one per zone: every VPC's DHCP options name them."
  type        = list(string)
  default     = ["10.100.10.10", "10.100.11.10"]
}
