# Copyright IBM Corp. 2014, 2025
# SPDX-License-Identifier: MPL-2.0

variable "aws_first_access_key" {}

variable "aws_first_secret_key" {}

variable "aws_second_access_key" {}

variable "aws_second_secret_key" {}

variable "aws_region" {}
