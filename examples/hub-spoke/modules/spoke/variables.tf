variable "name" {
  type = string
}

variable "environment" {
  type = string
}

variable "cidr" {
  type = string
}

variable "zones" {
  type = list(string)
}

variable "attachment_az_count" {
  description = "How many zones the transit gateway attachment serves, from the first."
  type        = number
  default     = 2
}

variable "transit_gateway_id" {
  type = string
}

variable "internal_cidrs" {
  description = "Networks allowed in: the estate and on-premises."
  type        = list(string)
}

variable "instance_type" {
  type    = string
  default = "t3.medium"
}
