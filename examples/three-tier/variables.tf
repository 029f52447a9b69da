variable "region" {
  type    = string
  default = "us-east-1"
}

variable "project" {
  type    = string
  default = "shop"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "ami" {
  description = "Amazon Linux 2023 in us-east-1."
  type        = string
  default     = "ami-0ae8f15ae66fe8cda"
}

variable "app_instance_count" {
  type    = number
  default = 2
}
