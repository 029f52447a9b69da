package reach

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// TestMatrixRestrictionAgrees checks that class walks that go only where
// replies can come from (see repliers) give exactly the matrix of class
// walks that go everywhere, by every grouping, on the scenario networks
// (crowded) and on random estates of two peered VPCs whose subnets route
// back only some of the time, through network ACLs that drop some replies.
func TestMatrixRestrictionAgrees(t *testing.T) {
	nets := map[string]*tnet{}
	for name, build := range AgreementNetworks {
		n := newNet()
		build(n)
		crowd(n, rand.New(rand.NewPCG(5, uint64(len(name)))))
		nets[name] = n
	}
	rnd := rand.New(rand.NewPCG(21, 22))
	for i := range 30 {
		nets[fmt.Sprintf("random %d", i)] = asymmetricEstate(rnd)
	}
	restricted := 0
	for name, n := range nets {
		e := n.engine(t)
		for _, by := range []GroupBy{BySubnet, BySecurityGroup, ByVPC} {
			got, err := e.Matrix(MatrixOptions{By: by})
			if err != nil {
				t.Fatal(err)
			}
			want, err := e.Matrix(MatrixOptions{By: by, exhaustive: true})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Cells, want.Cells) || !reflect.DeepEqual(got.Groups, want.Groups) {
				t.Errorf("%s by %s: cells\n%+v\nwant\n%+v", name, by, got.Cells, want.Cells)
			}
		}
		for _, u := range e.repliers(e.privateSet()) {
			for _, c := range e.classes {
				if u.classes != nil && u.classes[c.id/64]&(1<<(c.id%64)) == 0 {
					restricted++
				}
			}
		}
	}
	if restricted < 100 {
		t.Errorf("class walks left out %d classes: the networks do not exercise the restriction", restricted)
	}
}

// asymmetricEstate is randomEstate with two VPCs peered, where only some
// subnets route to the other VPC and some ACLs drop replies.
func asymmetricEstate(rnd *rand.Rand) *tnet {
	var n *tnet
	for n == nil || len(n.VPCs) < 2 {
		n = randomEstate(rnd)
	}
	n.peering("pcx-01", "vpc-0", "vpc-1", true)
	for _, rt := range n.RouteTables {
		if rt.Main || len(rt.Associations) == 0 || rt.Associations[0].SubnetID == "" || rnd.IntN(3) == 0 {
			continue
		}
		other := "10.1.0.0/16"
		if rt.VPCID == "vpc-1" {
			other = "10.0.0.0/16"
		}
		rt.Routes = append(rt.Routes, model.Route{Destination: pfx(other), Target: target("pcx-01")})
	}
	hasACL := map[string]bool{}
	for _, a := range n.NetworkACLs {
		for _, as := range a.Associations {
			hasACL[as.SubnetID] = true
		}
	}
	for _, s := range n.Subnets {
		if !hasACL[s.ID] && rnd.IntN(2) == 0 {
			n.acl("acl-x-"+s.ID, s.VPCID, []string{s.ID}, []string{"100 allow all - 0.0.0.0/0"},
				[]string{"100 allow tcp " + []string{"1024-65535", "22", "80-443"}[rnd.IntN(3)] + " 10.0.0.0/8", "110 allow icmp - 0.0.0.0/0"})
		}
	}
	return n
}
