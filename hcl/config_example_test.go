package hcl_test

import (
	"fmt"
	"testing/fstest"

	"github.com/vpcsim/vpcsim/hcl"
)

func ExampleLoadConfig() {
	fsys := fstest.MapFS{"main.tf": {Data: []byte(`
variable "zones" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b"]
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  count             = length(var.zones)
  vpc_id            = aws_vpc.main.id
  availability_zone = var.zones[count.index]
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 10)
}

resource "aws_instance" "app" {
  subnet_id = aws_subnet.private[1].id
}
`)}}
	in, err := hcl.LoadConfig(fsys, ".", hcl.WithVar("zones", `["eu-west-1a", "eu-west-1b", "eu-west-1c"]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range in.Network.Subnets {
		fmt.Println(s.Address, s.CIDR, s.AvailabilityZone, "at", s.Pos, "id unknown:", s.IsUnknown("id"))
	}
	for _, e := range in.Network.Interfaces {
		fmt.Println(e.Name, e.PrivateIPs, "placeholder:", e.IsPlaceholder(e.PrimaryIP()))
	}
	// Output:
	// aws_subnet.private[0] 10.0.10.0/24 eu-west-1a at main.tf:11:1 id unknown: true
	// aws_subnet.private[1] 10.0.11.0/24 eu-west-1b at main.tf:11:1 id unknown: true
	// aws_subnet.private[2] 10.0.12.0/24 eu-west-1c at main.tf:11:1 id unknown: true
	// primary network interface of aws_instance.app [10.0.11.4] placeholder: true
}
