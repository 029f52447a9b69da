variable "name" {
  description = "Prefix of every Name tag."
  type        = string
}

variable "region" {
  type = string
}

variable "cidr" {
  type = string
}

variable "zone_count" {
  description = "How many availability zones the network spans."
  type        = number
  default     = 2
}
