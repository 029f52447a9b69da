package hcl_test

import (
	"fmt"

	"github.com/vpcsim/vpcsim/hcl"
)

func ExampleLoadBytes() {
	state := `{
  "version": 4,
  "terraform_version": "1.9.5",
  "resources": [
    {"mode": "managed", "type": "aws_vpc", "name": "main", "instances": [
      {"attributes": {"id": "vpc-0a1b", "cidr_block": "10.0.0.0/16", "main_route_table_id": "rtb-0main"}}]},
    {"mode": "managed", "type": "aws_subnet", "name": "app", "instances": [
      {"index_key": 0, "attributes": {"id": "subnet-0c2d", "vpc_id": "vpc-0a1b", "cidr_block": "10.0.1.5/24", "availability_zone": "eu-west-1a"}}]}
  ]
}`
	in, err := hcl.LoadBytes("terraform.tfstate", []byte(state))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.Format, in.Network.Region)
	for _, s := range in.Network.Subnets {
		fmt.Println(s.Address, s.CIDR, "in", s.VPCID)
	}
	for _, rt := range in.Network.RouteTables {
		fmt.Println(rt.ID, "main:", rt.Main, "synthesised:", rt.Synthetic != "")
	}
	for _, d := range in.Diagnostics {
		fmt.Println(d)
	}
	// Output:
	// terraform-state eu-west-1
	// aws_subnet.app[0] 10.0.1.0/24 in vpc-0a1b
	// rtb-0main main: true synthesised: true
	// terraform.tfstate:8:7: warning: aws_subnet.app[0]: cidr_block "10.0.1.5/24" has host bits set: read as 10.0.1.0/24
}

func ExampleLoad() {
	in, err := hcl.Load("testdata/corpus/nyaras_tfplan.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.Format, len(in.Changes), "changes")
	fmt.Println("VPCs before:", len(in.Before.VPCs), "after:", len(in.Network.VPCs))
	for _, s := range in.Network.Subnets {
		// The subnet's VPC is created by the same plan: its ID is the
		// VPC's address until apply.
		fmt.Println(s.Address, "in", s.VPCID, "unknown:", s.Unknown)
	}
	// Output:
	// terraform-plan 11 changes
	// VPCs before: 0 after: 1
	// aws_subnet.public in aws_vpc.main unknown: [id]
}
