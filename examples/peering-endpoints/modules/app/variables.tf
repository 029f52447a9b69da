variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

variable "zones" {
  type = list(string)
}

variable "region" {
  type = string
}

variable "data_cidr" {
  type = string
}

variable "analytics_cidr" {
  type = string
}
