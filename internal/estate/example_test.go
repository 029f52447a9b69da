package estate_test

import (
	"bytes"
	"fmt"

	"github.com/vpcsim/vpcsim/internal/estate"
)

func ExampleWrite() {
	p := estate.Params{VPCs: 3, SubnetsPerVPC: 6, InstancesPerSubnet: 2, SGsPerVPC: 4, RulesPerSG: 3,
		NACLRules: 6, TGWHubs: 1, Peerings: 1, Seed: 7}
	var state bytes.Buffer
	if err := estate.Write(&state, p); err != nil {
		fmt.Println(err)
		return
	}
	c := p.Counts()
	fmt.Printf("%d VPCs, %d subnets, %d interfaces, %d security groups in %d resources\n",
		c.VPCs, c.Subnets, c.Interfaces, c.SecurityGroups, c.Resources)
	header, _, _ := bytes.Cut(state.Bytes(), []byte(",\n"))
	fmt.Printf("%s\n", header)
	// Output:
	// 3 VPCs, 18 subnets, 39 interfaces, 12 security groups in 132 resources
	// {
	//   "version": 4
}
